import Foundation
import Testing

/// `--out`, `--limit` and `--csv-raw` as a user runs them (docs/output.md), with the
/// hostile-names fixture (Fixtures/hostile: company names that are spreadsheet formulas
/// or hold bidirectional controls).
@Suite struct OutputCommandTests {
    static let hostileData = TestPaths.fixtures + "/hostile/data"
    static let hostile = ["--data", hostileData, "--rules", TestPaths.smallRules, "--as-of", "2026-11-01"]

    // MARK: 3. Signals remove the temporary output

    /// SIGINT or SIGTERM while the report is being written (the test hook pauses with
    /// the temporary file or folder open): the process ends by the signal, and neither
    /// a temporary file nor a temporary folder is left; an old report stays as it was.
    @Test(.enabled(if: CommandTests.executable != nil), arguments: [(SIGINT, "json"), (SIGTERM, "json"), (SIGINT, "csv")])
    func signalsLeaveNoTemporaryFiles(_ signal: Int32, _ format: String) throws {
        let exe = try #require(CommandTests.executable)
        let dir = Scratch()
        defer { dir.remove() }
        let out = format == "csv" ? dir.path + "/tables" : dir.write("report.json", "old report\n")
        let p = Process()
        p.executableURL = URL(fileURLWithPath: exe)
        p.arguments = ["report", "--format", format, "--out", out]
        p.currentDirectoryURL = URL(fileURLWithPath: TestPaths.root)
        var env = ProcessInfo.processInfo.environment
        env["PROSPER_TEST_PAUSE_WRITING"] = "20"
        p.environment = env
        let err = Pipe()
        p.standardError = err
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        // Wait for the hook's line: the temporary output exists now.
        var seen = Data()
        while !String(decoding: seen, as: UTF8.self).contains("paused writing") {
            let chunk = err.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            seen += chunk
        }
        #expect(dir.files().contains { $0.contains(".tmp-") }, "a temporary output exists while paused: \(dir.files())")
        kill(p.processIdentifier, signal)
        p.waitUntilExit()
        let rest = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(p.terminationReason == .uncaughtSignal && p.terminationStatus == signal, "\(p.terminationReason.rawValue) \(p.terminationStatus): \(String(decoding: seen, as: UTF8.self))\(rest)")
        if format == "csv" {
            #expect(dir.files().isEmpty, "\(dir.files())")
        } else {
            #expect(dir.files() == ["report.json"])
            #expect(dir.read("report.json") == "old report\n")
        }
    }

    // MARK: 4. CSV folders

    @Test(.enabled(if: CommandTests.executable != nil)) func aCSVFolderIsReplacedWholeAndAUserFolderRefused() throws {
        let dir = Scratch()
        defer { dir.remove() }
        let out = dir.path + "/tables"
        // All rule files, then only churn: the first run's other tables are gone.
        #expect(try CommandTests.run(["report", "--format", "csv", "--out", out] + Self.hostile).status == 0)
        #expect(Scratch.at(out).files().contains("upsell-top_offers.csv"))
        let second = try CommandTests.run(["eval", TestPaths.smallRules + "/churn.yaml", "--format", "csv", "--out", out, "--data", Self.hostileData, "--as-of", "2026-11-01"])
        #expect(second.status == 0, "\(second.err)")
        #expect(!Scratch.at(out).files().contains("upsell-top_offers.csv"))
        #expect(Scratch.at(out).files().contains("churn-top_alerts.csv"))
        // A user's folder: refused with exit 1, nothing removed.
        let mine = Scratch()
        defer { mine.remove() }
        mine.write("budget.xlsx", "mine")
        let refused = try CommandTests.run(["report", "--format", "csv", "--out", mine.path] + Self.hostile)
        #expect(refused.status == 1)
        #expect(refused.err.contains("holds files prosper-rules did not write ('budget.xlsx')"), "\(refused.err)")
        #expect(mine.files() == ["budget.xlsx"])
    }

    // MARK: 5. Write errors name the reason

    @Test(.enabled(if: CommandTests.executable != nil && FileManager.default.fileExists(atPath: "/dev/full")))
    func writeErrorsNameTheReason() throws {
        let full = try CommandTests.run(["report", "--format", "json", "--out", "/dev/full"])
        #expect(full.status == 1)
        #expect(full.err == "error: /dev/full: cannot write: No space left on device\n", "\(full.err)")
        let dir = Scratch()
        defer { dir.remove() }
        // A path with an escape sequence is shown with the escape visible.
        let escape = try CommandTests.run(["report", "--format", "json", "--out", dir.path + "/no\u{1B}[31mdir/r.json"])
        #expect(escape.status == 1)
        #expect(escape.err == "error: \(dir.path)/no<U+001B>[31mdir/r.json: cannot write: No such file or directory\n", "\(escape.err)")
        let folder = try CommandTests.run(["report", "--format", "json", "--out", dir.path])
        #expect(folder.status == 1)
        #expect(folder.err == "error: \(dir.path): cannot write: Is a directory\n", "\(folder.err)")
    }

    // MARK: 6. CSV injection

    @Test(.enabled(if: CommandTests.executable != nil)) func hostileCompanyNamesAreNeutralisedInCSV() throws {
        let dir = Scratch()
        defer { dir.remove() }
        let r = try CommandTests.run(["report", "--format", "csv", "--out", dir.path + "/t"] + Self.hostile)
        #expect(r.status == 0, "\(r.err)")
        let offers = try #require(Scratch.at(dir.path + "/t").read("upsell-top_offers.csv"))
        #expect(offers.contains("C03,\"'=HYPERLINK(\"\"http://evil.example/\"\",\"\"Click\"\")\","))
        #expect(offers.contains("C01,'@SUM(1+1),"))
        #expect(offers.contains("C04,'-2+3 Minus GmbH,"))
        #expect(offers.contains("C05,'+49 Plus AG,"))
        #expect(!offers.contains(",=") && !offers.contains(",@") && !offers.contains(",+"))
        // --csv-raw: the texts as they are.
        let raw = try CommandTests.run(["report", "--format", "csv", "--csv-raw"] + Self.hostile)
        #expect(raw.out.contains("C03,\"=HYPERLINK(\"\"http://evil.example/\"\",\"\"Click\"\")\","))
        #expect(raw.out.contains("C01,@SUM(1+1),"))
    }

    // MARK: 7. Bidirectional controls

    @Test(.enabled(if: CommandTests.executable != nil)) func bidiControlsAreVisibleOnTheTerminalAndInMarkdown() throws {
        for format in ["table", "markdown"] {
            let r = try CommandTests.run(["report", "--format", format] + Self.hostile)
            #expect(r.status == 0, "\(r.err)")
            #expect(!r.out.unicodeScalars.contains { $0.value == 0x202E || $0.value == 0x2067 || $0.value == 0x2069 || $0.value == 0x200F }, "\(format)")
            #expect(r.out.contains("<U+202E>kcab-esrever Ltd") || r.out.contains("&lt;U+202E>kcab-esrever Ltd"), "\(format)")
        }
        let dir = Scratch()
        defer { dir.remove() }
        let page = try CommandTests.run(["dashboard", "--out", dir.path + "/d.html"] + Self.hostile)
        #expect(page.status == 0, "\(page.err)")
        let html = try #require(dir.read("d.html"))
        #expect(!html.unicodeScalars.contains { $0.value == 0x202E })
        #expect(html.contains("&lt;U+202E&gt;kcab-esrever Ltd"))
    }

    // MARK: 8. Limits and cut notices

    /// Files for programs are complete by default; the terminal table stays short; a
    /// cut list says so in the output.
    @Test(.enabled(if: CommandTests.executable != nil)) func filesAreCompleteByDefaultAndCutsAreSaid() throws {
        let dir = Scratch()
        defer { dir.remove() }
        // examples/data: 67 churn alerts, 414 offers.
        #expect(try CommandTests.run(["report", "--format", "csv", "--out", dir.path + "/t"]).status == 0)
        let alerts = try #require(Scratch.at(dir.path + "/t").read("churn-top_alerts.csv"))
        #expect(alerts.components(separatedBy: "\r\n").count == 1 + 67 + 1)
        #expect(!(Scratch.at(dir.path + "/t").read("meta.csv") ?? "").contains("cut:"))
        let json = try CommandTests.run(["report", "--format", "json"])
        #expect(try CommandTests.jsonNumber(json.out, "churn", "top_alerts_omitted") == 0)
        #expect(try CommandTests.run(["report", "--format", "markdown", "--out", dir.path + "/r.md"]).status == 0)
        #expect(!(dir.read("r.md") ?? "x").contains("showing"))
        // The terminal: 20 rows and the notice.
        let table = try CommandTests.run(["report"])
        #expect(table.out.contains("… showing 20 of 67 rows (--limit 20); --limit all shows every row"))
        let md = try CommandTests.run(["report", "--format", "markdown"])
        #expect(md.out.contains("_showing 20 of 414 rows (--limit 20)._"))
        // An explicit cut in a CSV file: said in meta.csv.
        #expect(try CommandTests.run(["report", "--format", "csv", "--limit", "5", "--out", dir.path + "/t"]).status == 0)
        #expect((Scratch.at(dir.path + "/t").read("meta.csv") ?? "").contains("cut:churn-top_alerts,showing 5 of 67 rows (--limit 5)\r\n"))
        // --limit all on the terminal: every row, no notice.
        let all = try CommandTests.run(["report", "--limit", "all"])
        #expect(all.status == 0 && !all.out.contains("showing"))
    }
}
