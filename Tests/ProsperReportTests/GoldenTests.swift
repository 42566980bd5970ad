import Foundation
import ProsperModel
import ProsperReport
import Testing

/// The full report over examples/data with the shipped rules/, in every format, against
/// golden files in Fixtures/golden. Re-record with `PROSPER_RECORD=1 swift test`.
@Suite struct GoldenTests {
    /// Rule paths are printed relative to the package root, as the command prints them
    /// when run there.
    static func report(parallel: Bool = true) throws -> ReportDocument {
        var doc = try Reports.build(Reports.examples, rules: [TestPaths.root + "/rules"], parallel: parallel)
        doc.meta = doc.meta.map { kv in
            guard case .records(let rs) = kv.value else { return kv }
            return (kv.key, .records(rs.map { r in r.map { f in
                guard case .text(let s) = f.value, s.hasPrefix(TestPaths.root + "/") else { return f }
                return Cell.Field(f.key, .text(String(s.dropFirst(TestPaths.root.count + 1))))
            } }))
        }
        return doc
    }

    static func renderings(_ doc: ReportDocument) -> [(file: String, text: String)] {
        [("report.txt", TableFormatter.render(doc, width: 100)),
         ("report.json", JSONFormatter.render(doc)),
         ("report.csv", CSVFormatter.render(doc)),
         ("report.md", MarkdownFormatter.render(doc)),
         // The dashboard: its charts (bars, columns, heat map) are drawn byte for byte.
         ("report.html", HTMLFormatter.render(doc))]
    }

    static var recording: Bool { ProcessInfo.processInfo.environment["PROSPER_RECORD"] == "1" }

    @Test(arguments: ["report.txt", "report.json", "report.csv", "report.md", "report.html"])
    func golden(_ file: String) throws {
        let text = try #require(Self.renderings(try Self.report()).first { $0.file == file }?.text)
        let path = TestPaths.golden + "/" + file
        if Self.recording {
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))
            return
        }
        let expected = try #require(FileManager.default.contents(atPath: path), "missing \(path); record with PROSPER_RECORD=1")
        let want = String(decoding: expected, as: UTF8.self)
        if text != want {
            let a = text.split(separator: "\n", omittingEmptySubsequences: false), b = want.split(separator: "\n", omittingEmptySubsequences: false)
            let i = (0..<min(a.count, b.count)).first { a[$0] != b[$0] } ?? min(a.count, b.count)
            Issue.record("\(file) differs from the golden file at line \(i + 1):\n  got:      \(i < a.count ? String(a[i]) : "<end>")\n  expected: \(i < b.count ? String(b[i]) : "<end>")\n(re-record with PROSPER_RECORD=1)")
        }
    }

    /// Same data, rules and as-of date: byte-identical output, on all cores or on one.
    @Test func determinism() throws {
        let first = Self.renderings(try Self.report())
        let again = Self.renderings(try Self.report())
        let sequential = Self.renderings(try Self.report(parallel: false))
        for k in first.indices {
            #expect(first[k].text == again[k].text, "\(first[k].file)")
            #expect(first[k].text == sequential[k].text, "\(first[k].file)")
        }
        // A dataset ingested again (same files) has the same fingerprint and report.
        let reread = try Reports.build(try Reports.dataset(TestPaths.root + "/examples/data"), rules: [TestPaths.root + "/rules"])
        #expect(JSONFormatter.render(reread) == JSONFormatter.render(try Reports.build(Reports.examples, rules: [TestPaths.root + "/rules"])))
    }

    /// The JSON golden file parses and has the documented top-level keys in order.
    @Test func jsonLayout() throws {
        let json = JSONFormatter.render(try Self.report())
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(Set(object.keys) == ["meta", "loyalty", "revenue", "bundles", "churn", "upsell", "profitability"])
        let order = ["meta", "loyalty", "revenue", "bundles", "churn", "upsell", "profitability"].map { json.range(of: "\n  \"\($0)\": {")?.lowerBound }
        #expect(order.allSatisfy { $0 != nil })
        #expect(order.compactMap { $0 }.sorted() == order.compactMap { $0 })
        let churn = try #require(object["churn"] as? [String: Any])
        #expect(churn["alerts"] is NSNumber)
        #expect(churn["top_alerts"] is [Any])
        #expect(churn["top_alerts_omitted"] is NSNumber)
    }
}

/// docs/report-json.md: its example is what the command prints, and it names every key.
@Suite struct ReportJSONDocTests {
    static let doc = (try? String(contentsOfFile: TestPaths.root + "/docs/report-json.md", encoding: .utf8)) ?? ""

    @Test func exampleLinesAreInTheReport() throws {
        var report = try Reports.build(Reports.examples, rules: [TestPaths.root + "/rules"], limit: 2)
        report.meta = try GoldenTests.report().meta
        let json = JSONFormatter.render(report)
        let block = try #require(Self.doc.components(separatedBy: "```json\n").dropFirst().first?.components(separatedBy: "```").first)
        var checked = 0
        for line in block.split(separator: "\n") {
            var l = line.trimmingCharacters(in: .whitespaces)
            guard l != "…", !l.isEmpty else { continue }
            if l.hasSuffix(",") { l.removeLast() }
            #expect(json.contains(l), "docs/report-json.md example line not in the report: \(l)")
            checked += 1
        }
        #expect(checked > 50)
    }

    @Test func everyKeyIsDocumented() throws {
        let report = try GoldenTests.report()
        var keys = report.meta.map(\.key)
        for s in report.sections {
            keys.append(s.id)
            keys += s.figures.map(\.key)
            for t in s.tables { keys += [t.id] + t.columns.map(\.key) + (t.limited ? [t.id + "_omitted"] : []) }
        }
        for k in Set(keys).sorted() { #expect(Self.doc.contains("`\(k)`"), "docs/report-json.md does not name `\(k)`") }
    }
}

extension GoldenTests {
    /// Every line of the terminal report fits the width it was given (80 columns and up;
    /// text columns shrink to 8 characters at least, so very narrow terminals overflow).
    @Test(arguments: [80, 100, 160])
    func tableFitsTheWidth(_ width: Int) throws {
        let text = TableFormatter.render(try Self.report(), width: width)
        for line in text.split(separator: "\n") where !line.hasPrefix("  ") && line.count > width {
            Issue.record("\(line.count) > \(width): \(line)")
        }
    }
}
