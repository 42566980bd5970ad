import Foundation
import Testing

/// `prosper-rules test` as a user runs it: exit 0 / 1 / 2, `--min-coverage`, the LCOV
/// file (skipped when the executable has not been built).
@Suite struct TestCommandTests {
    static var executable: String? {
        let candidates = [".build/debug/prosper-rules", ".build/release/prosper-rules"].map { Fixtures.repositoryRoot + "/" + $0 }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    static func run(_ arguments: [String], in folder: String = Fixtures.repositoryRoot) throws -> (status: Int32, out: String, err: String) {
        guard let exe = executable else { return (-1, "", "") }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: exe)
        p.arguments = arguments
        p.currentDirectoryURL = URL(fileURLWithPath: folder)
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile(), e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
    }

    @Test(.enabled(if: executable != nil)) func exitStatuses() throws {
        // The repository's own tests: all pass, full coverage.
        let ok = try Self.run(["test", "--min-coverage", "100"])
        #expect(ok.status == 0, "\(ok.out)\(ok.err)")
        #expect(ok.out.contains("coverage: ") && ok.out.hasSuffix(" passed, 0 failed\n"))
        let f = Fixtures.directory
        let failing = try Self.run(["test", f + "/project/rules/tests/fail.yaml"])
        #expect(failing.status == 1)
        #expect(failing.out.hasSuffix("1 passed, 2 failed\n"))
        let low = try Self.run(["test", f + "/project/rules/tests/pass.yaml", "--min-coverage", "90"])
        #expect(low.status == 1)
        #expect(low.err.contains("is below --min-coverage 90"))
        let bad = try Self.run(["test", f + "/bad/unknown-level.yaml"])
        #expect(bad.status == 2)
        #expect(bad.err.contains("did you mean 'high'?"))
        #expect(try Self.run(["test", "--min-coverage", "101"]).status == 2)
        #expect(try Self.run(["test", "--format", "xml"]).status == 2)
        let json = try Self.run(["test", f + "/project/rules/tests/fail.yaml", "--format", "json"])
        #expect(json.status == 1)
        #expect(json.out.hasPrefix("{\n  \"passed\": 1,"))
    }

    @Test(.enabled(if: executable != nil)) func lcovFile() throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("prosper-lcov-\(UUID().uuidString).info").path
        defer { try? FileManager.default.removeItem(atPath: out) }
        let r = try Self.run(["test", "--coverage-format", "lcov", "--coverage-out", out])
        #expect(r.status == 0, "\(r.out)\(r.err)")
        let lcov = Fixtures.read(out)
        for f in ["segments", "churn", "upsell"] { #expect(lcov.contains("SF:rules/\(f).yaml\n")) }
        #expect(lcov.contains("BRDA:") && lcov.hasSuffix("end_of_record\n"))
        #expect(!lcov.contains(",-\n") && !lcov.contains("DA:9,0"), "every line and branch covered")
    }
}
