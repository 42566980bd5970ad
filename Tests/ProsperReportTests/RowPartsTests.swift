import Foundation
import ProsperModel
import ProsperRules
import ProsperReport
import Testing
@testable import ProsperAnalytics

/// The churn and upsell tallies run in parts of the rows at once (`RowParts`); merged,
/// the parts must give exactly what one walk gives, whatever the cut.
@Suite struct RowPartsTests {
    /// (rows, minimum rows per part, parts expected).
    static let cuts: [(Int, Int, Int)] = [
        (0, 100, 0), (1, 100, 1), (99, 100, 1), (199, 100, 1), (200, 100, 2), (399, 100, 3), (400, 100, 4),
        (1_000_000, 100, 4), (10_000_000, 1 << 16, 4), (131_071, 1 << 16, 1), (131_072, 1 << 16, 2), (5, 0, 4), (5, 1, 4), (3, 1, 3),
    ]

    @Test(arguments: cuts)
    func rangesCoverTheRowsInOrder(_ rows: Int, _ minimum: Int, _ parts: Int) {
        let ranges = RowParts.ranges(rows, minimumRows: minimum)
        #expect(ranges.count == parts, "\(rows) rows, at least \(minimum) per part")
        #expect(ranges.first?.lowerBound ?? 0 == 0 && ranges.last?.upperBound ?? 0 == rows)
        #expect(zip(ranges, ranges.dropFirst()).allSatisfy { $0.upperBound == $1.lowerBound })
        #expect(ranges.allSatisfy { !$0.isEmpty })
        if ranges.count > 1 { #expect(ranges.allSatisfy { $0.count >= minimum }) }
    }

    /// One saturating walk over `values` (what `UpsellModule` sums).
    static func walk(_ values: [Int64]) -> Int64 { values.reduce(0) { UpsellModule.sum($0, $1) } }

    static func sums(_ values: [Int64], cut: Int) -> [UpsellModule.PartSum] {
        stride(from: 0, to: values.count, by: max(cut, 1)).map { start in
            var s = UpsellModule.PartSum()
            for v in values[start..<min(start + max(cut, 1), values.count)] { s.add(v) }
            return s
        }
    }

    /// (name, values, part size, whether the parts can be joined).
    static let sumCases: [(String, [Int64], Int, Bool)] = [
        ("small", [5, -3, 12, 7, 0, -20], 2, true),
        ("none", [], 3, true),
        ("up to the maximum", [Int64.max - 10, 10, -5, 5], 1, true),
        ("a prefix above the maximum, back below", [Int64.max - 10, 20, -30], 1, false),
        ("saturates in one part", [Int64.max, 1, -1], 3, false),
        ("down to the minimum", [Int64.min + 10, -10, 3], 2, true),
        ("a prefix below the minimum", [-Int64.max, -10, 50], 1, false),
        ("large parts cancel", [Int64.max / 2, Int64.max / 2, -(Int64.max / 2), -(Int64.max / 2)], 2, true),
    ]

    @Test(arguments: sumCases)
    func partSumsJoinOnlyWhenNoPrefixLeavesInt64(_ name: String, _ values: [Int64], _ cut: Int, _ joinable: Bool) {
        let parts = Self.sums(values, cut: cut)
        let joined = UpsellModule.PartSum.joined(parts)
        #expect((joined != nil) == joinable, "\(name)")
        if let joined { #expect(joined == Self.walk(values), "\(name)") }
        // One part is the walk itself, joinable or not.
        #expect(Self.sums(values, cut: max(values.count, 1)).first?.saturated ?? 0 == Self.walk(values), "\(name)")
    }

    /// Random values near the limits: a join, when allowed, is the walk.
    @Test func partSumsMatchTheWalkOnRandomValues() {
        var rng = SplitMix(seed: 7)
        for round in 0..<300 {
            let big = round % 3 == 0
            let values: [Int64] = (0..<(Int(rng.next() % 40))).map { _ in
                let v = Int64(bitPattern: rng.next())
                return big ? v : v >> 8
            }
            for cut in [1, 2, 5, 64] {
                if let joined = UpsellModule.PartSum.joined(Self.sums(values, cut: cut)) {
                    #expect(joined == Self.walk(values), "round \(round), parts of \(cut)")
                }
            }
        }
    }

    static let partRows = [1, 100, 200, 400, Int.max]

    static func rules(_ path: String) throws -> RuleFile {
        let check = RuleSetChecker.check(paths: [path], schema: Reports.examples.schema)
        guard let file = check.files.first, !check.hasErrors else { throw TestFailure("\(path) does not check") }
        return file
    }

    @Test(arguments: [0, 3, 20, Int.max])
    func churnTalliesInPartsAreOneWalk(limit: Int) throws {
        guard case .churn(let rules) = try Self.rules(TestPaths.root + "/rules/churn.yaml") else { throw TestFailure("not a churn file") }
        let context = try AnalyticsContext(dataset: Reports.examples, rules: .churn(rules))
        let one = try ChurnModule.run(context, rules: rules, limit: limit, everyAlert: true, partRows: .max)
        #expect(one.alertCount > 20)
        for rows in Self.partRows {
            let parts = try ChurnModule.run(context, rules: rules, limit: limit, everyAlert: true, partRows: rows)
            // Every field of the result, compared whole (and not printed: it is long).
            let same = String(describing: parts) == String(describing: one)
            #expect(same, "parts of \(rows) rows, limit \(limit)")
        }
    }

    /// The default upsell file, computed values with replaced products, per-seat values,
    /// faults, and `all` with two rules for one product (offers de-duplicated per part).
    static let upsellFiles = ["rules/upsell.yaml"] + ["downgrade", "upgrade", "per-seat", "faults", "null-value"].map {
        "Tests/ProsperReportTests/Fixtures/computed-offers/\($0).yaml"
    }

    static let allStrategy = """
        kind: upsell
        strategy: all
        prices:
          Payroll: 45.00
        recommendations:
          - name: payroll-for-teams
            when: users >= 5
            recommend: Payroll
          - name: payments
            when: '"Invoicing" in products'
            recommend: Payments
          - name: payroll-again
            when: employees >= 10
            recommend: Payroll
        """

    @Test(arguments: [0, 5, 20, TopOffers.boundedLimit + 1])
    func upsellTalliesInPartsAreOneWalk(limit: Int) throws {
        let dir = Scratch()
        defer { dir.remove() }
        let paths = Self.upsellFiles.map { TestPaths.root + "/" + $0 } + [dir.write("all.yaml", Self.allStrategy)]
        for path in paths {
            guard case .upsell(let rules) = try Self.rules(path) else { throw TestFailure("\(path) is not an upsell file") }
            let context = try AnalyticsContext(dataset: Reports.examples, rules: .upsell(rules))
            let one = try UpsellModule.run(context, rules: rules, limit: limit, partRows: .max)
            #expect(one.offerCount > 0, "\(path)")
            for rows in Self.partRows {
                let parts = try UpsellModule.run(context, rules: rules, limit: limit, partRows: rows)
                let same = String(describing: parts) == String(describing: one)
                #expect(same, "\(path): parts of \(rows) rows, limit \(limit)")
            }
        }
    }
}
