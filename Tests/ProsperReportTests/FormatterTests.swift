import Foundation
import ProsperModel
@testable import ProsperReport
import Testing

/// The formatters over small hand-made documents, and the JSON layout's promises.
@Suite struct FormatterTests {
    static let doc = ReportDocument(
        meta: [("tool_version", .text("0.1.0")), ("customers", .integer(1234567))],
        sections: [Section(id: "churn", title: "D. Churn", figures: [("alerts", "Alerts", .integer(2)), ("precision", "Precision %", .null), ("revenue_at_risk", "Revenue at risk", .money(123456789))],
                           tables: [{
                               var t = Table(id: "top_alerts", title: "Alerts", columns: [.init("customer_id", "customer"), .init("company", "company"), .init("mrr", "MRR"), .init("share", "share %"), .init("score", "score"), .init("reasons", "reasons")],
                                             rows: [[.text("C1"), .text("Oak, \"Big\" | *Co*\nLtd"), .money(-5), .share(part: 1, whole: 3), .decimal(15, scale: 1), .list(["a", "b \"c\""])],
                                                    [.text("C2"), .text("Ünïcode ☃"), .money(100000), .share(part: 2, whole: 3), .decimal(-7, scale: 2), .list([])]])
                               t.omitted = 3
                               return t
                           }()],
                           notes: ["one \"note\""])])

    @Test func jsonIsValidAndExact() throws {
        let json = JSONFormatter.render(Self.doc)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(Set(object.keys) == ["meta", "churn"])
        #expect(json.contains("\"revenue_at_risk\": 1234567.89,"))
        #expect(json.contains("\"precision\": null,"))
        #expect(json.contains("\"company\": \"Oak, \\\"Big\\\" | *Co*\\nLtd\", \"mrr\": -0.05, \"share\": 33.33, \"score\": 1.5, \"reasons\": [\"a\", \"b \\\"c\\\"\"]"))
        #expect(json.contains("\"share\": 66.67, \"score\": -0.07, \"reasons\": []"))
        #expect(json.contains("\"top_alerts_omitted\": 3"))
        #expect(json.contains("\"notes\": [\"one \\\"note\\\"\"]"))
        #expect(json.hasSuffix("}\n"))
    }

    @Test func csvFollowsRFC4180() {
        let tables = CSVFormatter.tables(Self.doc)
        #expect(tables.map(\.name) == ["meta", "churn-figures", "churn-top_alerts"])
        #expect(tables[0].csv == "key,value\r\ntool_version,0.1.0\r\ncustomers,1234567\r\ncut:churn-top_alerts,showing 2 of 5 rows (--limit 2)\r\n")
        #expect(tables[1].csv == "key,label,value\r\nalerts,Alerts,2\r\nprecision,Precision %,\r\nrevenue_at_risk,Revenue at risk,1234567.89\r\n")
        #expect(tables[2].csv == "customer_id,company,mrr,share,score,reasons\r\n"
            + "C1,\"Oak, \"\"Big\"\" | *Co*\nLtd\",-0.05,33.33,1.5,\"a; b \"\"c\"\"\"\r\n"
            + "C2,Ünïcode ☃,1000.00,66.67,-0.07,\r\n")
        #expect(CSVFormatter.render(Self.doc) == tables.map { "# \($0.name)\r\n" + $0.csv }.joined(separator: "\r\n"))
    }

    @Test func markdownEscapesAndAligns() {
        let md = MarkdownFormatter.render(Self.doc)
        #expect(md.contains("| customer | company | MRR | share % | score | reasons |\n| --- | --- | ---: | ---: | ---: | --- |\n"))
        #expect(md.contains("| C1 | Oak, \"Big\" \\| \\*Co\\* Ltd | -0.05 | 33.33% | 1.5 | a; b \"c\" |"))
        #expect(md.contains("- Revenue at risk: **1,234,567.89**"))
        #expect(md.contains("_showing 2 of 5 rows (--limit 2)._"))
        // HTML and link syntax stay text.
        #expect(MarkdownFormatter.escape("<b>R&D</b> [x](y) C:\\") == "&lt;b>R&D&lt;/b> \\[x\\](y) C:\\\\")
    }

    @Test func tableAlignsNumbersAndFitsTheWidth() {
        let text = TableFormatter.render(Self.doc, width: 60)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.contains("customers: 1,234,567"))
        #expect(lines.contains("Revenue at risk: 1,234,567.89"))
        let header = try? #require(lines.firstIndex { $0.hasPrefix("customer  ") })
        guard let header else { return }
        let body = lines[header...].prefix(4)
        for l in body { #expect(l.count <= 60, "\(l)") }
        // Money right-aligned: both MRR cells end in the same column.
        let mrrEnds = [lines[header + 2], lines[header + 3]].map { l in l.range(of: l.contains("-0.05") ? "-0.05" : "1,000.00")!.upperBound.utf16Offset(in: l) }
        #expect(mrrEnds[0] == mrrEnds[1] || abs(mrrEnds[0] - mrrEnds[1]) <= 2)
        #expect(!text.contains("\u{1B}["))
        #expect(TableFormatter.render(Self.doc, width: 60, colour: true).contains("\u{1B}[1m"))
        #expect(text.contains("… showing 2 of 5 rows (--limit 2); --limit all shows every row"))
    }

    /// Every key of a section's JSON object (figures, tables, `<table>_omitted`,
    /// notes) is written once, in every section of the full report.
    @Test func everySectionKeyIsUnique() throws {
        let doc = try Reports.build(Reports.examples, rules: [TestPaths.root + "/rules"], limit: 1)
        #expect(doc.sections.map(\.id) == ["loyalty", "revenue", "bundles", "churn", "upsell", "profitability"])
        for s in doc.sections {
            let keys = s.figures.map(\.key) + s.tables.flatMap { [$0.id, $0.id + "_omitted"] } + ["notes"]
            #expect(Set(keys).count == keys.count, "\(s.id): \(keys)")
            for t in s.tables {
                #expect(Set(t.columns.map(\.key)).count == t.columns.count, "\(s.id).\(t.id)")
                for r in t.rows { #expect(r.count == t.columns.count, "\(s.id).\(t.id)") }
            }
        }
        let meta = doc.meta.map(\.key)
        #expect(meta == ["tool_version", "as_of", "data_fingerprint", "customers", "active_subscriptions", "rules"])
    }

    @Test func tableRowsStayOnOneLine() {
        let t = Table(id: "t", title: "T", columns: [.init("a", "a"), .init("b", "b")], rows: [[.text("Mittel\nstand"), .integer(1)]])
        let text = TableFormatter.table(t, width: 80)
        #expect(text.split(separator: "\n").count == 3)
        #expect(text.contains("Mittel stand"))
    }
}
