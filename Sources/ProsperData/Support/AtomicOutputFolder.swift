#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A folder of output files (`report --format csv --out DIR`) written as one unit: the
/// files go into a fresh temporary folder beside `DIR`, which then takes `DIR`'s place.
/// A reader never sees old and new tables mixed; a crash leaves the old folder or the
/// new one complete (the old one possibly under a `.DIR.old-…` name beside it).
///
/// Only what this tool wrote is ever removed: the folder records its files in a
/// manifest (`.prosper-rules-output`), and an existing `DIR` is replaced only when it is
/// empty or holds nothing but the files of its manifest. A folder with anything else in
/// it (a user's own files, a subfolder) is refused with an error and left untouched.
package final class AtomicOutputFolder {
    /// The manifest's file name: one file name per line after a comment line.
    package static let manifestName = ".prosper-rules-output"

    /// The folder as the user gave it (for messages).
    package let path: String
    private let target: String
    private let temporary: String
    private var slot: Int?
    private var written: [String] = []
    /// The written files' registrations with `TemporaryPaths` (removed on a signal).
    private var fileSlots: [Int?] = []
    /// The folder being replaced: its mode, and whether it has files to swap away.
    private let existing: (mode: mode_t, empty: Bool)?
    private var finished = false

    /// Checks that `path` may be (re)placed and creates the temporary folder beside it.
    package init(path: String) throws(DataFileError) {
        self.path = path
        var name = path
        while name.count > 1, name.hasSuffix("/") { name.removeLast() }
        guard !name.isEmpty else { throw DataFileError(path: path, message: "cannot write a folder with an empty name") }
        var st = stat()
        if lstat(name, &st) == 0, (st.st_mode & S_IFMT) == S_IFLNK, let real = realpath(name, nil) {
            name = String(cString: real)
            free(real)
        }
        target = name
        if stat(target, &st) == 0 {
            guard (st.st_mode & S_IFMT) == S_IFDIR else {
                throw DataFileError(path: path, message: "exists and is not a folder; name a folder for the CSV tables, or a file ending in .csv for all tables in one file")
            }
            let entries = try Self.entries(target, path: path)
            if !entries.isEmpty {
                let listed = Set(Self.manifest(target))
                let foreign = entries.filter { $0 != Self.manifestName && !listed.contains($0) }.sorted()
                if listed.isEmpty || !foreign.isEmpty {
                    let shown = foreign.isEmpty ? entries.sorted() : foreign
                    throw DataFileError(path: path, message: "holds files prosper-rules did not write (\(shown.prefix(3).map { "'\($0)'" }.joined(separator: ", "))\(shown.count > 3 ? ", …" : "")); it is left untouched: write to a new or empty folder")
                }
            }
            existing = (st.st_mode & 0o7777, entries.isEmpty)
        } else {
            existing = nil
        }
        let (folder, base) = AtomicOutputFile.split(target)
        var template = Array((folder + "." + base + ".tmp-XXXXXX").utf8CString)
        let made = template.withUnsafeMutableBufferPointer { b -> String? in
            guard let p = b.baseAddress, let r = mkdtemp(p) else { return nil }
            return String(cString: r)
        }
        guard let made else {
            throw AtomicOutputFile.failure(path, "cannot create a temporary folder beside it", errno)
        }
        temporary = made
        slot = TemporaryPaths.register(made, folder: true)
    }

    deinit {
        if !finished { abandon() }
    }

    /// Writes one file of the folder: `body` streams its content into `file`.
    package func write(_ name: String, _ body: (AtomicOutputFile) -> Void) throws(DataFileError) {
        guard !name.isEmpty, !name.hasPrefix("."), !name.contains("/") else {
            throw DataFileError(path: path, message: "cannot write a file named '\(name)' in the folder")
        }
        let file = try AtomicOutputFile(path: temporary + "/" + name)
        body(file)
        do {
            try file.commit()
        } catch {
            throw DataFileError(path: target + "/" + name, message: error.message)
        }
        written.append(name)
        fileSlots.append(TemporaryPaths.register(temporary + "/" + name))
    }

    /// Writes the manifest and puts the new folder in the place of the old one.
    package func commit() throws(DataFileError) {
        guard !finished else { return }
        let manifest = "# Files written by prosper-rules; the folder is replaced as a whole on the next run.\n" + written.map { $0 + "\n" }.joined()
        let m = try AtomicOutputFile(path: temporary + "/" + Self.manifestName)
        m.write(manifest)
        try m.commit()
        fileSlots.append(TemporaryPaths.register(temporary + "/" + Self.manifestName))
        let mode = existing?.mode ?? (0o777 & ~AtomicOutputFile.umaskValue)
        if chmod(temporary, mode) != 0 { throw fail("cannot set the folder's mode", errno) }
        // The swap runs with SIGINT/SIGTERM held back: a signal is handled once the new
        // folder is in place (or the old one back), never between the two renames.
        let failure: DataFileError? = TemporaryPaths.blockingSignals {
            if let existing, !existing.empty {
                // Swap: the old folder aside, the new one in, then the old one removed.
                let (folder, base) = AtomicOutputFile.split(target)
                let aside = folder + "." + base + ".old-" + AtomicOutputFile.randomHex()
                if rename(target, aside) != 0 { return fail("cannot move the old folder aside", errno) }
                if rename(temporary, target) != 0 {
                    let code = errno
                    rename(aside, target)
                    return fail("cannot move the new folder in", code)
                }
                done()
                Self.removeOwn(aside)
            } else {
                // New, or an empty folder: rename replaces an empty folder in one step.
                if rename(temporary, target) != 0 { return fail("cannot move the new folder in", errno) }
                done()
            }
            return nil
        }
        if let failure { throw failure }
    }

    /// The new folder is in place: nothing is temporary any more.
    private func done() {
        finished = true
        for s in fileSlots { TemporaryPaths.unregister(s) }
        fileSlots = []
        TemporaryPaths.unregister(slot)
        slot = nil
    }

    /// Removes the temporary folder and what was written into it.
    package func abandon() {
        finished = true
        for name in written { unlink(temporary + "/" + name) }
        unlink(temporary + "/" + Self.manifestName)
        rmdir(temporary)
        done()
    }

    private func fail(_ what: String, _ code: Int32) -> DataFileError {
        abandon()
        return AtomicOutputFile.failure(path, what, code)
    }

    /// The files of a folder this tool wrote, per its manifest, then the folder (only
    /// when nothing else is left in it).
    static func removeOwn(_ folder: String) {
        for name in manifest(folder) where !name.isEmpty && !name.hasPrefix(".") && !name.contains("/") {
            unlink(folder + "/" + name)
        }
        unlink(folder + "/" + manifestName)
        rmdir(folder)
    }

    /// The names a folder's manifest lists (none without a manifest).
    static func manifest(_ folder: String) -> [String] {
        guard let f = fopen(folder + "/" + manifestName, "r") else { return [] }
        defer { fclose(f) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while bytes.count < 1 << 20 {
            let n = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, f) }
            if n <= 0 { break }
            bytes += chunk[0..<n]
        }
        return String(decoding: bytes, as: UTF8.self).split(separator: "\n").map(String.init).filter { !$0.hasPrefix("#") }
    }

    /// The entries of a folder, `.` and `..` left out.
    static func entries(_ folder: String, path: String) throws(DataFileError) -> [String] {
        guard let d = opendir(folder) else { throw AtomicOutputFile.failure(path, "cannot read the folder", errno) }
        defer { closedir(d) }
        var out: [String] = []
        while let e = readdir(d) {
            let name = withUnsafeBytes(of: e.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != ".", name != ".." { out.append(name) }
        }
        return out
    }
}
