import Foundation
import ProsperReport
import Testing

/// `prosper-rules eval`, `report` and `demo` as a user runs them: the built executable
/// (.build/debug, else .build/release), run in the package root so prosper.yaml gives
/// the data, the rules and the as-of date. Skipped when the executable is not built.
@Suite struct CommandTests {
    static var executable: String? {
        [".build/debug/prosper-rules", ".build/release/prosper-rules"].map { TestPaths.root + "/" + $0 }
            .first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    struct Run {
        let status: Int32
        let out: String
        let err: String
    }

    /// Runs the tool in `directory` (an absolute path, or relative to the repository;
    /// default its root).
    static func run(_ arguments: [String], in directory: String? = nil) throws -> Run {
        try runProcess(try #require(executable), arguments, in: directory)
    }

    /// Runs the program `exe` (the tool, a Python interpreter, …) as `run` does.
    static func runProcess(_ exe: String, _ arguments: [String], in directory: String? = nil) throws -> Run {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: exe)
        p.arguments = arguments
        p.currentDirectoryURL = URL(fileURLWithPath: directory.map { $0.hasPrefix("/") ? $0 : TestPaths.root + "/" + $0 } ?? TestPaths.root)
        var env = ProcessInfo.processInfo.environment
        env["NO_COLOR"] = "1"
        p.environment = env
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        // Read both pipes while the process runs, so a full pipe cannot block it.
        nonisolated(unsafe) var errData = Data()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async {
            errData = err.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        let o = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        p.waitUntilExit()
        return Run(status: p.terminationStatus, out: String(decoding: o, as: UTF8.self), err: String(decoding: errData, as: UTF8.self))
    }

    /// The number after `"key": ` in a section of report JSON.
    static func jsonNumber(_ json: String, _ section: String, _ key: String) throws -> Int {
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let s = try #require(object[section] as? [String: Any], "no \(section)")
        return try #require((s[key] as? NSNumber)?.intValue, "no \(section).\(key)")
    }

    @Test(.enabled(if: executable != nil)) func setChangesTheAlerts() throws {
        let plain = try Self.run(["eval", "rules/churn.yaml", "--format", "json"])
        let lowered = try Self.run(["eval", "rules/churn.yaml", "--set", "inactive_days=30", "--format", "json"])
        #expect(plain.status == 0 && lowered.status == 0, "\(plain.err)\(lowered.err)")
        let before = try Self.jsonNumber(plain.out, "churn", "alerts"), after = try Self.jsonNumber(lowered.out, "churn", "alerts")
        #expect(after > before, "\(before) → \(after)")
        // One rule file: only its section.
        let object = try #require(try JSONSerialization.jsonObject(with: Data(lowered.out.utf8)) as? [String: Any])
        #expect(Set(object.keys) == ["meta", "churn"])
    }

    @Test(.enabled(if: executable != nil)) func badSetIsAnInputError() throws {
        let wrongType = try Self.run(["eval", "rules/churn.yaml", "--set", "inactive_days=soon"])
        #expect(wrongType.status == 1)
        #expect(wrongType.err.contains("threshold 'inactive_days' is a number; 'soon' is not"), "\(wrongType.err)")
        #expect(wrongType.out.isEmpty)
        let unknown = try Self.run(["report", "--set", "inactive_dayz=30"])
        #expect(unknown.status == 1)
        #expect(unknown.err.contains("no threshold 'inactive_dayz' to set; did you mean 'inactive_days'?"), "\(unknown.err)")
        #expect(unknown.out.isEmpty)
    }

    @Test(.enabled(if: executable != nil), arguments: [["--format", "xml"], ["--limit", "-1"], ["--limit=-1"], ["--limit", "many"], ["--as-of", "2026-13-01"]])
    func usageErrors(_ arguments: [String]) throws {
        let r = try Self.run(["report"] + arguments)
        #expect(r.status == 2, "\(arguments): \(r.err)")
        #expect(r.out.isEmpty)
        #expect(!r.err.isEmpty)
    }

    @Test(.enabled(if: executable != nil)) func outWritesTheFileAtomically() throws {
        let dir = Scratch()
        defer { dir.remove() }
        let target = dir.write("report.json", String(repeating: "old content that is longer than nothing\n", count: 2_000))
        // A second name for the old file: a rename leaves it alone, an in-place write would not.
        try FileManager.default.linkItem(atPath: target, toPath: dir.path + "/old.json")
        let r = try Self.run(["report", "--format", "json", "--out", target])
        #expect(r.status == 0, "\(r.err)")
        #expect(r.out.isEmpty)
        let stdout = try Self.run(["report", "--format", "json"]).out
        #expect(dir.read("report.json") == stdout)
        #expect(dir.read("old.json")?.hasPrefix("old content") == true)
        #expect(dir.files() == ["old.json", "report.json"])
        // A folder that does not exist: exit 1, nothing written.
        let bad = try Self.run(["report", "--format", "json", "--out", dir.path + "/missing/report.json"])
        #expect(bad.status == 1)
        #expect(bad.err.contains("cannot write"))
        #expect(dir.files() == ["old.json", "report.json"])
    }

    @Test(.enabled(if: executable != nil)) func csvOutFolderHasOneFilePerTable() throws {
        let dir = Scratch()
        defer { dir.remove() }
        let r = try Self.run(["report", "--format", "csv", "--limit", "20", "--out", dir.path + "/tables"])
        #expect(r.status == 0, "\(r.err)")
        let expected = CSVFormatter.tables(try GoldenTests.report())
        let folder = Scratch.at(dir.path + "/tables")
        // The tables, and the manifest that lets the next run replace the folder.
        #expect(folder.files() == ([".prosper-rules-output"] + expected.map { $0.name + ".csv" }).sorted())
        for t in expected { #expect(folder.read(t.name + ".csv") == t.csv, "\(t.name)") }
        #expect(folder.files().contains("churn-top_alerts.csv"))
    }

    /// The command and the library give the same bytes as the golden files.
    @Test(.enabled(if: executable != nil), arguments: [("json", "report.json"), ("markdown", "report.md"), ("csv", "report.csv")])
    func commandMatchesTheGoldenFiles(_ format: String, _ file: String) throws {
        // The goldens hold the lists cut at 20 (JSON and CSV are complete by default).
        let r = try Self.run(["report", "--format", format, "--limit", "20"])
        #expect(r.status == 0, "\(r.err)")
        let golden = try #require(FileManager.default.contents(atPath: TestPaths.golden + "/" + file))
        #expect(r.out == String(decoding: golden, as: UTF8.self))
    }

    @Test(.enabled(if: executable != nil)) func tableOutputHasNoColourWhenPiped() throws {
        let r = try Self.run(["report", "--limit", "3"])
        #expect(r.status == 0)
        #expect(!r.out.contains("\u{1B}["))
        #expect(r.out.contains("== D. Churn alerts: High-value churn alerts =="))
        #expect(r.out.contains("… showing 3 of 67 rows (--limit 3); --limit all shows every row"))
    }

    @Test(.enabled(if: executable != nil)) func brokenRuleFileIsReportedWithItsPosition() throws {
        let dir = Scratch()
        defer { dir.remove() }
        for name in ["segments.yaml", "churn.yaml"] {
            dir.write(name, try String(contentsOfFile: TestPaths.root + "/rules/" + name, encoding: .utf8))
        }
        let original = try #require(dir.read("churn.yaml"))
        let broken = original.replacingOccurrences(of: "when: days_inactive >=", with: "when: days_inactiv >=")
        #expect(broken != original)
        let file = dir.write("churn.yaml", broken)
        let lines = broken.split(separator: "\n", omittingEmptySubsequences: false)
        let line = try #require(lines.firstIndex { $0.contains("days_inactiv >=") }) + 1
        let column = try #require(lines[line - 1].range(of: "days_inactiv")).lowerBound.utf16Offset(in: lines[line - 1]) + 1
        let r = try Self.run(["eval", file])
        #expect(r.status == 1)
        #expect(r.err.contains("churn.yaml:\(line):\(column): error: unknown name 'days_inactiv'; did you mean 'days_inactive'?"), "\(r.err)")
        #expect(r.err.contains("^~~~~~~~~~~~"))
        #expect(r.out.isEmpty)
    }

    @Test(.enabled(if: executable != nil)) func missingDataIsAnInputError() throws {
        let r = try Self.run(["report", "--data", "/nonexistent/prosper-data"])
        #expect(r.status == 1)
        #expect(r.err.contains("/nonexistent/prosper-data"), "\(r.err)")
        #expect(r.out.isEmpty)
        let missingRule = try Self.run(["eval", "rules/nothing.yaml"])
        #expect(missingRule.status == 1)
        #expect(missingRule.out.isEmpty)
    }

    @Test(.enabled(if: executable != nil)) func demoPrintsTheFullReport() throws {
        let r = try Self.run(["demo", "--format", "json"])
        #expect(r.status == 0, "\(r.err)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [String: Any])
        #expect(Set(object.keys) == ["meta", "loyalty", "revenue", "bundles", "churn", "upsell", "profitability"])
        #expect((object["meta"] as? [String: Any])?["customers"] as? Int == 500)
    }
}

extension Scratch {
    /// An existing folder (not removed by anyone but its owner).
    static func at(_ path: String) -> Scratch { Scratch(existing: path) }
    private init(existing: String) { path = existing }
}
