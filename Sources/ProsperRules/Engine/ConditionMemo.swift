#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ProsperModel

/// Condition results over one set of bound columns, memoised by the condition's
/// canonical key (`TypedExpr.canonicalKey`, with the rule and expression text that ask,
/// which name the faults): `sweep` loads the rules again for every
/// combination of thresholds, and a condition whose checked tree did not change (the
/// thresholds it reads kept their values) is never evaluated again (docs/sweep.md).
package final class ConditionMemo: @unchecked Sendable {
    /// The columns every condition reads (bound once: data thresholds and product facts
    /// are computed once for all combinations).
    package let columns: BoundColumns
    /// Bytes of masks kept at most before results no longer in use are dropped.
    package let budget: Int

    private struct Entry {
        let mask: [UInt8]
        let faults: [FaultReport]
        var lastUsed: Int
    }
    // Guarded by `mutex`: several combinations may ask at once (`SweepRunner`).
    private var entries: [String: Entry] = [:]
    private var generation = 0
    private var runs = 0, asked = 0
    private var mutex = pthread_mutex_t()

    /// `budget`: bytes of memoised masks kept before masks of earlier combinations are
    /// dropped (one byte per customer per distinct condition).
    package init(columns: BoundColumns, budget: Int = 512 << 20) {
        self.columns = columns
        self.budget = budget
        pthread_mutex_init(&mutex, nil)
    }

    deinit { pthread_mutex_destroy(&mutex) }

    private func locked<T>(_ body: () throws(Diagnostic) -> T) throws(Diagnostic) -> T {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        return try body()
    }

    /// Conditions evaluated so far (memo misses): what tests count.
    package var kernelRuns: Int { (try? locked { runs }) ?? 0 }
    /// Conditions asked for (hits and misses).
    package var lookups: Int { (try? locked { asked }) ?? 0 }

    /// Starts a new combination: masks unused since may be dropped when over budget.
    package func beginCombination() {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        generation += 1
        let size = columns.dataset.count
        guard size > 0, entries.count * size > budget else { return }
        entries = entries.filter { $0.value.lastUsed >= generation - 1 }
    }

    /// For each customer, 1 when `condition` holds (0 when it does not, is null, or
    /// faulted), and the faults of its evaluation (`rule` names them). Safe to call from
    /// several threads: a condition is evaluated once, under the lock, so the count of
    /// evaluations and the faults do not depend on timing.
    package func mask(_ condition: CheckedCondition, rule: String) throws(Diagnostic) -> (mask: [UInt8], faults: [FaultReport]) {
        // The faults kept with a mask name the rule and expression that first asked for it:
        // two conditions whose checked trees meet in one combination (`x >= a` with a = 60
        // in one, `x >= b` with b = 60 in another) are kept apart, so each names itself,
        // whichever combination runs first.
        let key = rule + "\u{0}" + condition.source.text + "\u{0}" + condition.typed.canonicalKey
        return try locked { () throws(Diagnostic) -> (mask: [UInt8], faults: [FaultReport]) in
            asked += 1
            if var e = entries[key] {
                e.lastUsed = generation
                entries[key] = e
                return (e.mask, e.faults)
            }
            runs += 1
            let r = try ConditionEngine.mask(condition, rule: rule, columns: columns)
            entries[key] = Entry(mask: r.mask, faults: r.faults, lastUsed: generation)
            return r
        }
    }
}

/// Churn alerts from memoised condition results: what `ChurnProgram.run` computes, per
/// customer only whether an alert is raised (some level reached).
package enum MemoisedChurn {
    /// 1 for each customer with an alert, and the faults of the conditions it read.
    package static func alerts(_ rules: ChurnRules, memo: ConditionMemo) throws(Diagnostic) -> (alerted: [UInt8], faults: [FaultReport]) {
        guard rules.signals.count <= 64 else {
            throw Diagnostic(file: rules.header.path, range: nil, .tooManyEntries("signals", limit: 64))
        }
        let n = memo.columns.dataset.count
        var faults: [FaultReport] = []
        let eligible: [UInt8]
        if let e = rules.eligible {
            let r = try memo.mask(e, rule: rules.header.name + ": eligible")
            eligible = r.mask
            faults += r.faults
        } else {
            eligible = [UInt8](repeating: 1, count: n)
        }
        var score = [Int64](repeating: 0, count: n)
        for s in rules.signals {
            let r = try memo.mask(s.when, rule: s.name)
            faults += r.faults
            let w = s.weight
            score.withUnsafeMutableBufferPointer { sb in
                r.mask.withUnsafeBufferPointer { hb in
                    for i in 0..<min(n, hb.count) { sb[i] &+= w &* Int64(hb[i]) }
                }
            }
        }
        var alerted = [UInt8](repeating: 0, count: n)
        guard let lowest = rules.levels.map(\.minimum).min() else { return (alerted, faults) }
        let m = min(n, eligible.count)
        eligible.withUnsafeBufferPointer { eb in
            score.withUnsafeBufferPointer { sb in
                alerted.withUnsafeMutableBufferPointer { ab in
                    for i in 0..<m { ab[i] = (eb[i] & 1) & (sb[i] >= lowest ? 1 : 0) }
                }
            }
        }
        return (alerted, faults)
    }
}
