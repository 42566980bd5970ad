import Foundation
@testable import ProsperData
import Testing

/// `AtomicOutputFile` and `AtomicOutputFolder` (docs/output.md): temporary files that
/// cannot be hijacked, modes and owners kept, reasons in every error, folders swapped
/// as a whole and never a user's files removed.
@Suite struct AtomicOutputTests {
    static func write(_ text: String, to path: String) throws(DataFileError) {
        let f = try AtomicOutputFile(path: path)
        f.write(text)
        try f.commit()
    }

    static func mode(_ path: String) -> mode_t {
        var st = stat()
        return stat(path, &st) == 0 ? st.st_mode & 0o7777 : 0
    }

    // MARK: 1. Temporary files are never followed through a planted link

    /// A link planted at every name the old scheme used (`<out>.tmp-<pid>`), and at the
    /// first names the random source gives: the link's target is never written.
    @Test func aLongOutputWrittenBehindReadsBackWhole() throws {
        // 100 MiB in the seeder's way (1 MiB writes straight through, then a small buffered
        // tail): the write-back hints every 32 MiB change no byte.
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("prosper-writebehind-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("big.csv").path
        let f = try AtomicOutputFile(path: path)
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        for k in 0..<100 {
            for i in chunk.indices { chunk[i] = UInt8(truncatingIfNeeded: i &* 31 &+ k) }
            chunk.withUnsafeBufferPointer { f.write($0) }
        }
        f.write("tail\n")
        try f.commit()
        let back = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(back.count == 100 << 20 + 5)
        for k in 0..<100 {
            for i in chunk.indices { chunk[i] = UInt8(truncatingIfNeeded: i &* 31 &+ k) }
            guard back.subdata(in: (k << 20)..<((k + 1) << 20)) == Data(chunk) else {
                Issue.record("megabyte \(k) differs")
                return
            }
        }
        #expect(back.suffix(5) == Data("tail\n".utf8))
    }

    @Test func plantedLinksAreNeverFollowed() throws {
        let dir = Scratch()
        defer { dir.remove() }
        let victim = dir.write("victim.txt", "precious\n")
        let out = dir.path + "/report.json"
        for name in ["report.json.tmp-\(getpid())", ".report.json.tmp-planted1", ".report.json.tmp-planted2"] {
            try FileManager.default.createSymbolicLink(atPath: dir.path + "/" + name, withDestinationPath: victim)
        }
        // The random source first gives the planted names: each is refused (O_EXCL
        // refuses an existing link), and the next name is used.
        var names = ["planted1", "planted2", "fresh"].makeIterator()
        let (fd, tmp) = try AtomicOutputFile.createTemporary(beside: out, path: out, random: { names.next() ?? "x" })
        close(fd)
        #expect(tmp == dir.path + "/.report.json.tmp-fresh")
        unlink(tmp)
        // The whole write, with the old predictable name planted.
        try Self.write("{}\n", to: out)
        #expect(dir.read("victim.txt") == "precious\n")
        #expect(dir.read("report.json") == "{}\n")
        // Only the planted links and the two files: no temporary file left.
        #expect(dir.files().filter { !$0.contains("planted") && !$0.contains("tmp-\(getpid())") } == ["report.json", "victim.txt"])
    }

    @Test func allRandomNamesTakenIsAnErrorNotAFollow() throws {
        let dir = Scratch()
        defer { dir.remove() }
        let victim = dir.write("victim.txt", "precious\n")
        try FileManager.default.createSymbolicLink(atPath: dir.path + "/.r.tmp-same", withDestinationPath: victim)
        #expect(throws: DataFileError.self) { try AtomicOutputFile.createTemporary(beside: dir.path + "/r", path: "r", random: { "same" }) }
        #expect(dir.read("victim.txt") == "precious\n")
    }

    // MARK: 2. Modes and owners

    @Test func replacingKeepsTheModeAndOwner() throws {
        let dir = Scratch()
        defer { dir.remove() }
        let path = dir.write("private.json", "old\n")
        chmod(path, 0o600)
        let asRoot = geteuid() == 0
        if asRoot { #expect(chown(path, 65534, 65534) == 0) }
        try Self.write("new\n", to: path)
        #expect(dir.read("private.json") == "new\n")
        #expect(Self.mode(path) == 0o600)
        if asRoot {
            var st = stat()
            #expect(stat(path, &st) == 0 && st.st_uid == 65534 && st.st_gid == 65534)
        }
        chmod(path, 0o640)
        try Self.write("newer\n", to: path)
        #expect(Self.mode(path) == 0o640)
    }

    @Test func newFilesFollowTheUmask() throws {
        let dir = Scratch()
        defer { dir.remove() }
        let path = dir.path + "/new.json"
        try Self.write("x", to: path)
        #expect(Self.mode(path) == 0o666 & ~AtomicOutputFile.umaskValue)
    }

    // MARK: 5. Errors name the reason

    @Test func errorsNameTheReason() throws {
        let dir = Scratch()
        defer { dir.remove() }
        var cases: [(path: String, reason: String)] = [
            (dir.path, "Is a directory"),
            (dir.path + "/missing/report.json", "No such file or directory"),
        ]
        if FileManager.default.fileExists(atPath: "/dev/full") { cases.append(("/dev/full", "No space left on device")) }
        if geteuid() != 0 {
            // Root writes into a read-only folder anyway.
            let ro = dir.path + "/ro"
            mkdir(ro, 0o555)
            cases.append((ro + "/report.json", "Permission denied"))
        }
        for c in cases {
            do {
                try Self.write(String(repeating: "x", count: 200_000), to: c.path)
                Issue.record("\(c.path): no error")
            } catch {
                #expect(error.description == "\(c.path): cannot write: \(c.reason)", "\(c.path)")
            }
        }
        #expect(dir.files() == (geteuid() != 0 ? ["ro"] : []))
    }

    @Test func abandonedWritesLeaveNothing() throws {
        let dir = Scratch()
        defer { dir.remove() }
        let old = dir.write("r.json", "old\n")
        do {
            let f = try AtomicOutputFile(path: old)
            f.write("half")
            f.abandon()
        }
        do {
            let f = try AtomicOutputFile(path: old)
            f.write("dropped without commit")
        }
        #expect(dir.files() == ["r.json"])
        #expect(dir.read("r.json") == "old\n")
    }

    // MARK: 4. Folders as one unit

    static func writeFolder(_ path: String, _ files: [String: String]) throws(DataFileError) {
        let folder = try AtomicOutputFolder(path: path)
        for (name, text) in files.sorted(by: { $0.key < $1.key }) { try folder.write(name) { $0.write(text) } }
        try folder.commit()
    }

    @Test func aNewRunReplacesTheWholeFolder() throws {
        let dir = Scratch()
        defer { dir.remove() }
        let out = dir.path + "/tables"
        try Self.writeFolder(out, ["a.csv": "1", "stale.csv": "old"])
        try Self.writeFolder(out, ["a.csv": "2"])
        let folder = Scratch.at(out)
        #expect(folder.files() == [AtomicOutputFolder.manifestName, "a.csv"])
        #expect(folder.read("a.csv") == "2")
        // Nothing left beside it (no temporary or old folder).
        #expect(dir.files() == ["tables"])
    }

    @Test func anEmptyFolderIsFilledAndKeepsItsMode() throws {
        let dir = Scratch()
        defer { dir.remove() }
        let out = dir.path + "/empty"
        mkdir(out, 0o750)
        chmod(out, 0o750)
        try Self.writeFolder(out, ["a.csv": "1"])
        #expect(Scratch.at(out).files() == [AtomicOutputFolder.manifestName, "a.csv"])
        #expect(Self.mode(out) == 0o750)
    }

    /// A user's folder with files this tool did not write: refused, untouched.
    @Test(arguments: [["notes.txt"], ["meta.csv"], ["sub/"]])
    func foreignFilesAreNeverRemoved(_ entries: [String]) throws {
        let dir = Scratch()
        defer { dir.remove() }
        let out = dir.path + "/mine"
        mkdir(out, 0o755)
        for e in entries {
            if e.hasSuffix("/") { mkdir(out + "/" + e, 0o755) } else { FileManager.default.createFile(atPath: out + "/" + e, contents: Data("keep".utf8)) }
        }
        do {
            try Self.writeFolder(out, ["meta.csv": "new"])
            Issue.record("no error")
        } catch {
            #expect(error.description.contains("holds files prosper-rules did not write"), "\(error)")
        }
        #expect(Scratch.at(out).files() == entries.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 })
        #expect(dir.files() == ["mine"], "no temporary folder left")
    }

    /// A file added to a folder the tool wrote makes the folder the user's: refused.
    @Test func aFolderWithAnAddedFileIsRefused() throws {
        let dir = Scratch()
        defer { dir.remove() }
        let out = dir.path + "/tables"
        try Self.writeFolder(out, ["a.csv": "1"])
        FileManager.default.createFile(atPath: out + "/mine.xlsx", contents: Data("keep".utf8))
        #expect(throws: DataFileError.self) { try Self.writeFolder(out, ["a.csv": "2"]) }
        #expect(Scratch.at(out).read("a.csv") == "1")
        #expect(Scratch.at(out).read("mine.xlsx") == "keep")
    }

    @Test func aFileInThePlaceOfTheFolderIsAnError() throws {
        let dir = Scratch()
        defer { dir.remove() }
        let out = dir.write("tables", "a file")
        #expect(throws: DataFileError.self) { try Self.writeFolder(out, ["a.csv": "1"]) }
        #expect(dir.read("tables") == "a file")
        #expect(dir.files() == ["tables"])
    }
}
