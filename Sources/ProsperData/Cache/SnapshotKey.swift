#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ProsperModel
import ProsperRules

/// A 128-bit key: two `SnapshotHash`es of the same text with different seeds.
package struct SnapshotKey: Hashable, Sendable, CustomStringConvertible {
    package let high: UInt64
    package let low: UInt64

    init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    init(of bytes: [UInt8]) {
        high = SnapshotHash.hash(bytes, seed: 0x5052_4F53_5045_5231)
        low = SnapshotHash.hash(bytes, seed: 0x534E_4150_5348_4F54)
    }

    /// 32 hexadecimal digits.
    package var description: String { hex(high) + hex(low) }

    private func hex(_ v: UInt64) -> String {
        let s = String(v, radix: 16)
        return String(repeating: "0", count: 16 - s.count) + s
    }
}

/// Everything a cached dataset depends on besides the content of its files: the tool
/// and format version, the working folder, the paths as given and every ingest option
/// that changes the dataset or what is printed about it. Two runs with equal requests
/// and equal file contents build the same dataset.
package struct SnapshotRequest: Sendable {
    /// The tool's version and build (the CLI adds its executable's identity, so a
    /// rebuilt binary never reads a snapshot an older build wrote).
    package var toolVersion: String
    /// `--data` or the project's `data:`, as given.
    package var dataPath: String
    /// The mapping file, as given (nil: contract data).
    package var mappingPath: String?
    /// prosper.yaml, when there is one (its content is part of the key).
    package var projectFile: String?
    /// The working folder (relative paths are relative to it).
    package var workingFolder: String
    package var options: IngestOptions

    package init(toolVersion: String, dataPath: String, mappingPath: String?, projectFile: String?, workingFolder: String, options: IngestOptions) {
        self.toolVersion = toolVersion
        self.dataPath = dataPath
        self.mappingPath = mappingPath
        self.projectFile = projectFile
        self.workingFolder = workingFolder
        self.options = options
    }

    /// Whether a snapshot can stand for this ingestion: not when rejected rows must be
    /// written out (only a real read has them).
    var cacheable: Bool { options.rejectsPath == nil && !options.collectRejects }

    /// The name of the request's cache entry.
    var key: SnapshotKey {
        var w = MetaWriter()
        w.string("prosper-rules snapshot")
        w.u32(SnapshotFormat.version)
        w.string(toolVersion)
        w.string(workingFolder)
        w.string(dataPath)
        w.string(mappingPath ?? "\u{0}")
        w.string(projectFile ?? "\u{0}")
        let o = options
        w.optionalInt(o.asOf.map { Int($0.number) })
        w.string(o.asOfSource)
        for (name, kind) in o.declaredAttributes.sorted(by: { $0.key < $1.key }) {
            w.string(name)
            w.string(SnapshotMeta.kindCode(kind))
        }
        w.string("|money")
        switch o.moneyUnit {
        case .currency(let c)?: w.string("currency:" + c)
        case .unit(let u)?: w.string("unit:" + u)
        case nil: w.string("")
        }
        return SnapshotKey(of: w.bytes)
    }

    /// The files the dataset is read from: the data files, the mapping file and the
    /// `map_file:` tables it names, and prosper.yaml. Nil when they cannot be found (the
    /// ingestion then reports why; nothing is cached).
    func sourceFiles() -> [String]? {
        var files: [String] = []
        if let mappingPath {
            files.append(dataPath)
            files.append(mappingPath)
            guard let bytes = try? ProjectFile.readAll(mappingPath) else { return nil }
            files += Self.mapFiles(in: bytes, mappingPath: mappingPath)
        } else {
            switch try? DataSource.locate(dataPath) {
            case .csv(let c, let s)?: files += [c, s]
            case .jsonLines(let j)?: files.append(j)
            case nil: return nil
            }
        }
        if let projectFile { files.append(projectFile) }
        return files
    }

    /// Every `map_file:` value of a mapping file, resolved like the mapping resolves it
    /// (relative to the mapping's folder).
    static func mapFiles(in bytes: [UInt8], mappingPath: String) -> [String] {
        guard let root = YAMLParser.parse(bytes: bytes, path: mappingPath).root else { return [] }
        var out: [String] = []
        func walk(_ node: YAMLNode) {
            if let pairs = node.pairs {
                for p in pairs {
                    if p.key.scalar?.value == "map_file", let name = p.value.scalar?.value {
                        if name.hasPrefix("/") {
                            out.append(name)
                        } else if let slash = mappingPath.lastIndex(of: "/") {
                            out.append(String(mappingPath[...slash]) + name)
                        } else {
                            out.append(name)
                        }
                    }
                    walk(p.value)
                }
            } else if let items = node.items {
                for i in items { walk(i) }
            }
        }
        walk(root)
        return out
    }
}

/// What identifies one version of a file without reading it (as git's index does): device,
/// inode, size, and modification and status-change times in nanoseconds. An edit changes
/// the size, the mtime or at least the ctime (which no user command can set back).
struct FileIdentity: Equatable {
    var device: UInt64
    var inode: UInt64
    var size: Int64
    var modified: Int64
    var changed: Int64

    static func of(_ path: String) -> FileIdentity? {
        var st = stat()
        guard stat(path, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { return nil }
        #if canImport(Darwin)
        let m = Int64(st.st_mtimespec.tv_sec) &* 1_000_000_000 &+ Int64(st.st_mtimespec.tv_nsec)
        let c = Int64(st.st_ctimespec.tv_sec) &* 1_000_000_000 &+ Int64(st.st_ctimespec.tv_nsec)
        #else
        let m = Int64(st.st_mtim.tv_sec) &* 1_000_000_000 &+ Int64(st.st_mtim.tv_nsec)
        let c = Int64(st.st_ctim.tv_sec) &* 1_000_000_000 &+ Int64(st.st_ctim.tv_nsec)
        #endif
        return FileIdentity(device: UInt64(truncatingIfNeeded: st.st_dev), inode: UInt64(truncatingIfNeeded: st.st_ino),
                            size: Int64(st.st_size), modified: m, changed: c)
    }
}
