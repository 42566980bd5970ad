import ProsperAnalytics
import ProsperModel
import ProsperRules
import Testing

/// `explain`'s trace against the batch modules: for every customer of every differential
/// case (the shipped rules and each fixture rule set on seeded and hand-made data), the
/// segment, eligibility, score, level, signals, offers, filter and tier of the trace equal
/// what the batch engines compute for that customer.
@Suite("explain agrees with the batch modules")
struct ExplainDifferentialTests {
    @Test(arguments: DifferentialCases.all)
    func traceEqualsBatch(_ c: DifferentialCase) throws {
        let data = try c.data()
        let files = try Corpus.rules(c.rules, for: data)
        let explainer = CustomerExplainer(dataset: data, files: files)
        let batch = try BatchResults(data: data, files: files)
        var mismatches: [String] = []
        for row in 0..<data.count {
            let trace = explainer.explain(row: row)
            for (k, f) in trace.files.enumerated() where mismatches.count < 10 {
                if let problem = batch.difference(file: k, row: row, trace: f) { mismatches.append("\(trace.customerID) \(f.header.path): \(problem)") }
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.joined(separator: "\n"))")
    }
}

/// The batch modules' results per rule file, computed the way the report computes them.
private struct BatchResults {
    let files: [RuleFile]
    let segments: [Int: SegmentAssignment]
    let churn: [Int: (ChurnScores, ChurnRules)]
    let upsell: [Int: ([UInt64], UpsellRules)]
    let analytics: [Int: (filter: [UInt8]?, tiers: GroupLabels)]

    init(data: Dataset, files: [RuleFile]) throws {
        self.files = files
        var segments: [Int: SegmentAssignment] = [:]
        var churn: [Int: (ChurnScores, ChurnRules)] = [:]
        var upsell: [Int: ([UInt64], UpsellRules)] = [:]
        var analytics: [Int: (filter: [UInt8]?, tiers: GroupLabels)] = [:]
        for (k, f) in files.enumerated() {
            var columns = BoundColumns(dataset: data)
            if let s = f.segments {
                let a = try SegmentEngine.assign(s, to: data)
                segments[k] = a
                columns = BoundColumns(dataset: data, extra: ["segment": .string(a.column)])
            }
            switch f {
            case .segments: break
            case .churn(let r): churn[k] = (try ChurnProgram(rules: r, columns: columns).run(), r)
            case .upsell(let r):
                let context = AnalyticsContext(dataset: data, columns: columns, included: nil)
                upsell[k] = (try UpsellModule.run(context, rules: r, limit: 0).offersPerCustomer, r)
            case .analytics(let r):
                let filter = try r.filter.map { w in try ConditionEngine.mask(w, rule: "where", columns: columns).mask }
                analytics[k] = (filter, try GroupLabels.tiers(r, columns: columns).0)
            }
        }
        self.segments = segments
        self.churn = churn
        self.upsell = upsell
        self.analytics = analytics
    }

    /// A description of the first difference between the trace of file `k` and the batch
    /// results for `row`, nil when they agree.
    func difference(file k: Int, row: Int, trace: FileTrace) -> String? {
        if let a = segments[k] {
            let expected = a.column.value(row)
            let got: String?
            switch trace {
            case .segments(let t): got = t.segment
            case .churn(let t): got = t.segment?.segment
            case .upsell(let t): got = t.segment?.segment
            case .analytics(let t): got = t.segment?.segment
            }
            if expected != got { return "segment \(expected ?? "nil") vs trace \(got ?? "nil")" }
        }
        switch trace {
        case .segments: return nil
        case .churn(let t):
            guard let (scores, rules) = churn[k] else { return "no batch churn result" }
            if (scores.eligible[row] == 1) != t.isEligible { return "eligible \(scores.eligible[row]) vs trace \(t.isEligible)" }
            if scores.score[row] != t.score { return "score \(scores.score[row]) vs trace \(t.score)" }
            let level = scores.level[row] >= 0 ? Int(scores.level[row]) : nil
            if level != t.level { return "level \(String(describing: level)) vs trace \(String(describing: t.level))" }
            var bits: UInt64 = 0
            for (j, s) in t.signals.enumerated() where s.counts { bits |= UInt64(1) << UInt64(j) }
            if bits != scores.signals[row] { return "signals \(scores.signals[row]) vs trace \(bits)" }
            if t.signals.count != rules.signals.count { return "signal count" }
            return nil
        case .upsell(let t):
            guard let (offers, rules) = upsell[k] else { return "no batch upsell result" }
            var expected: [String] = []
            var x = offers[row]
            while x != 0 {
                let j = x.trailingZeroBitCount
                x &= x - 1
                expected.append(rules.recommendations[j].name)
            }
            let got = t.offers.map(\.rule)
            if expected != got { return "offers \(expected) vs trace \(got)" }
            return nil
        case .analytics(let t):
            guard let (filter, tiers) = analytics[k] else { return "no batch analytics result" }
            let included = filter.map { $0[row] == 1 } ?? true
            if included != t.included { return "included \(included) vs trace \(t.included)" }
            let tier = tiers.labels[Int(tiers.codes[row])]
            if tier != t.tier { return "tier \(tier) vs trace \(t.tier)" }
            return nil
        }
    }
}
