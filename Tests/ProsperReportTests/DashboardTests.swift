import Foundation
import ProsperModel
import ProsperReport
import Testing

/// The HTML dashboard: same numbers as `report --format json`, self-contained (nothing
/// fetched), escaped, deterministic and small.
@Suite struct DashboardTests {
    /// The report over examples/data with the shipped rules, and over the hand-made
    /// ten customers with the fixture rules.
    static func documents() throws -> [(name: String, doc: ReportDocument)] {
        [("examples", try Reports.build(Reports.examples, rules: [TestPaths.root + "/rules"], limit: 10)),
         ("small", try Reports.build(rules: [TestPaths.smallRules]))]
    }

    // MARK: Same numbers as the JSON report

    @Test func tablesAndFiguresEqualTheJSONReport() throws {
        for (name, doc) in try Self.documents() {
            let html = HTMLFormatter.render(doc)
            let json = try #require(try JSONSerialization.jsonObject(with: Data(JSONFormatter.render(doc).utf8)) as? [String: Any])
            let tables = DashboardHTML.tables(html)
            let expectedCount = doc.sections.reduce(0) { $0 + $1.tables.count }
            #expect(tables.count == expectedCount, "\(name): \(tables.count) tables in the page, \(expectedCount) in the document")
            for t in tables {
                let parts = t.id.split(separator: ".", maxSplits: 1).map(String.init)
                let section = try #require(json[parts[0]] as? [String: Any], "\(name): no section \(parts[0]) in the JSON")
                let rows = try #require(section[parts[1]] as? [[String: Any]], "\(name): no table \(t.id) in the JSON")
                #expect(t.rows.count == rows.count, "\(name) \(t.id): \(t.rows.count) rows in the page, \(rows.count) in the JSON")
                for (r, (page, expected)) in zip(t.rows, rows).enumerated() {
                    #expect(page.count == t.keys.count, "\(name) \(t.id) row \(r): \(page.count) cells")
                    for (key, cell) in zip(t.keys, page) {
                        #expect(DashboardHTML.same(cell, expected[key]), "\(name) \(t.id) row \(r) \(key): page \(cell), JSON \(String(describing: expected[key]))")
                    }
                }
                let omitted = (section[parts[1] + "_omitted"] as? NSNumber)?.intValue ?? 0
                #expect(t.omitted == omitted, "\(name) \(t.id): \(t.omitted) omitted in the page, \(omitted) in the JSON")
            }
            for (id, value) in DashboardHTML.figures(html) {
                let parts = id.split(separator: ".", maxSplits: 1).map(String.init)
                let section = try #require(json[parts[0]] as? [String: Any], "\(name): no section \(parts[0])")
                #expect(DashboardHTML.same(value, section[parts[1]]), "\(name) figure \(id): page \(value), JSON \(String(describing: section[parts[1]]))")
            }
            #expect(DashboardHTML.figures(html).count == doc.sections.reduce(0) { $0 + $1.figures.count })
        }
    }

    /// The numbers of the page are the document's exact texts, not re-formatted doubles.
    @Test func numericCellsCarryTheExactPlainText() throws {
        for (_, doc) in try Self.documents() {
            let html = HTMLFormatter.render(doc)
            let tables = DashboardHTML.tables(html)
            for s in doc.sections {
                for t in s.tables {
                    let page = try #require(tables.first { $0.id == s.id + "." + t.id })
                    #expect(page.rows == t.rows.map { $0.map(DashboardHTML.expectedText) }, "\(s.id).\(t.id)")
                }
            }
        }
    }

    @Test func headerShowsTheKeyFigures() throws {
        let doc = try Reports.build(Reports.examples, rules: [TestPaths.root + "/rules"], limit: 10)
        let html = HTMLFormatter.render(doc)
        let header = try #require(html.components(separatedBy: "<nav").first)
        for (section, key) in [("revenue", "total_mrr"), ("churn", "alerts"), ("churn", "revenue_at_risk"), ("upsell", "offers"), ("upsell", "added_mrr")] {
            let figure = try #require(doc.sections.first { $0.id == section }?.figures.first { $0.key == key }?.value)
            #expect(header.contains(figure.human), "\(section).\(key) \(figure.human) not in the header")
        }
        for key in ["as_of", "data_fingerprint", "customers"] {
            let value = try #require(doc.meta.first { $0.key == key }?.value)
            #expect(header.contains(value.human), "meta \(key)")
        }
        // Next actions come before the first module, ranked as the document ranks them.
        let actions = try #require(html.range(of: "id=\"actions\""))
        let loyalty = try #require(html.range(of: "id=\"sec-loyalty\""))
        #expect(actions.lowerBound < loyalty.lowerBound)
        let alerts = try doc.table("churn", "top_alerts")
        let company = try #require(alerts.columns.firstIndex { $0.key == "company" })
        var last = actions.lowerBound
        for row in alerts.rows.prefix(HTMLFormatter.actionCount) {
            let r = try #require(html.range(of: ">" + DashboardHTML.escaped(row[company].human) + "<", range: last..<html.endIndex), "\(row[company].human) in next actions")
            last = r.upperBound
        }
    }

    // MARK: Self-contained

    @Test func pageFetchesNothing() throws {
        for (_, doc) in try Self.documents() {
            let html = HTMLFormatter.render(doc).lowercased()
            for needle in ["http:", "https:", "src=", "<link", "<img", "<iframe", "<object", "<embed", "@import", "//cdn", "xlink:href", "srcset"] {
                #expect(!html.contains(needle), "the page contains \(needle)")
            }
            // url(...) only for the page's own gradients.
            for part in html.components(separatedBy: "url(").dropFirst() { #expect(part.hasPrefix("#")) }
            #expect(html.contains("content-security-policy"))
            #expect(html.components(separatedBy: "<script").count == 2, "one inline script")
            #expect(html.components(separatedBy: "<style").count == 2, "one inline stylesheet")
        }
    }

    @Test func everyModuleHasAnAccessibleChart() throws {
        let doc = try Reports.build(Reports.examples, rules: [TestPaths.root + "/rules"], limit: 10)
        let html = HTMLFormatter.render(doc)
        for id in ["loyalty", "revenue", "bundles", "churn", "upsell", "profitability"] {
            let svg = try #require(html.components(separatedBy: "<svg class=\"chart w\" id=\"ch-\(id)-1\"").dropFirst().first?.components(separatedBy: "</svg>").first, "no chart for \(id)")
            #expect(svg.contains("<title id=\"ch-\(id)-1-t\">") && svg.contains("<desc id=\"ch-\(id)-1-d\">"), "\(id): title and desc")
            #expect(svg.contains("<rect"), "\(id): marks")
            #expect(svg.contains("class=\"ax\""), "\(id): axis titles")
            #expect(html.contains("id=\"ch-\(id)-1-n\""), "\(id): phone layout")
        }
        // The histogram is coloured by tier, with a legend naming every tier.
        for tier in try doc.table("loyalty", "by_tier").rows.map({ $0[0].human }) {
            #expect(html.contains("class=\"lg\">\(tier)</text>"), "legend for \(tier)")
        }
    }

    // MARK: Escaping

    @Test func hostileTextIsEscapedEverywhere() throws {
        let evil = "<script>alert('x')</script> & \"Co\""
        let doc = Self.hostileDocument(evil)
        let html = HTMLFormatter.render(doc)
        #expect(!html.contains("<script>alert"))
        #expect(!html.contains("\"Co\""))
        #expect(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;Co&quot;"))
        #expect(html.components(separatedBy: "<script").count == 2, "only the page's own script")
        // Every table cell still reads back as the original text.
        let tables = DashboardHTML.tables(html)
        let alerts = try #require(tables.first { $0.id == "churn.top_alerts" })
        #expect(alerts.rows.first?[1] == evil)
        // Control characters never reach the page.
        #expect(!html.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" && $0 != "\t" })
    }

    static func hostileDocument(_ evil: String) -> ReportDocument {
        let bell = "\u{07}bell"
        return ReportDocument(meta: [("as_of", .text("2026-11-01")), ("customers", .integer(2)), ("data_fingerprint", .text(evil)),
                                     ("rules", .records([[.init("name", .text(evil)), .init("kind", .text("churn")), .init("version", .text("1")), .init("file", .text(evil))]]))],
                              sections: [
                                Section(id: "revenue", title: evil, figures: [("total_mrr", evil, .money(12_345))],
                                        tables: [Table(id: "cells", title: evil, columns: [.init("product", "product"), .init("segment", evil), .init("revenue", "MRR"), .init("share", "share %")],
                                                       rows: [[.text(evil), .text(evil + bell), .money(12_345), .share(part: 1, whole: 1)]]),
                                                 Table(id: "row_totals", title: "rows", columns: [.init("product", "product"), .init("revenue", "MRR"), .init("share", "share %")], rows: [[.text(evil), .money(12_345), .share(part: 1, whole: 1)]]),
                                                 Table(id: "column_totals", title: "cols", columns: [.init("segment", "segment"), .init("revenue", "MRR"), .init("share", "share %")], rows: [[.text(evil + bell), .money(12_345), .share(part: 1, whole: 1)]])]),
                                Section(id: "churn", title: "D", figures: [("alerts", "Alerts", .integer(1)), ("precision", "Precision %", .null)],
                                        tables: [Table(id: "top_alerts", title: "Alerts", columns: [.init("customer_id", "customer"), .init("company", "company"), .init("segment", "segment"), .init("mrr", "MRR"), .init("level", "level"), .init("score", "score"), .init("reasons", "reasons")],
                                                       rows: [[.text("C1"), .text(evil), .text(evil), .money(100), .text(evil), .decimal(5, scale: 0), .list([evil, evil])]]),
                                                 Table(id: "by_level", title: "levels", columns: [.init("level", "level"), .init("alerts", "alerts"), .init("revenue_at_risk", "revenue at risk")], rows: [[.text(evil), .integer(1), .money(100)]]),
                                                 Table(id: "by_segment", title: "segments", columns: [.init("segment", "segment"), .init("alerts", "alerts"), .init("revenue_at_risk", "revenue at risk")], rows: [[.text(evil), .integer(1), .money(100)]])],
                                        notes: [evil]),
                                Section(id: "upsell", title: "E", figures: [("offers", "Offers", .integer(1)), ("added_mrr", "added", .money(4500))],
                                        tables: [Table(id: "by_product", title: "p", columns: [.init("product", "product"), .init("offers", "offers"), .init("added_mrr", "added MRR")], rows: [[.text(evil), .integer(1), .money(4500)]]),
                                                 Table(id: "top_offers", title: "o", columns: [.init("customer_id", "customer"), .init("company", "company"), .init("product", "product"), .init("rule", "rule"), .init("reason", "reason"), .init("added_mrr", "added MRR")],
                                                       rows: [[.text("C2"), .text(evil), .text(evil), .text(evil), .text(evil), .money(4500)]])]),
                              ])
    }

    // MARK: Determinism and size

    @Test func sameDocumentSameBytes() throws {
        let a = HTMLFormatter.render(try Reports.build(Reports.examples, rules: [TestPaths.root + "/rules"], limit: 10, parallel: true))
        let b = HTMLFormatter.render(try Reports.build(Reports.examples, rules: [TestPaths.root + "/rules"], limit: 10, parallel: false))
        #expect(a == b)
    }

    @Test func hugeTablesKeepThePageSmall() throws {
        let n = 200_000
        var big = Table(id: "cells", title: "Revenue per product and customer", columns: [.init("product", "product"), .init("customer_id", "customer_id"), .init("revenue", "MRR"), .init("share", "share %")],
                        rows: (0..<n).map { [.text("P\($0 % 7)"), .text("C\($0)"), .money(Int64($0)), .share(part: Int64($0), whole: Int64(n))] })
        big.omitted = 5
        let doc = ReportDocument(meta: [("customers", .integer(Int64(n)))], sections: [
            Section(id: "revenue", title: "B", figures: [("total_mrr", "Total MRR", .money(1))],
                    tables: [big,
                             Table(id: "row_totals", title: "rows", columns: [.init("product", "product"), .init("revenue", "MRR"), .init("share", "share %")], rows: (0..<7).map { [.text("P\($0)"), .money(Int64($0)), .share(part: 1, whole: 7)] }),
                             Table(id: "column_totals", title: "cols", columns: [.init("customer_id", "customer_id"), .init("revenue", "MRR"), .init("share", "share %")], rows: (0..<n).map { [.text("C\($0)"), .money(Int64($0)), .share(part: Int64($0), whole: Int64(n))] })]),
        ])
        let html = HTMLFormatter.render(doc)
        #expect(html.utf8.count < 2_000_000, "\(html.utf8.count) bytes")
        #expect(html.contains("data-hidden=\"\(n - HTMLFormatter.maxTableRows)\""))
        #expect(html.contains("data-omitted=\"5\""))
    }

    @Test func partialAndEmptyDocumentsRender() throws {
        let churnOnly = try Reports.build(rules: [TestPaths.smallRules + "/churn.yaml", TestPaths.smallRules + "/segments.yaml"])
        let html = HTMLFormatter.render(churnOnly)
        #expect(html.contains("id=\"sec-churn\"") && !html.contains("id=\"sec-loyalty\""))
        #expect(html.hasSuffix("</html>\n"))
        let empty = HTMLFormatter.render(ReportDocument(meta: [], sections: []))
        #expect(empty.hasPrefix("<!DOCTYPE html>") && empty.hasSuffix("</html>\n"))
    }
}

/// Reads the dashboard's tables back: `data-v` for numbers, unescaped text otherwise.
enum DashboardHTML {
    struct PageTable {
        let id: String
        let keys: [String]
        let rows: [[String]]
        let omitted: Int
    }

    static func tables(_ html: String) -> [PageTable] {
        html.components(separatedBy: "<table class=\"data\"").dropFirst().map { part in
            let table = part.components(separatedBy: "</table>").first ?? ""
            let id = attribute("data-table", in: table) ?? ""
            let keys = table.components(separatedBy: "data-key=\"").dropFirst().map { unescape(String($0.prefix { $0 != "\"" })) }
            let body = table.components(separatedBy: "<tbody>").dropFirst().first ?? ""
            let rows = body.components(separatedBy: "<tr>").dropFirst().map { row in
                row.components(separatedBy: "<td").dropFirst().map { cell -> String in
                    let open = String(cell.prefix { $0 != ">" })
                    if let v = attribute("data-v", in: open) { return v }
                    let content = cell.drop { $0 != ">" }.dropFirst()
                    return unescape(content.components(separatedBy: "</td>").first ?? "")
                }
            }
            let after = part.components(separatedBy: "</table>").dropFirst().first ?? ""
            let omitted = attribute("data-omitted", in: after.components(separatedBy: "<section").first ?? "").flatMap { Int($0) } ?? 0
            return PageTable(id: unescape(id), keys: keys, rows: rows, omitted: omitted)
        }
    }

    /// `data-figure` ids with their `data-v` values.
    static func figures(_ html: String) -> [(String, String)] {
        html.components(separatedBy: "data-figure=\"").dropFirst().map { part in
            (unescape(String(part.prefix { $0 != "\"" })), attribute("data-v", in: part) ?? "")
        }
    }

    static func attribute(_ name: String, in s: String) -> String? {
        guard let r = s.range(of: name + "=\"") else { return nil }
        return unescape(String(s[r.upperBound...].prefix { $0 != "\"" }))
    }

    static func unescape(_ s: String) -> String {
        s.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&amp;", with: "&")
    }

    static func escaped(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
            .replacingOccurrences(of: "\"", with: "&quot;").replacingOccurrences(of: "'", with: "&#39;")
    }

    /// What the page must show for a document cell: the plain value of numbers (the
    /// JSON text), the text of texts and lists.
    static func expectedText(_ c: Cell) -> String {
        switch c {
        case .null: return ""
        case .integer, .money, .share, .decimal: return c.plain
        case .list(let items): return items.joined(separator: "; ")
        default: return c.human
        }
    }

    /// A page value against a JSON value: numbers by value, texts exactly, lists joined
    /// with "; ", null as the empty `data-v`.
    static func same(_ page: String, _ json: Any?) -> Bool {
        switch json {
        case let s as String: return page == s
        case let a as [String]: return page == a.joined(separator: "; ")
        case let n as NSNumber: return Double(page) == n.doubleValue
        case is NSNull: return page.isEmpty
        default: return false
        }
    }
}
