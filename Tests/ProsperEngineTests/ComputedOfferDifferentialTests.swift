import ProsperAnalytics
import ProsperModel
import ProsperRules
import Testing

/// Computed offer values and offers that replace, in-process: `explain`'s scalar
/// evaluation of every customer (value, replaced amount, difference, or why the value
/// failed) against the batch module's offers and added MRR, on seeded and hand-made data.
@Suite struct ComputedOfferDifferentialTests {
    static let cases: [DifferentialCase] = {
        let path = EnginePaths.fixtures + "/rulesets/upsell-computed/upsell.yaml"
        return [DifferentialCase(name: "upsell-computed, seed 11, 2000 customers", rules: [path], source: .seeded(seed: 11, customers: 2000), limit: Int.max),
                DifferentialCase(name: "upsell-computed, edge", rules: [path], source: .folder(EnginePaths.fixtures + "/data/edge"), limit: Int.max)]
    }()

    @Test(arguments: cases)
    func traceEqualsBatch(_ c: DifferentialCase) throws {
        let data = try c.data()
        let files = try Corpus.rules(c.rules, for: data)
        guard case .upsell(let rules)? = files.first else { Issue.record("no upsell file"); return }
        let context = AnalyticsContext(dataset: data, columns: BoundColumns(dataset: data), included: nil)
        let result = try UpsellModule.run(context, rules: rules, limit: Int.max)
        var batch: [Int: [(String, Int64, Int64, Int64)]] = [:]
        for o in result.top { batch[o.row, default: []].append((rules.recommendations[o.rule].name, o.value, o.replaced, o.addedMRR)) }
        let explainer = CustomerExplainer(dataset: data, files: files)
        var mismatches: [String] = []
        var computed = 0
        for row in 0..<data.count where mismatches.count < 10 {
            guard case .upsell(let t)? = explainer.explain(row: row).files.first else { continue }
            let expected = (batch[row] ?? []).sorted { $0.0 < $1.0 }
            // An offer with a fixed value has no computation: its value is what it adds.
            let got = t.offers.map { ($0.rule, $0.computation?.value ?? $0.addedMRR ?? -1, $0.computation?.replaced ?? 0, $0.addedMRR ?? -1) }.sorted { $0.0 < $1.0 }
            computed += got.count
            if expected.map({ "\($0)" }) != got.map({ "\($0)" }) { mismatches.append("row \(row): batch \(expected) vs trace \(got)") }
        }
        #expect(mismatches.isEmpty, "\(mismatches.joined(separator: "\n"))")
        #expect(computed > 0 && computed == result.offerCount)
        #expect(result.top.reduce(Int64(0)) { $0 + $1.addedMRR } == result.addedMRR, "totals reconcile to the cent")
    }
}
