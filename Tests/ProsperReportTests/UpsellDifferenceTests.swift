import Foundation
import ProsperModel
import ProsperRules
import ProsperReport
import Testing
@testable import ProsperAnalytics

/// `UpsellDifference` numbers offers and looks up each side's offer bits once; it must
/// give what joining and comparing every customer's offer texts gives.
@Suite struct UpsellDifferenceTests {
    static func upsell(_ path: String) throws -> UpsellRules {
        let check = RuleSetChecker.check(paths: [path], schema: Reports.examples.schema)
        guard case .upsell(let rules)? = check.files.first, !check.hasErrors else { throw TestFailure("no upsell file at \(path)") }
        return rules
    }

    /// The offer text of one customer the plain way: the products of the rules whose bit
    /// is set, each once, in byte order, joined with `+`; `(none)` without an offer.
    static func offerText(_ bits: UInt64, _ r: UpsellRules) -> String {
        let chosen = r.recommendations.indices.filter { bits & (UInt64(1) << UInt64($0)) != 0 }.map { r.recommendations[$0].product }
        let products = r.offeredProducts.filter { p in chosen.contains { ExactText.equal($0, p) } }
        return products.isEmpty ? UpsellDifference.none : products.joined(separator: "+")
    }

    /// B: the same rules with lower user and team thresholds, or one recommendation
    /// dropped, so that offers appear, disappear and switch.
    static let variants: [(String, @Sendable (String) -> String)] = [
        ("lower thresholds", { $0.replacingOccurrences(of: "many_users: 10", with: "many_users: 4").replacingOccurrences(of: "big_team: 20", with: "big_team: 6") }),
        ("higher thresholds", { $0.replacingOccurrences(of: "many_users: 10", with: "many_users: 40").replacingOccurrences(of: "big_team: 20", with: "big_team: 90") }),
        ("same rules", { $0 }),
    ]

    @Test(arguments: variants.map(\.0))
    func transitionsAndExamplesMatchThePlainComputation(variant: String) throws {
        let path = TestPaths.root + "/rules/upsell.yaml"
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let changed = try #require(Self.variants.first { $0.0 == variant }).1(text)
        let dir = Scratch()
        defer { dir.remove() }
        dir.write("segments.yaml", try String(contentsOfFile: TestPaths.root + "/rules/segments.yaml", encoding: .utf8))
        let ra = try Self.upsell(path), rb = try Self.upsell(dir.write("upsell.yaml", changed))
        let data = Reports.examples
        let ca = try AnalyticsContext(dataset: data, rules: .upsell(ra)), cb = try AnalyticsContext(dataset: data, rules: .upsell(rb))
        let ea = try UpsellModule.run(ca, rules: ra, limit: 0), eb = try UpsellModule.run(cb, rules: rb, limit: 0)

        var expected: [String: (customers: Int, mrr: Int64)] = [:]
        var changedRows: [(row: Int, a: String, b: String)] = []
        for i in 0..<data.count {
            let x = Self.offerText(ea.offersPerCustomer[i], ra), y = Self.offerText(eb.offersPerCustomer[i], rb)
            guard x != y else { continue }
            expected[x + " → " + y, default: (0, 0)].customers += 1
            expected[x + " → " + y, default: (0, 0)].mrr += ca.mrr[i]
            changedRows.append((i, x, y))
        }
        let limit = 7
        let d = UpsellDifference.compute(ra, rb, ca, cb, ea, eb, limit: limit)
        #expect(d.transitions.count == expected.count)
        for t in d.transitions {
            let e = expected[t.from + " → " + t.to]
            #expect(e?.customers == t.customers && e?.mrr == t.mrr, "\(t.from) → \(t.to)")
        }
        #expect(d.totals.changed == changedRows.count)
        if variant == "same rules" { #expect(changedRows.isEmpty) } else { #expect(!changedRows.isEmpty) }
        // The examples: the first `limit` changed customers by MRR then id, with their offers.
        let ranked = changedRows.sorted { p, q in
            ca.mrr[p.row] != ca.mrr[q.row] ? ca.mrr[p.row] > ca.mrr[q.row] : Array(ca.customerID(p.row).utf8).lexicographicallyPrecedes(Array(ca.customerID(q.row).utf8))
        }.prefix(limit)
        #expect(d.examples.map(\.customerID) == ranked.map { ca.customerID($0.row) })
        #expect(d.examples.map(\.offerA) == ranked.map(\.a))
        #expect(d.examples.map(\.offerB) == ranked.map(\.b))
    }
}
