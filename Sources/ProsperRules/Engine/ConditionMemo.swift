import ProsperModel
import Synchronization

/// Condition results over one set of bound columns, memoised by the condition's
/// canonical key (`TypedExpr.canonicalKey`, with the rule and expression text that ask,
/// which name the faults): `sweep` loads the rules again for every
/// combination of thresholds, and a condition whose checked tree did not change (the
/// thresholds it reads kept their values) is never evaluated again (docs/sweep.md).
package final class ConditionMemo: Sendable {
    /// The columns every condition reads (bound once: data thresholds and product facts
    /// are computed once for all combinations).
    package let columns: BoundColumns
    /// Bytes of masks kept at most before results no longer in use are dropped.
    package let budget: Int

    /// One condition's result: evaluated by the first thread that asks, holding the
    /// slot's own lock, so other conditions are evaluated meanwhile on other threads and
    /// a second thread asking for the same condition waits for that one evaluation. An
    /// evaluation that throws leaves the slot empty (the next ask evaluates it again).
    private final class Slot: Sendable {
        let value = Mutex<(mask: PackedMask, faults: [FaultReport])?>(nil)
    }

    private struct State {
        var entries: [String: (slot: Slot, lastUsed: Int)] = [:]
        var generation = 0
        var runs = 0, asked = 0
    }
    // Several combinations may ask at once (`SweepRunner`).
    private let state = Mutex(State())

    /// `budget`: bytes of memoised masks kept before masks of earlier combinations are
    /// dropped (`maskBytes` per distinct condition).
    package init(columns: BoundColumns, budget: Int = 512 << 20) {
        self.columns = columns
        self.budget = budget
    }

    /// Conditions evaluated so far (memo misses): what tests count.
    package var kernelRuns: Int { state.withLock { $0.runs } }
    /// Conditions asked for (hits and misses).
    package var lookups: Int { state.withLock { $0.asked } }

    /// Starts a new combination: masks unused since may be dropped when over budget.
    package func beginCombination() {
        let size = maskBytes
        state.withLock { s in
            s.generation += 1
            guard size > 0, s.entries.count * size > budget else { return }
            let keep = s.generation - 1
            s.entries = s.entries.filter { $0.value.lastUsed >= keep }
        }
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
        let slot = state.withLock { s -> Slot in
            s.asked += 1
            if let e = s.entries[key] {
                s.entries[key] = (e.slot, s.generation)
                return e.slot
            }
            let slot = Slot()
            s.entries[key] = (slot, s.generation)
            return slot
        }
        let columns = columns
        return try slot.value.withLock { (value) throws(Diagnostic) -> (mask: PackedMask, faults: [FaultReport]) in
            if let v = value { return v }
            state.withLock { $0.runs += 1 }
            let r = try ConditionEngine.mask(condition, rule: rule, columns: columns)
            let computed = (mask: PackedMask(bytes: r.mask), faults: r.faults)
            value = computed
            return computed
        }
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
