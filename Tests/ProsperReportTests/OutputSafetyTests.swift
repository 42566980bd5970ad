import Foundation
import Testing

/// Output that cannot be written is a failure, and `--out` never replaces what is not a
/// regular file: a symbolic link keeps pointing at its file, a device stays a device.
@Suite struct OutputSafetyTests {
    @Test(.enabled(if: CommandTests.executable != nil && FileManager.default.fileExists(atPath: "/dev/full")))
    func fullDiskIsAnError() throws {
        let exe = try #require(CommandTests.executable)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: exe)
        p.arguments = ["report", "--format", "json"]
        p.currentDirectoryURL = URL(fileURLWithPath: TestPaths.root)
        p.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: "/dev/full"))
        let err = Pipe()
        p.standardError = err
        try p.run()
        let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        #expect(p.terminationStatus == 1)
        #expect(message.contains("cannot write standard output"))
    }

    @Test(.enabled(if: CommandTests.executable != nil))
    func outFollowsASymbolicLink() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("prosper-out-" + UUID().uuidString).path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let target = dir + "/real.json", link = dir + "/link.json"
        try "old".write(toFile: target, atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target)
        let r = try CommandTests.run(["report", "--format", "json", "--out", link])
        #expect(r.status == 0, "\(r.err)")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link) == target)
        #expect(try String(contentsOfFile: target, encoding: .utf8).hasPrefix("{\n  \"meta\""))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).sorted() == ["link.json", "real.json"])
    }

    @Test(.enabled(if: CommandTests.executable != nil))
    func csvOutNamedLikeAFileIsOneFile() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("prosper-\(UUID().uuidString).csv").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let r = try CommandTests.run(["report", "--format", "csv", "--out", path])
        #expect(r.status == 0, "\(r.err)")
        var isFolder: ObjCBool = true
        #expect(FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) && !isFolder.boolValue)
        #expect(try String(contentsOfFile: path, encoding: .utf8).hasPrefix("# meta\r\nkey,value\r\n"))
    }
}
