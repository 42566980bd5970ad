import ProsperModel
import ProsperRules
import ProsperReport
import Testing
@testable import ProsperAnalytics

/// The bounded heap keeps exactly what sorting and cutting keeps, on the orders that make
/// insertion lists slow (worst first) and on ties broken by a second key.
@Suite struct TopKTests {
    /// (value, tie-break): better = larger value, then smaller tie-break.
    typealias Item = (value: Int, id: Int)
    static func better(_ a: Item, _ b: Item) -> Bool { a.value != b.value ? a.value > b.value : a.id < b.id }

    static let shapes: [(String, [Int])] = [
        ("empty", []),
        ("one", [7]),
        ("ascending (worst first)", Array(0..<500)),
        ("descending (best first)", Array((0..<500).reversed())),
        ("all equal, ids decide", Array(repeating: 3, count: 300)),
        ("two values", (0..<401).map { $0 % 2 }),
        ("organ pipe", Array(0..<200) + Array((0..<200).reversed())),
    ]
    static let limits = [0, 1, 2, 19, 20, 199, 200, 399, 400, 401, 10_000]

    @Test(arguments: shapes)
    func keepsTheSortedPrefix(_ name: String, _ values: [Int]) {
        let items = values.enumerated().map { Item(value: $0.element, id: $0.offset) }
        let expected = items.sorted(by: Self.better)
        for limit in Self.limits {
            var top = TopK<Item>(limit: limit, better: Self.better)
            for item in items { top.consider(item) }
            let got = top.sorted()
            #expect(got.map(\.id) == expected.prefix(limit).map(\.id), "\(name), limit \(limit)")
        }
    }

    @Test func negativeLimitKeepsNothing() {
        var top = TopK<Item>(limit: -3, better: Self.better)
        top.consider((1, 1))
        top.consider((2, 2))
        #expect(top.sorted().isEmpty)
    }

    /// `UpsellModule.run(limit:)` keeps the first offers of the complete ranking (a limit
    /// past `TopOffers.boundedLimit` sorts every offer) at every limit: the heap and its
    /// shortcut for offers that add less than the last one kept change nothing.
    @Test func upsellLimitKeepsTheRankedPrefix() throws {
        let check = RuleSetChecker.check(paths: [TestPaths.root + "/rules/upsell.yaml"], schema: Reports.examples.schema)
        guard case .upsell(let rules)? = check.files.first, !check.hasErrors else { Issue.record("no upsell file"); return }
        let context = try AnalyticsContext(dataset: Reports.examples, rules: .upsell(rules))
        let full = try UpsellModule.run(context, rules: rules, limit: TopOffers.boundedLimit + 1)
        #expect(full.top.count == full.offerCount && full.offerCount > 3)
        let ranked = full.top.map { "\($0.row)/\($0.rule)" }
        for limit in [0, 1, 2, 3, full.offerCount / 2, full.offerCount - 1, full.offerCount, full.offerCount + 5] {
            let cut = try UpsellModule.run(context, rules: rules, limit: limit)
            #expect(cut.top.map { "\($0.row)/\($0.rule)" } == Array(ranked.prefix(max(limit, 0))), "limit \(limit)")
            #expect(cut.offerCount == full.offerCount && cut.addedMRR == full.addedMRR)
        }
    }

    /// `ChurnModule.run(limit:)` keeps the first alerts of the full ranking and the same
    /// counts and totals, at every limit including beyond the alert count.
    @Test func churnLimitKeepsTheRankedPrefix() throws {
        let check = RuleSetChecker.check(paths: [TestPaths.root + "/rules/churn.yaml"], schema: Reports.examples.schema)
        guard case .churn(let rules)? = check.files.first, !check.hasErrors else { Issue.record("no churn file"); return }
        let context = try AnalyticsContext(dataset: Reports.examples, rules: .churn(rules))
        let full = try ChurnModule.run(context, rules: rules)
        #expect(full.alertCount == full.alerts.count && full.alertCount > 3)
        for limit in [0, 1, 3, full.alertCount - 1, full.alertCount, full.alertCount + 5] {
            let cut = try ChurnModule.run(context, rules: rules, limit: limit)
            #expect(cut.alerts.map(\.row) == full.alerts.prefix(max(limit, 0)).map(\.row), "limit \(limit)")
            #expect(cut.alertCount == full.alertCount && cut.revenueAtRisk == full.revenueAtRisk)
            #expect(cut.byLevel.map(\.alerts) == full.byLevel.map(\.alerts))
            #expect(cut.bySegment.map(\.revenueAtRisk) == full.bySegment.map(\.revenueAtRisk))
        }
    }
}
