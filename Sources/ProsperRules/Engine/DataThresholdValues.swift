import ProsperModel
import Synchronization

/// The values a threshold computed from the data took on one dataset: one per group
/// (one group without `by:`), and the per-customer column expressions read.
///
/// Computed once per set of bound columns (see `BoundColumns.dataThresholds`), before
/// any rule reads it: the argument and the grouping run as kernels over every customer,
/// the values of each group are sorted once.
package struct DataThresholdValues: Sendable {
    /// One group's figure.
    package struct Group: Sendable, Equatable {
        /// The group's text; nil without `by:`.
        package let label: String?
        /// Customers of the group with a value (nulls and faults skipped).
        package let count: Int
        /// The computed value; `.null` when the group has no value at all.
        package let value: Value

        package init(label: String?, count: Int, value: Value) {
            self.label = label
            self.count = count
            self.value = value
        }
    }

    package let threshold: DataThreshold
    /// Without `by:`, one group; with it, the groups in byte order of their text.
    /// Customers whose group text is null are in no group: their threshold is null.
    package let groups: [Group]
    /// The value of every customer's group, at `threshold.scale` (`NumberColumn.null`: none).
    package let column: NumberColumn
    /// Faults while computing the argument or the grouping (those customers are skipped).
    package let faults: [FaultReport]

    /// Computes `t` over every customer of `columns`.
    package static func compute(_ t: DataThreshold, columns: BoundColumns) throws(BindingError) -> DataThresholdValues {
        let driver = BatchDriver(columns: columns)
        let n = driver.count
        guard case .number(let ofKernel, let ofScale) = try driver.compiler.compile(t.of.typed) else {
            throw BindingError(span: t.of.typed.span, description: "the threshold '\(t.name)' needs a number")
        }
        var byKernel: (I32K, TextList)?
        if let by = t.by {
            guard case .text(let k, let dictionary) = try driver.compiler.compile(by.typed) else {
                throw BindingError(span: by.typed.span, description: "the threshold '\(t.name)' groups by text")
            }
            byKernel = (k, dictionary)
        }
        // Group code per customer (-1: no group) and the argument's values.
        var values = [Int64](repeating: NumberColumn.null, count: n)
        var groupOf = [Int32](repeating: t.by == nil ? 0 : -1, count: n)
        var remap = [Int32](repeating: -1, count: byKernel?.1.count ?? 0)
        var labels: [String] = []
        let context = FaultContext(rule: "threshold \(t.name)", expression: t.of.source.text)
        driver.forEachBatch { start, count in
            driver.state.context = context
            driver.state.beginRun()
            let v = ofKernel.run()
            let faulted = driver.state.faultedAny ? driver.state.faulted.pointer : nil
            for i in 0..<count where faulted?[i] ?? 0 == 0 { values[start + i] = v[i] }
            guard let (k, dictionary) = byKernel, let by = t.by else { return }
            driver.state.context = FaultContext(rule: "threshold \(t.name)", expression: by.source.text)
            driver.state.beginRun()
            let g = k.run()
            let gFaulted = driver.state.faultedAny ? driver.state.faulted.pointer : nil
            for i in 0..<count where gFaulted?[i] ?? 0 == 0 {
                let c = Int(g[i])
                guard c >= 0, c < dictionary.count else { continue }
                if remap[c] < 0 {
                    // Equal texts under different codes (derived texts) share one group.
                    if let known = labels.firstIndex(where: { ExactText.equal($0, dictionary[c]) }) {
                        remap[c] = Int32(known)
                    } else {
                        remap[c] = Int32(labels.count)
                        labels.append(dictionary[c])
                    }
                }
                groupOf[start + i] = remap[c]
            }
        }
        if t.by == nil { labels = [""] }
        var members = [[Int64]](repeating: [], count: labels.count)
        for i in 0..<n where groupOf[i] >= 0 && values[i] != NumberColumn.null { members[Int(groupOf[i])].append(values[i]) }
        var figures = [Value](repeating: .null, count: labels.count)
        var faults = driver.state.faults
        for g in 0..<labels.count {
            switch statistic(t.statistic, of: &members[g], scale: ofScale, to: t.scale) {
            case .some(let v): figures[g] = v.map { .number($0, scale: t.scale) } ?? .null
            case .none:
                faults.append(FaultReport(context: context, kind: .overflow, count: 1, customers: []))
            }
        }
        var column = [Int64](repeating: NumberColumn.null, count: n)
        for i in 0..<n where groupOf[i] >= 0 {
            if case .number(let v, _) = figures[Int(groupOf[i])] { column[i] = v }
        }
        var groups: [Group] = []
        for g in 0..<labels.count {
            groups.append(Group(label: t.by == nil ? nil : labels[g], count: members[g].count, value: figures[g]))
        }
        groups.sort { a, b in ExactText.less(a.label ?? "", b.label ?? "") }
        return DataThresholdValues(threshold: t, groups: groups, column: NumberColumn(values: column, scale: t.scale), faults: faults)
    }

    /// The statistic of `values` (at `scale`) at scale `target`: `.some(nil)` for no
    /// values, nil when the result does not fit.
    static func statistic(_ s: DataThreshold.Statistic, of values: inout [Int64], scale: Int, to target: Int) -> Int64?? {
        guard !values.isEmpty else { return .some(nil) }
        let raw: Int64
        switch s {
        case .min: raw = values.min() ?? 0
        case .max: raw = values.max() ?? 0
        case .quantile(let m, let qs):
            values.sort()
            // Nearest rank: k = ceil(q·N) = ceil(m·N / 10^qs), 1 ≤ k ≤ N.
            let p = Int128(Decimal64.power(qs))
            let k = (Int128(m) * Int128(values.count) + p - 1) / p
            let index = Int(Swift.min(Swift.max(k, 1), Int128(values.count))) - 1
            raw = values[index]
        case .mean:
            var sum: Int128 = 0
            for v in values { sum += Int128(v) }
            let up = target > scale ? Int128(Decimal64.power(target - scale)) : 1
            let total = sum * up, count = Int128(values.count)
            var q = total / count
            let r = total % count
            if r.magnitude * 2 >= count.magnitude { q += total >= 0 ? 1 : -1 }
            return Int64(exactly: q).map { .some($0) } ?? nil
        }
        if target == scale { return .some(raw) }
        guard let v = Decimal64.rescale(raw, from: scale, to: target) else { return nil }
        return .some(v)
    }
}

/// The values of the data-relative thresholds computed for one set of bound columns,
/// each computed once, whoever asks first (kernels, the scalar evaluator, the report).
package final class DataThresholdCache: Sendable {
    /// Keyed by the definition (`DataThreshold.canonicalKey`), not the object: a rule file
    /// loaded again (each combination of `sweep`) reuses the values computed for the
    /// same definition, and a freed threshold's address can never alias another's.
    private let computed = Mutex<[String: Result<DataThresholdValues, BindingError>]>([:])

    package init() {}

    /// The values of `t` on `columns` (whose cache this is).
    func values(_ t: DataThreshold, columns: BoundColumns) throws(BindingError) -> DataThresholdValues {
        let key = t.canonicalKey
        if let known = computed.withLock({ $0[key] }) { return try known.get() }
        let r: Result<DataThresholdValues, BindingError>
        do throws(BindingError) { r = .success(try DataThresholdValues.compute(t, columns: columns)) } catch { r = .failure(error) }
        computed.withLock { $0[key] = r }
        return try r.get()
    }
}
