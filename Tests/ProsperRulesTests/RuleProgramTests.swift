import Testing
import ProsperModel
@testable import ProsperRules

/// Whole rule files, compiled and run over the test dataset, against the scalar
/// reference evaluated customer by customer: derived fields, thresholds, segments,
/// weights, levels, strategies and reason texts.
@Suite struct RuleProgramTests {
    static let segments = """
        kind: segments
        segments:
          - name: Micro
            when: employees < 10
          - name: Small Business
            when: employees < 50
          - name: Mid-Market
            when: employees < 250
        otherwise: Enterprise
        """

    static let churn = """
        kind: churn
        name: Program test
        thresholds:
          high_value_mrr: 40
          quiet: 30
        fields:
          revenue_per_user: if users > 0 then mrr / users else null
          quiet_for: days_between(last_active_date, as_of)
          unhappy: coalesce(nps, 5) < 6
        eligible: mrr >= high_value_mrr or segment == "Enterprise"
        signals:
          - name: quiet
            when: quiet_for >= quiet
            weight: 1.5
            reason: "quiet for {quiet_for} days ({{not}} good)"
          - name: unhappy
            when: unhappy or cancel_intent
            weight: 2
            reason: "nps {coalesce(nps, 0)}, {revenue_per_user} per user, {products}"
          - name: cheap-users
            when: revenue_per_user < 20
            weight: 0.5
        levels:
          high: 3
          low: 1.5
        """

    struct Loaded {
        let files: [String: RuleFile]
        let columns: BoundColumns
    }

    /// Loads `texts` (name → YAML) beside the segments file and binds `segment`.
    static func load(_ texts: [String: String]) throws -> Loaded {
        let folder = TempFolder()
        defer { folder.remove() }
        folder.write("segments.yaml", segments)
        var loader = RuleLoader(schema: TestData.shared.schema)
        var files: [String: RuleFile] = [:]
        for (name, text) in texts.sorted(by: { $0.key < $1.key }) {
            files[name] = loader.load(path: folder.write(name, text))
        }
        #expect(loader.diagnostics.items.isEmpty, "\(loader.diagnostics.sorted)")
        guard case .segments(let s)? = loader.load(path: folder.path + "/segments.yaml") else { throw Missing() }
        let assignment = try SegmentEngine.assign(s, to: TestData.shared)
        return Loaded(files: files, columns: BoundColumns(dataset: TestData.shared, extra: ["segment": .string(assignment.column)]))
    }

    struct Missing: Error {}

    static func holds(_ c: CheckedCondition, _ row: RowReader) -> Bool {
        (try? ScalarEvaluator.holds(c.typed, row: row)) ?? false
    }

    @Test func churnProgramMatchesTheReference() throws {
        let loaded = try Self.load(["churn.yaml": Self.churn])
        guard case .churn(let rules)? = loaded.files["churn.yaml"] else { throw Missing() }
        let scores = try ChurnProgram(rules: rules, columns: loaded.columns).run()
        #expect(rules.weightScale == 1)
        var mismatches: [String] = []
        for i in 0..<TestData.rows {
            let row = RowReader(columns: loaded.columns, row: i)
            let eligible = rules.eligible.map { Self.holds($0, row) } ?? true
            var bits: UInt64 = 0, score: Int64 = 0
            for (k, s) in rules.signals.enumerated() where eligible && Self.holds(s.when, row) {
                bits |= 1 << UInt64(k)
                score += s.weight
            }
            let level = eligible ? (rules.levels.firstIndex { score >= $0.minimum }.map(Int8.init) ?? -1) : -1
            if scores.eligible[i] != (eligible ? 1 : 0) || scores.signals[i] != bits || scores.score[i] != score || scores.level[i] != level {
                mismatches.append("row \(i): eligible \(scores.eligible[i]) signals \(scores.signals[i]) score \(scores.score[i]) level \(scores.level[i]); reference \(eligible) \(bits) \(score) \(level)")
            }
            if mismatches.count > 3 { break }
        }
        #expect(mismatches.isEmpty, "\(mismatches)")
        // Customer 2 (row 1): 40 employees, $0: not eligible; customer 4: Enterprise, all three signals.
        #expect(Array(scores.eligible.prefix(5)) == [1, 0, 1, 1, 1])
        #expect(scores.signals[3] == 0b111)
        #expect(scores.score[3] == 40)
        #expect(scores.level[3] == 0)
        #expect(scores.faults.isEmpty)
        let row = RowReader(columns: loaded.columns, row: 3)
        #expect(rules.signals[0].reason?.render(row) == "quiet for 180 days ({not} good)")
        #expect(rules.signals[1].reason?.render(row) == "nps 10, 0.50 per user, Expenses, Invoicing, Payroll")
        let customer2 = RowReader(columns: loaded.columns, row: 2)
        #expect(rules.signals[1].reason?.render(customer2) == "nps 0, n/a per user, Accounting, Payments")
    }

    @Test func shippedRulesMatchTheReference() throws {
        let root = Fixtures.repositoryRoot + "/rules/"
        let churnText = Fixtures.read(root + "churn.yaml"), upsellText = Fixtures.read(root + "upsell.yaml")
        let loaded = try Self.load(["churn.yaml": churnText, "upsell.yaml": upsellText])
        guard case .churn(let churn)? = loaded.files["churn.yaml"], case .upsell(let upsell)? = loaded.files["upsell.yaml"] else { throw Missing() }
        let scores = try ChurnProgram(rules: churn, columns: loaded.columns).run()
        let offers = try UpsellProgram(rules: upsell, columns: loaded.columns).run()
        guard case .productSet(let owned)? = loaded.columns.column("products") else { throw Missing() }
        for i in 0..<TestData.rows {
            let row = RowReader(columns: loaded.columns, row: i)
            let eligible = churn.eligible.map { Self.holds($0, row) } ?? true
            var bits: UInt64 = 0
            for (k, s) in churn.signals.enumerated() where eligible && Self.holds(s.when, row) { bits |= 1 << UInt64(k) }
            #expect(scores.signals[i] == bits, "churn row \(i)")
            var offer: UInt64 = 0
            let names = owned.names(i)
            for (k, r) in upsell.recommendations.enumerated() where offer == 0 && Self.holds(r.when, row) && !names.contains(r.product) {
                offer = 1 << UInt64(k)
            }
            #expect(offers.offers[i] == offer, "upsell row \(i)")
            if scores.signals[i] != bits || offers.offers[i] != offer { break }
        }
        // Customer 2 (Small Business, 12 users, no products) is offered Payroll.
        #expect(offers.offers[1] == 1)
    }
}
