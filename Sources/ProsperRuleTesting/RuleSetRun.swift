import ProsperAnalytics
import ProsperModel
import ProsperRules

/// The rule files under test, loaded with one set of threshold overrides, and the
/// files the expectations read: the first churn and upsell file, and the segments the
/// first file that has segments reads (as `report` names them).
struct LoadedRules {
    let files: [RuleFile]
    let segments: SegmentRules?
    let churn: ChurnRules?
    let upsell: UpsellRules?

    init(files: [RuleFile]) {
        self.files = files
        segments = files.lazy.compactMap(\.segments).first
        churn = files.lazy.compactMap { if case .churn(let r) = $0 { r } else { nil } }.first
        upsell = files.lazy.compactMap { if case .upsell(let r) = $0 { r } else { nil } }.first
    }

    /// Every threshold name of every file.
    var thresholdNames: [String] {
        var out: [String] = []
        for f in files {
            for x in f.thresholds where !out.contains(x.name) { out.append(x.name) }
        }
        return out
    }


    /// List prices of the upsell file (cents).
    var prices: [String: Int64] { upsell?.prices ?? [:] }
}

/// One rule set run over the customers of some test cases with the real batch engines:
/// `SegmentEngine`, `ChurnProgram` and `UpsellModule` (what `report` runs).
struct RuleSetRun {
    let rules: LoadedRules
    let dataset: Dataset
    /// `segment` bound per segments file path.
    let segmentColumns: [String: BoundColumns]
    let churn: ChurnScores?
    /// Per customer, bit k set when recommendation k is offered.
    let offers: [UInt64]?
    /// Per customer with an offer, the MRR their offers add (value − replaced, summed).
    let addedMRR: [Int: Int64]

    init(rules: LoadedRules, dataset: Dataset) throws(Diagnostic) {
        self.rules = rules
        self.dataset = dataset
        var bound: [String: BoundColumns] = [:]
        for f in rules.files {
            guard let s = f.segments, bound[s.header.path] == nil else { continue }
            let a = try SegmentEngine.assign(s, to: dataset)
            bound[s.header.path] = BoundColumns(dataset: dataset, extra: ["segment": .string(a.column)])
        }
        segmentColumns = bound
        func columns(_ f: RuleFile) -> BoundColumns { f.segments.flatMap { bound[$0.header.path] } ?? BoundColumns(dataset: dataset) }
        if let c = rules.churn {
            churn = try ChurnProgram(rules: c, columns: columns(.churn(c))).run()
        } else {
            churn = nil
        }
        if let u = rules.upsell {
            let context = AnalyticsContext(dataset: dataset, columns: columns(.upsell(u)), included: nil)
            // Every offer (a test set is small), for the added MRR per customer.
            let result = try UpsellModule.run(context, rules: u, limit: Int.max)
            offers = result.offersPerCustomer
            addedMRR = result.top.reduce(into: [:]) { $0[$1.row] = UpsellModule.sum($0[$1.row] ?? 0, $1.addedMRR) }
        } else {
            offers = nil
            addedMRR = [:]
        }
    }

    /// The columns `file` reads (with its own `segment`).
    func columns(for file: RuleFile) -> BoundColumns {
        file.segments.flatMap { segmentColumns[$0.header.path] } ?? BoundColumns(dataset: dataset)
    }

    /// A number without trailing decimal zeros: `5`, `2.5`.
    static func plain(_ v: Int64, _ scale: Int) -> String {
        var v = v, s = scale
        while s > 0, v % 10 == 0 { v /= 10; s -= 1 }
        return Decimal64.format(v, scale: s)
    }

    static let noSegment = "(none)"
    static let none = "none"

    static func levelName(_ rules: ChurnRules, _ level: Int8) -> String {
        level >= 0 && Int(level) < rules.levels.count ? rules.levels[Int(level)].name : none
    }

    /// The segment of `row` (by the rules' first segments definition).
    func segment(_ row: Int) -> String {
        guard let s = rules.segments, case .string(let col)? = segmentColumns[s.header.path]?.extra["segment"] else { return Self.noSegment }
        return col.value(row) ?? Self.noSegment
    }

    func signals(_ row: Int) -> [String] {
        guard let c = rules.churn, let scores = churn, row < scores.signals.count else { return [] }
        return c.signals.indices.filter { $0 < 64 && scores.signals[row] & (UInt64(1) << UInt64($0)) != 0 }.map { c.signals[$0].name }
    }

    func offered(_ row: Int) -> [String] {
        guard let u = rules.upsell, let offers, row < offers.count else { return [] }
        return u.recommendations.indices.filter { $0 < 64 && offers[row] & (UInt64(1) << UInt64($0)) != 0 }.map { u.recommendations[$0].product }
    }

    /// The expectations `row` does not meet.
    func mismatches(_ expectations: [Expectation], row: Int) -> [Mismatch] {
        var out: [Mismatch] = []
        func texts(_ v: Value) -> [String] {
            guard case .list(let items) = v else { return [] }
            return items.compactMap { if case .string(let s) = $0 { s } else { nil } }
        }
        func list(_ xs: [String]) -> String { "[" + xs.joined(separator: ", ") + "]" }
        func sameSet(_ a: [String], _ b: [String]) -> Bool {
            a.count == b.count && a.allSatisfy { x in b.contains { ExactText.equal($0, x) } } && b.allSatisfy { x in a.contains { ExactText.equal($0, x) } }
        }
        for e in expectations {
            switch e.key {
            case .segment:
                guard case .string(let want) = e.value else { continue }
                let got = segment(row)
                if !ExactText.equal(want, got) { out.append(Mismatch(key: "segment", expected: want, actual: got)) }
            case .eligible:
                guard case .boolean(let want) = e.value, let scores = churn, row < scores.eligible.count else { continue }
                let got = scores.eligible[row] == 1
                if want != got { out.append(Mismatch(key: "eligible", expected: String(want), actual: String(got))) }
            case .level:
                guard case .string(let want) = e.value, let c = rules.churn, let scores = churn, row < scores.level.count else { continue }
                let got = Self.levelName(c, scores.level[row])
                if !ExactText.equal(want, got) { out.append(Mismatch(key: "level", expected: want, actual: got)) }
            case .score:
                guard case .number(let want, let ws) = e.value, let c = rules.churn, let scores = churn, row < scores.score.count else { continue }
                let got = scores.score[row]
                if Decimal64.compare(want, ws, got, c.weightScale) != 0 {
                    out.append(Mismatch(key: "score", expected: Self.plain(want, ws), actual: Self.plain(got, c.weightScale)))
                }
            case .signals:
                let want = texts(e.value), got = signals(row)
                if !sameSet(want, got) { out.append(Mismatch(key: "signals", expected: list(want), actual: list(got))) }
            case .offer:
                guard case .string(let want) = e.value else { continue }
                let got = offered(row)
                let wanted = ExactText.equal(want, Self.none) ? [] : [want]
                if !sameSet(wanted, got) { out.append(Mismatch(key: "offer", expected: want, actual: got.isEmpty ? Self.none : got.joined(separator: " + "))) }
            case .offers:
                let want = texts(e.value), got = offered(row)
                if !sameSet(want, got) { out.append(Mismatch(key: "offers", expected: list(want), actual: list(got))) }
            case .addedMRR:
                guard case .number(let want, _) = e.value, rules.upsell != nil else { continue }
                let got = addedMRR[row] ?? 0
                if want != got { out.append(Mismatch(key: "added_mrr", expected: Money.plain(want), actual: Money.plain(got))) }
            }
        }
        return out
    }
}
