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

    /// One condition's result: evaluated by the first thread that asks, under the slot's
    /// own lock, so other conditions are evaluated meanwhile on other threads and a
    /// second thread asking for the same condition waits for that one evaluation.
    private final class Slot: @unchecked Sendable {
        var mutex = pthread_mutex_t()
        /// Guarded by `mutex`; nil until evaluated (and after an evaluation that threw).
        var value: (mask: PackedMask, faults: [FaultReport])?
        /// Guarded by the memo's mutex.
        var lastUsed: Int

        init(lastUsed: Int) {
            self.lastUsed = lastUsed
            pthread_mutex_init(&mutex, nil)
        }

        deinit { pthread_mutex_destroy(&mutex) }
    }
    // Guarded by `mutex`: several combinations may ask at once (`SweepRunner`).
    private var entries: [String: Slot] = [:]
    private var generation = 0
    private var runs = 0, asked = 0
    private var mutex = pthread_mutex_t()

    /// `budget`: bytes of memoised masks kept before masks of earlier combinations are
    /// dropped (`maskBytes` per distinct condition).
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
        let size = maskBytes
        guard size > 0, entries.count * size > budget else { return }
        entries = entries.filter { $0.value.lastUsed >= generation - 1 }
    }

    /// Bytes of one memoised mask: a bit per customer.
    package var maskBytes: Int { (columns.dataset.count + 63) / 64 * 8 }

    /// For each customer, 1 when `condition` holds (0 when it does not, is null, or
    /// faulted), packed a bit per customer, and the faults of its evaluation (`rule` names
    /// them). Safe to call from several threads: a condition is evaluated once (different
    /// conditions at once), so the count of evaluations and the faults do not depend on
    /// timing.
    package func mask(_ condition: CheckedCondition, rule: String) throws(Diagnostic) -> (mask: PackedMask, faults: [FaultReport]) {
        // The faults kept with a mask name the rule and expression that first asked for it:
        // two conditions whose checked trees meet in one combination (`x >= a` with a = 60
        // in one, `x >= b` with b = 60 in another) are kept apart, so each names itself,
        // whichever combination runs first.
        let key = rule + "\u{0}" + condition.source.text + "\u{0}" + condition.typed.canonicalKey
        let slot = try locked { () throws(Diagnostic) -> Slot in
            asked += 1
            if let s = entries[key] {
                s.lastUsed = generation
                return s
            }
            let s = Slot(lastUsed: generation)
            entries[key] = s
            return s
        }
        pthread_mutex_lock(&slot.mutex)
        defer { pthread_mutex_unlock(&slot.mutex) }
        if let v = slot.value { return v }
        try locked { runs += 1 }
        let r = try ConditionEngine.mask(condition, rule: rule, columns: columns)
        let value = (mask: PackedMask(bytes: r.mask), faults: r.faults)
        slot.value = value
        return value
    }
}

/// The masks a churn rule set's alert reads, from memoised condition results: an alert
/// is raised for a customer who is eligible and whose score (the weights of the signals
/// that hold, wrapping sums as in `ChurnProgram`) reaches `lowest`.
package struct ChurnAlertMasks: Sendable {
    /// A bit per eligible customer; nil when the rules have no `eligible` (everyone is).
    package let eligible: PackedMask?
    /// Each signal's weight and mask, in rule order.
    package let signals: [(weight: Int64, mask: PackedMask)]
    /// The lowest level's minimum score; nil when there are no levels (no alerts).
    package let lowest: Int64?
    /// The faults of the conditions read.
    package let faults: [FaultReport]

    package init(eligible: PackedMask?, signals: [(weight: Int64, mask: PackedMask)], lowest: Int64?, faults: [FaultReport] = []) {
        self.eligible = eligible
        self.signals = signals
        self.lowest = lowest
        self.faults = faults
    }
}

/// Churn alerts from memoised condition results: what `ChurnProgram.run` computes, per
/// customer only whether an alert is raised (some level reached).
package enum MemoisedChurn {
    /// The masks `rules` reads, each condition looked up in (or added to) `memo`.
    package static func masks(_ rules: ChurnRules, memo: ConditionMemo) throws(Diagnostic) -> ChurnAlertMasks {
        guard rules.signals.count <= 64 else {
            throw Diagnostic(file: rules.header.path, range: nil, .tooManyEntries("signals", limit: 64))
        }
        var faults: [FaultReport] = []
        var eligible: PackedMask?
        if let e = rules.eligible {
            let r = try memo.mask(e, rule: rules.header.name + ": eligible")
            eligible = r.mask
            faults += r.faults
        }
        var signals: [(weight: Int64, mask: PackedMask)] = []
        for s in rules.signals {
            let r = try memo.mask(s.when, rule: s.name)
            faults += r.faults
            signals.append((s.weight, r.mask))
        }
        return ChurnAlertMasks(eligible: eligible, signals: signals, lowest: rules.levels.map(\.minimum).min(), faults: faults)
    }

    /// 1 for each customer with an alert, and the faults of the conditions it read (the
    /// plain form of what `AlertTally` sums block by block; tests compare the two).
    package static func alerts(_ rules: ChurnRules, memo: ConditionMemo) throws(Diagnostic) -> (alerted: [UInt8], faults: [FaultReport]) {
        let m = try masks(rules, memo: memo)
        let n = memo.columns.dataset.count
        var alerted = [UInt8](repeating: 0, count: n)
        guard let lowest = m.lowest else { return (alerted, m.faults) }
        for i in 0..<n {
            var score: Int64 = 0
            for (w, mask) in m.signals where mask[i] { score &+= w }
            let eligible = m.eligible.map { $0[i] } ?? true
            alerted[i] = eligible && score >= lowest ? 1 : 0
        }
        return (alerted, m.faults)
    }
}
