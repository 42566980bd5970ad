import Foundation
import ProsperModel
import ProsperReport
import Testing

/// `money:` (a mapping's or the project's): the report says what the amounts are, and
/// labels amounts only then — a currency by its code, a score by its own unit.
@Suite struct MoneyUnitReportTests {
    static func doc(_ unit: MoneyUnit?) throws -> ReportDocument {
        try Reports.build(Reports.small.withMoneyUnit(unit), rules: [TestPaths.smallRules])
    }

    @Test(arguments: [
        (MoneyUnit.currency("EUR"), "currency", "EUR"),
        (MoneyUnit.unit("value points"), "amount_unit", "value points"),
    ])
    func aDeclaredUnitLabelsEveryAmountForPeople(_ unit: MoneyUnit, _ key: String, _ label: String) throws {
        let doc = try Self.doc(unit)
        // The meta carries it, after the data's counts; JSON and CSV amounts stay plain numbers.
        let keys = doc.meta.map(\.key)
        #expect(keys.firstIndex(of: key) == (keys.firstIndex(of: "active_subscriptions") ?? -1) + 1)
        #expect(doc.amountUnit == label)
        let json = JSONFormatter.render(doc)
        #expect(json.contains("\"\(key)\": \"\(label)\",\n"))
        let text = TableFormatter.render(doc, width: 200)
        #expect(text.contains("\n\(key): \(label)\n"))
        #expect(text.contains("Revenue at risk (MRR): 334.00 \(label)\n"))
        #expect(text.contains("MRR (\(label))"))
        // Counts and shares are not amounts.
        #expect(!text.contains("customers (\(label))"))
        #expect(!text.contains("share % (\(label))"))
        let md = MarkdownFormatter.render(doc)
        #expect(md.contains("- **\(key)**: \(label)\n"))
        #expect(md.contains("MRR (\(label)) |"))
        let html = HTMLFormatter.render(doc)
        #expect(html.contains("<span class=\"unit\">\(label)</span>"))
    }

    @Test func withoutADeclarationNothingIsLabelled() throws {
        let doc = try Self.doc(nil)
        #expect(doc.amountUnit == nil)
        #expect(!doc.meta.contains { $0.key == "currency" || $0.key == "amount_unit" })
        let text = TableFormatter.render(doc, width: 200)
        #expect(!text.contains("MRR ("))
        #expect(!HTMLFormatter.render(doc).contains("<span class=\"unit\">"))
        // The label is not data: the fingerprint and every figure stay the same.
        let labelled = try Self.doc(.currency("USD"))
        #expect(JSONFormatter.render(labelled).replacingOccurrences(of: "    \"currency\": \"USD\",\n", with: "") == JSONFormatter.render(doc))
    }

    @Test func anEngineReportIsLabelledOnceAfterTheFact() throws {
        let doc = try Self.doc(nil)
        let labelled = doc.declaringMoney(.unit("points"))
        #expect(labelled.amountUnit == "points")
        // A document that already says keeps its own.
        #expect(labelled.declaringMoney(.currency("USD")).amountUnit == "points")
        #expect(doc.declaringMoney(nil).meta.count == doc.meta.count)
    }
}
