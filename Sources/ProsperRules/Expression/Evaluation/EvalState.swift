import ProsperModel

/// The rows currently being evaluated and the faults found so far. One state is
/// shared by every kernel of a compiled rule set; kernels read the batch bounds from it.
package final class EvalState {
    /// Rows per batch: small enough that every intermediate vector stays in cache.
    package static let batchSize = 1024

    /// First row of the current batch.
    package private(set) var start = 0
    /// Rows in the current batch.
    package private(set) var count = 0

    /// Rows of the batch whose faults count (1) or not (0): the right side of `and` is
    /// evaluated for every row, but a division by zero on a row the left side already
    /// ruled out is no fault. nil = all rows.
    var mask: UnsafePointer<UInt8>?

    /// Who is evaluating: the rule and the expression text, for fault reports.
    package var context = FaultContext(rule: "", expression: "")

    /// Every fault, at most `maxExamples` per (rule, kind), with counts.
    package private(set) var faults: [FaultReport] = []
    private var faultIndex: [String: Int] = [:]
    package static let maxExamples = 5

    let customerIDs: StringColumn?
    let maskScratch = MaskStack()
    /// Batch rows with a recorded fault since the last `beginRun()`: the whole
    /// condition of such a row counts as null (not holding), as in the scalar evaluator.
    let faulted = Scratch<UInt8>(repeating: 0)
    private(set) var faultedAny = false

    /// Starts evaluating one top-level expression over the current batch.
    func beginRun() {
        if faultedAny {
            for i in 0..<EvalState.batchSize { faulted.pointer[i] = 0 }
            faultedAny = false
        }
    }

    package init(customerIDs: StringColumn?) {
        self.customerIDs = customerIDs
    }

    /// Moves to the batch `start ..< start + count`.
    package func setBatch(start: Int, count: Int) {
        self.start = start
        self.count = count
        generation &+= 1
        beginRun()
    }

    /// Changes with every batch: a shared kernel (`SharedNumK`, …) computes its vector
    /// once per generation and hands the same vector to every use.
    private(set) var generation = 0
    /// While a shared kernel computes its vector, the faults go to its log instead.
    private var capture: FaultLog?

    /// Runs `body` unmasked with its faults logged into `log` (not recorded).
    func capturing<T>(_ log: FaultLog, _ body: () -> T) -> T {
        let savedMask = mask, savedCapture = capture
        mask = nil
        capture = log
        log.entries.removeAll(keepingCapacity: true)
        defer { mask = savedMask; capture = savedCapture }
        return body()
    }

    /// Records the logged faults at one use of a shared kernel, under the use's mask:
    /// every use counts as if the shared expression had been written out there.
    func replay(_ log: FaultLog) {
        for (kind, row) in log.entries { fault(kind, row: row) }
    }

    /// Records a fault for batch row `i` unless the row is masked out.
    func fault(_ kind: EvaluationFault.Kind, row i: Int) {
        if let mask, mask[i] == 0 { return }
        if let capture {
            capture.entries.append((kind, i))
            return
        }
        // One fault per row and run, as the scalar evaluator stops at the first one (a
        // shared field used twice, or both sides of `a + b`, must not count a customer twice).
        if faulted.pointer[i] != 0 { return }
        faulted.pointer[i] = 1
        faultedAny = true
        let key = context.rule + "\u{1}" + context.expression + "\u{1}" + kind.rawValue
        let customer = customerIDs?.value(start + i) ?? "row \(start + i + 1)"
        if let k = faultIndex[key] {
            faults[k].count += 1
            if faults[k].customers.count < Self.maxExamples { faults[k].customers.append(customer) }
        } else {
            faultIndex[key] = faults.count
            faults.append(FaultReport(context: context, kind: kind, count: 1, customers: [customer]))
        }
    }
}

/// The rule and expression being evaluated.
package struct FaultContext: Hashable, Sendable {
    package var rule: String
    package var expression: String
    /// The expression is an offer's computed `value:` (a fault takes the offer away).
    package var offerValue: Bool
    /// The expression is a derived field analytics group by (a fault puts the customer
    /// in the "(none)" group).
    package var groupValue: Bool
    package init(rule: String, expression: String, offerValue: Bool = false, groupValue: Bool = false) {
        self.rule = rule
        self.expression = expression
        self.offerValue = offerValue
        self.groupValue = groupValue
    }

    /// What a fault does to the customers it happens for, as the report says it.
    var effect: String {
        if offerValue { return "the offer is not made to them" }
        if groupValue { return "they are counted in the '(none)' group" }
        return "the condition counts as false for them"
    }
}

/// Faults of one kind in one rule: how many customers, and the first few of them.
package struct FaultReport: Hashable, Sendable, CustomStringConvertible {
    package let context: FaultContext
    package let kind: EvaluationFault.Kind
    package internal(set) var count: Int
    package internal(set) var customers: [String]

    /// A report computed elsewhere (the SQL engines): `customers` are the first few, in data order.
    package init(context: FaultContext, kind: EvaluationFault.Kind, count: Int, customers: [String]) {
        self.context = context
        self.kind = kind
        self.count = count
        self.customers = customers
    }

    package var description: String {
        let more = count > customers.count ? " and \(count - customers.count) more" : ""
        return "rule '\(context.rule)': \(kind.rawValue) in '\(context.expression)' for customer \(customers.joined(separator: ", "))\(more); " + context.effect
    }
}

/// The faults one run of a shared kernel found, in order.
final class FaultLog {
    var entries: [(EvaluationFault.Kind, Int)] = []
}

/// A scratch vector of one batch, owned by a kernel. Allocated on first use, so
/// compiling a rule set (as `check` does) costs no vectors for kernels that never run.
final class Scratch<T> {
    private let initial: T
    private var storage: UnsafeMutablePointer<T>?
    init(repeating value: T) { initial = value }
    var pointer: UnsafeMutablePointer<T> {
        if let storage { return storage }
        let p = UnsafeMutablePointer<T>.allocate(capacity: EvalState.batchSize)
        p.initialize(repeating: initial, count: EvalState.batchSize)
        storage = p
        return p
    }
    deinit { storage?.deallocate() }
}
