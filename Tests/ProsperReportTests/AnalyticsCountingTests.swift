import ProsperAnalytics
import ProsperModel
import ProsperRules
import Testing

// The counting that moved from the report's layout into ProsperAnalytics: customers and
// MRR per segment, the product-count × tier grid, and the tallies of `compare`. The
// expected figures are worked out by hand from Fixtures/small (see ModuleTests).
@Suite struct AnalyticsCountingTests {
    static let fixtures = TestPaths.fixtures + "/analytics-counting"

    /// The checked rule files of `paths` over the small data set.
    static func files(_ paths: [String]) throws -> [RuleFile] {
        let check = RuleSetChecker.check(paths: paths, schema: Reports.small.schema)
        if check.hasErrors { throw TestFailure(check.diagnostics.map(\.description).joined(separator: "\n")) }
        return check.files
    }

    static func segments(_ path: String) throws -> SegmentRules {
        guard let s = try files([path]).compactMap(\.segments).first else { throw TestFailure("no segments in \(path)") }
        return s
    }

    /// The small data set with `segment` from `rules`.
    static func context(_ rules: SegmentRules) throws -> AnalyticsContext {
        let a = try SegmentEngine.assign(rules, to: Reports.small)
        return AnalyticsContext(dataset: Reports.small, columns: BoundColumns(dataset: Reports.small).with(extra: ["segment": .string(a.column)]), included: nil)
    }

    // MARK: Segments

    struct SegmentCase: Sendable, CustomStringConvertible {
        let file: String
        let groups: [(label: String, customers: Int, mrr: String)]
        let unmatched: Int
        var description: String { file }
    }

    static let segmentCases: [SegmentCase] = [
        SegmentCase(file: TestPaths.smallRules + "/segments.yaml",
                    groups: [("Micro", 3, "60.01"), ("Small Business", 4, "225.02"), ("Mid-Market", 2, "194.00"), ("Enterprise", 1, "70.00")], unmatched: 0),
        SegmentCase(file: fixtures + "/size-no-otherwise.yaml",
                    groups: [("Micro", 3, "60.01"), ("Small Business", 4, "225.02"), ("(none)", 3, "264.00")], unmatched: 3),
    ]

    @Test(arguments: segmentCases) func segmentGroups(_ c: SegmentCase) throws {
        let g = SegmentGroups.count(try Self.context(try Self.segments(c.file)))
        #expect(g.labels == c.groups.map(\.label))
        #expect(g.customers == c.groups.map(\.customers))
        #expect(g.totals == c.groups.map { cents($0.mrr) })
        #expect(g.customerCount == 10)
        #expect(g.unmatched == c.unmatched)
    }

    // MARK: Report header

    /// Active subscriptions: C04's cancelled Invoicing does not count (2+3+4+2+1+2+3+0+2+1).
    @Test func activeSubscriptions() {
        #expect(Reports.small.activeSubscriptionCount == 20)
    }

    // MARK: Product count × tier

    @Test func productCountByTier() throws {
        let files = try Self.files([TestPaths.smallRules + "/analytics.yaml"])
        guard case .analytics(let r)? = files.first(where: { if case .analytics = $0 { true } else { false } }) else { throw TestFailure("no analytics file") }
        let c = AnalyticsContext(dataset: Reports.small, columns: BoundColumns(dataset: Reports.small), included: nil)
        let (tiers, _) = try GroupLabels.tiers(r, columns: c.columns)
        let grid = try #require(ProductCountByTier.count(c, tiers: tiers))
        #expect(grid.tierLabels == ["Champion", "Engaged", "Single product"])
        // (products, tier) → customers; every other cell is 0.
        let expected: [[Int]: Int] = [[0, 2]: 1, [1, 2]: 2, [2, 1]: 4, [3, 1]: 2, [4, 0]: 1]
        for n in 0...ProductSetColumn.maxProducts {
            for t in 0..<3 { #expect(grid.customers(n, t) == expected[[n, t]] ?? 0, "\(n) products, tier \(t)") }
        }
        // Outside the table: 0, never a trap.
        for (n, t) in [(-1, 0), (0, -1), (0, 3), (ProductSetColumn.maxProducts + 1, 0), (Int.max, 2), (Int.min, 0)] {
            #expect(grid.customers(n, t) == 0)
        }
    }

    // MARK: compare: segments

    @Test func segmentPairsAndMoved() throws {
        let a = try Self.segments(TestPaths.smallRules + "/segments.yaml"), b = try Self.segments(Self.fixtures + "/size-two.yaml")
        let d = SegmentDifference.compute(a, b, try Self.context(a), try Self.context(b))
        let pairs = d.pairs(a, b)
        #expect(pairs.map { [$0.a, $0.b, String($0.customers), $0.moved ? "yes" : "no"] } == [
            ["Micro", "Micro", "3", "no"],
            ["Small Business", "Mid-Market", "4", "yes"],
            ["Mid-Market", "Mid-Market", "2", "no"],
            ["Enterprise", "Mid-Market", "1", "yes"],
        ])
        #expect(SegmentDifference.moved(pairs) == 5)
        #expect(d.customers == 10)
    }

    // MARK: compare: upsell

    struct UpsellCase: Sendable, CustomStringConvertible {
        let name: String
        let transitions: [UpsellDifference.Transition]
        /// from → to, in the expected order.
        let ordered: [String]
        let totals: UpsellDifference.Totals
        var description: String { name }
    }

    static func t(_ from: String, _ to: String, _ n: Int) -> UpsellDifference.Transition {
        UpsellDifference.Transition(from: from, to: to, customers: n, mrr: Int64(n) * 100)
    }

    static let none = UpsellDifference.none
    static let upsellCases: [UpsellCase] = [
        UpsellCase(name: "no change", transitions: [], ordered: [], totals: .init()),
        UpsellCase(name: "gained, lost and switched",
                   transitions: [t(none, "Payroll", 2), t("Tax", none, 5), t("Tax", "Payroll", 2), t(none, "Expenses", 2)],
                   ordered: ["Tax→(none)", "(none)→Expenses", "(none)→Payroll", "Tax→Payroll"],
                   totals: .init(changed: 11, gained: 4, lost: 5, switched: 2)),
        UpsellCase(name: "ties by bytes, not by locale",
                   transitions: [t("b", "x", 1), t("B", "x", 1), t("a", "y", 1), t("a", "X", 1)],
                   ordered: ["B→x", "a→X", "a→y", "b→x"],
                   totals: .init(changed: 4, gained: 0, lost: 0, switched: 4)),
    ]

    @Test(arguments: upsellCases) func upsellTallies(_ c: UpsellCase) {
        let d = UpsellDifference(transitions: c.transitions, examples: [])
        #expect(d.ordered.map { $0.from + "→" + $0.to } == c.ordered)
        #expect(d.totals == c.totals)
    }
}
