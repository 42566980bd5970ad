import Foundation
import Testing

/// `prosper-rules ingest` as a user runs it (the built executable, in a scratch folder
/// with its own prosper.yaml): the as-of precedence through the project context, bad
/// project paths at their place in prosper.yaml, and `--rejects`. Skipped when the
/// executable is not built.
@Suite struct IngestCommandTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static var executable: String? {
        [".build/debug/prosper-rules", ".build/release/prosper-rules"].map { root.appendingPathComponent($0).path }
            .first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Runs the executable in `folder`: exit status, stdout, stderr.
    static func run(_ arguments: [String], in folder: URL) throws -> (status: Int32, out: String, err: String) {
        let exe = try #require(executable)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: exe)
        p.arguments = arguments
        p.currentDirectoryURL = folder
        let out = folder.appendingPathComponent(".out"), err = folder.appendingPathComponent(".err")
        FileManager.default.createFile(atPath: out.path, contents: nil)
        FileManager.default.createFile(atPath: err.path, contents: nil)
        p.standardOutput = try FileHandle(forWritingTo: out)
        p.standardError = try FileHandle(forWritingTo: err)
        try p.run()
        p.waitUntilExit()
        return (p.terminationStatus, try String(contentsOf: out, encoding: .utf8), try String(contentsOf: err, encoding: .utf8))
    }

    /// A scratch project: the coded mapping fixture and its source, plus `project`.
    static func project(_ yaml: String) throws -> URL {
        let dir = try TestFiles.scratch()
        for f in ["coded.csv", "coded.yaml"] {
            try FileManager.default.copyItem(at: TestFiles.fixtures.appendingPathComponent("mapping/\(f)"), to: dir.appendingPathComponent(f))
        }
        try FileManager.default.copyItem(at: TestFiles.fixtures.appendingPathComponent("base"), to: dir.appendingPathComponent("data"))
        try TestFiles.write(yaml, "prosper.yaml", in: dir)
        return dir
    }

    static func asOf(_ json: String) throws -> (String, String) {
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        return (try #require(object["as_of"] as? String), try #require(object["as_of_source"] as? String))
    }

    @Test(.enabled(if: executable != nil), arguments: [
        ("data: coded.csv\nmapping: coded.yaml\n", [String](), "2026-06-30", "as_of of coded.yaml"),
        ("data: coded.csv\nmapping: coded.yaml\nas_of: 2026-07-01\n", [], "2026-07-01", "as_of of prosper.yaml"),
        ("data: coded.csv\nmapping: coded.yaml\nas_of: 2026-07-01\n", ["--as-of", "2026-07-15"], "2026-07-15", "given"),
    ])
    func asOfPrecedence(yaml: String, flags: [String], date: String, source: String) throws {
        let dir = try Self.project(yaml)
        let r = try Self.run(["ingest", "--format", "json"] + flags, in: dir)
        #expect(try Self.asOf(r.out) == (date, source), "\(r.err)")
    }

    @Test(.enabled(if: executable != nil)) func aBadDataPathIsReportedAtItsLineInProsperYAML() throws {
        let dir = try Self.project("rules: rules\ndata: dta\n")
        let r = try Self.run(["ingest"], in: dir)
        #expect(r.status == 1)
        #expect(r.err == "prosper.yaml:2:7: error: data: no such file or folder 'dta'; did you mean 'data'?\n    data: dta\n          ^~~\n")
    }

    @Test(.enabled(if: executable != nil)) func rejectsAreWrittenThroughTheCommand() throws {
        let dir = try Self.project("data: coded.csv\nmapping: coded.yaml\n")
        let r = try Self.run(["ingest", "--rejects", "rejects.csv"], in: dir)
        #expect(r.status == 0, "\(r.err)")
        let text = try String(contentsOf: dir.appendingPathComponent("rejects.csv"), encoding: .utf8)
        #expect(text.hasPrefix("file,line,column,field,reason,message,record\ncoded.csv,3,17,,unallocated_amount,"))
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("rejects.csv.subscriptions.part").path))
    }
}
