import ProsperAnalytics
import ProsperEngines
import ProsperModel
import ProsperRules
import ProsperSQL

/// Every customer's results computed in-process, in the row layout of the engines'
/// `r<i>:customers` queries (`RuleSetSQL.customerColumns`): what the differential
/// test compares row by row, not only through the report's aggregates.
enum CustomerResults {
    static func inProcess(_ files: [RuleFile], _ d: Dataset) throws -> [[[String?]]] {
        guard case .string(let ids)? = d.column("customer_id") else { throw EngineTestFailure("no customer ids") }
        var out: [[[String?]]] = []
        for f in files {
            let segmentRules = segments(of: f)
            var extra: [String: Column] = [:]
            var segment: StringColumn?
            if let s = segmentRules {
                let a = try SegmentEngine.assign(s, to: d)
                segment = a.column
                extra["segment"] = .string(a.column)
            }
            let columns = BoundColumns(dataset: d, extra: extra)
            var rows: [[String?]] = (0..<d.count).map { [ids.value($0)] }
            switch f {
            case .segments:
                for i in 0..<d.count { rows[i].append(segment?.value(i)) }
            case .churn(let r):
                let s = try ChurnProgram(rules: r, columns: columns).run()
                for i in 0..<d.count {
                    rows[i] += [segment?.value(i), String(s.eligible[i]), String(s.score[i]), s.level[i] >= 0 ? String(s.level[i]) : nil]
                }
            case .upsell(let r):
                let e = try UpsellModule.run(AnalyticsContext(dataset: d, columns: columns, included: nil), rules: r, limit: 0)
                for i in 0..<d.count {
                    rows[i] += r.recommendations.indices.map { e.offersPerCustomer[i] & (UInt64(1) << UInt64($0)) != 0 ? "1" : "0" }
                }
            case .analytics(let r):
                let included = try r.filter.map { try ConditionEngine.mask($0, rule: "where", columns: columns).mask }
                let (tiers, _) = try GroupLabels.tiers(r, columns: columns)
                for i in 0..<d.count { rows[i] += [included.map { String($0[i]) } ?? "1", String(tiers.codes[i])] }
            }
            out.append(rows)
        }
        return out
    }

    /// The engine's rows, numbers normalised (`12.000` → `12`).
    static func fromEngine(_ results: ResultSets, files: [RuleFile]) -> [[[String?]]] {
        files.indices.map { i in
            results["r\(i + 1):customers"].map { row in
                row.enumerated().map { k, v in k == 0 ? v : v.map { SQLNumber.parse($0).map(String.init) ?? $0 } }
            }
        }
    }

    static func segments(of f: RuleFile) -> SegmentRules? { f.segments }

    /// The first customer whose results differ, described.
    static func difference(_ a: [[[String?]]], _ b: [[[String?]]], files: [RuleFile]) -> String? {
        for (i, f) in files.enumerated() {
            let x = i < a.count ? a[i] : [], y = i < b.count ? b[i] : []
            if x.count != y.count { return "\(f.header.path): \(x.count) customers in-process, \(y.count) in the engine" }
            for (r, (p, q)) in zip(x, y).enumerated() where p != q {
                let names = ["customer_id"] + RuleSetSQL.customerColumns(f)
                return "\(f.header.path) row \(r + 1): in-process \(zip(names, p).map { "\($0)=\($1 ?? "null")" }) engine \(q.map { $0 ?? "null" })"
            }
        }
        return nil
    }
}
