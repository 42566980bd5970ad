#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Small, bounded file reading without Foundation: rule files are read whole but only
/// up to a limit, so a 50 MB or endless file is an error, not a hang.
///
/// Paths under `builtin:rules` name the rule files carried in the binary
/// (``BuiltinRules``): they read, list and compare like files of a read-only folder.
package enum FileBytes {
    package enum Outcome {
        case success([UInt8])
        case failure(DiagnosticMessage)
    }

    /// Reads at most `limit` bytes; larger files fail with `file-too-large`.
    package static func read(_ path: String, limit: Int) -> Outcome {
        if BuiltinRules.isVirtual(path) {
            guard let text = BuiltinRules.text(atPath: path) else {
                return .failure(path == BuiltinRules.folder ? .fileUnreadable(path, "it is a folder") : .fileNotFound(path))
            }
            return .success(Array(text.utf8))
        }
        guard let f = fopen(path, "rb") else {
            return .failure(exists(path) ? .fileUnreadable(path, "permission denied or not a regular file") : .fileNotFound(path))
        }
        defer { fclose(f) }
        if isDirectory(path) { return .failure(.fileUnreadable(path, "it is a folder")) }
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, f) }
            if n > 0 { out.append(contentsOf: chunk[0..<n]) }
            // A device or pipe (/dev/zero) has no size: say how much was read before stopping.
            if out.count > limit { return .failure(.fileTooLarge(bytes: max(fileSize(path) ?? 0, out.count), limit: limit)) }
            if n < chunk.count { break }
        }
        if ferror(f) != 0 { return .failure(.fileUnreadable(path, "read error")) }
        return .success(out)
    }

    package static func exists(_ path: String) -> Bool {
        if BuiltinRules.isVirtual(path) { return path == BuiltinRules.folder || BuiltinRules.text(atPath: path) != nil }
        var st = stat()
        return stat(path, &st) == 0
    }

    /// True when both paths name the same file (same device and inode), also when
    /// spelled differently (`./a.yaml`, `dir/../a.yaml`, a symbolic link).
    package static func sameFile(_ a: String, _ b: String) -> Bool {
        if BuiltinRules.isVirtual(a) || BuiltinRules.isVirtual(b) { return a == b }
        var x = stat(), y = stat()
        guard stat(a, &x) == 0, stat(b, &y) == 0 else { return a == b }
        return x.st_dev == y.st_dev && x.st_ino == y.st_ino
    }

    /// The file's identity (device and inode), nil when it cannot be read.
    static func identity(_ path: String) -> [UInt64]? {
        if BuiltinRules.isVirtual(path) {
            // No device or inode: the position in the set, beyond any real device number.
            guard let k = BuiltinRules.fileNames.firstIndex(where: { BuiltinRules.folder + "/" + $0 == path }) else { return nil }
            return [UInt64.max, UInt64(k)]
        }
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        return [UInt64(truncatingIfNeeded: st.st_dev), UInt64(truncatingIfNeeded: st.st_ino)]
    }

    package static func isDirectory(_ path: String) -> Bool {
        if BuiltinRules.isVirtual(path) { return path == BuiltinRules.folder }
        var st = stat()
        return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
    }

    static func fileSize(_ path: String) -> Int? {
        var st = stat()
        return stat(path, &st) == 0 ? Int(st.st_size) : nil
    }

    /// The entries of a folder, sorted; empty when it cannot be read.
    package static func list(_ path: String) -> [String] {
        if BuiltinRules.isVirtual(path) { return path == BuiltinRules.folder ? BuiltinRules.fileNames : [] }
        guard let d = opendir(path) else { return [] }
        defer { closedir(d) }
        var names: [String] = []
        while let e = readdir(d) {
            let name = withUnsafeBytes(of: e.pointee.d_name) { raw -> String in
                let bytes = raw.prefix { $0 != 0 }
                return String(decoding: bytes, as: UTF8.self)
            }
            if name != ".", name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    package static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        let d = String(path[..<slash])
        return d.isEmpty ? "/" : d
    }

    package static func join(_ dir: String, _ name: String) -> String {
        if dir == "." { return name }
        return dir.hasSuffix("/") ? dir + name : dir + "/" + name
    }
}
