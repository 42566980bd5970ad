import ProsperModel

/// What one node of an expression gave for one customer.
package enum TraceOutcome: Hashable, Sendable {
    /// The node's value (`null` included).
    case value(Value)
    /// Evaluation stopped with a fault (division by zero, overflow, …): a condition that
    /// faults does not hold, as in the batch engine.
    case fault(EvaluationFault)
    /// Not evaluated: the left side of `and`/`or` decided, or an earlier operand faulted.
    case skipped

    /// True only for the value `true`.
    package var isTrue: Bool { self == .value(.boolean(true)) }
}

/// One node of a condition as evaluated for one customer: its text as written, its
/// outcome and, for the nodes that combine or compare, the traces of their operands.
/// Built by `ConditionTracer`; rendered by the report layer (`explain`).
package struct ConditionTrace: Sendable {
    /// How the node combines its `parts`.
    package enum Shape: Hashable, Sendable {
        /// A field, constant, threshold, rule field, arithmetic or call: shown as `text = value`.
        case leaf
        case and, or, not
        /// `a op b` with the operator as written (`>=`, `==`, …).
        case comparison(String)
        /// `item in list` / `item not in list`.
        case membership(negated: Bool)
        /// `x between low and high`.
        case between
        /// `x == null` / `x != null`.
        case nullTest(isNull: Bool)
        /// `if c then a else b`.
        case conditional
    }

    /// The node's source text.
    package let text: String
    package let shape: Shape
    package let outcome: TraceOutcome
    /// Operands in source order (empty for a leaf).
    package let parts: [ConditionTrace]
    /// The node's byte range inside the condition's text.
    package let span: Span

    /// True when the node evaluated to `true` (a condition that holds).
    package var holds: Bool { outcome.isTrue }

    /// The first conjunct of a top-level `and` chain that did not hold (false, null or a
    /// fault), or the whole condition when it is no `and`; nil when the condition holds.
    package var firstFailure: ConditionTrace? {
        guard !holds else { return nil }
        if shape == .and {
            for p in parts where !p.holds { return p.firstFailure ?? p }
        }
        return self
    }
}

/// Traces conditions for one customer with the reference semantics of
/// `ScalarEvaluator`: every outcome is what the scalar evaluator (and so the batch
/// kernels) computes, and a node it would not evaluate is marked `skipped`.
package struct ConditionTracer {
    let row: SharedFieldsRow

    /// A tracer over one customer's values; rule fields (`fields:`) are evaluated once
    /// per tracer, however many conditions use them.
    package init(row: any RowValues) {
        self.row = row as? SharedFieldsRow ?? SharedFieldsRow(row)
    }

    /// The value of `e` for this customer, or its fault.
    package func outcome(_ e: TypedExpr) -> TraceOutcome {
        do throws(EvaluationFault) {
            return .value(try ScalarEvaluator.evaluate(e, row: row))
        } catch {
            return .fault(error)
        }
    }

    /// The trace of a checked condition (`text` is the condition's source text).
    package func trace(_ c: CheckedCondition) -> ConditionTrace {
        trace(c.typed, text: Array(c.source.text.utf8))
    }

    /// The trace of any checked expression written as `text`.
    package func trace(_ e: TypedExpr, text: [UInt8]) -> ConditionTrace {
        node(e, text, outcome(e))
    }

    private func node(_ e: TypedExpr, _ text: [UInt8], _ result: TraceOutcome) -> ConditionTrace {
        let shape: ConditionTrace.Shape
        let children: [TypedExpr]
        switch e.node {
        case .and(let a, let b): shape = .and; children = [a, b]
        case .or(let a, let b): shape = .or; children = [a, b]
        case .not(let a): shape = .not; children = [a]
        case .comparison(let op, let a, let b): shape = .comparison(op.rawValue); children = [a, b]
        case .membership(let item, let list, let negated): shape = .membership(negated: negated); children = [item, list]
        case .between(let a, let low, let high): shape = .between; children = [a, low, high]
        case .nullTest(let a, let isNull): shape = .nullTest(isNull: isNull); children = [a]
        case .conditional(let c, let yes, let no): shape = .conditional; children = [c, yes, no]
        default: shape = .leaf; children = []
        }
        var parts: [ConditionTrace] = []
        var stopped = false
        for (k, child) in children.enumerated() {
            let o: TraceOutcome
            if stopped || skips(shape, k, parts) {
                o = .skipped
            } else {
                o = outcome(child)
                if case .fault = o { stopped = true }
            }
            parts.append(o == .skipped ? skippedTree(child, text) : node(child, text, o))
        }
        return ConditionTrace(text: Self.slice(text, e.span), shape: shape, outcome: result, parts: parts, span: e.span)
    }

    /// Whether operand `k` of a node of `shape` is not evaluated after `done`, as in
    /// `ScalarEvaluator`: `and` stops at false, `or` at true, a conditional takes one branch,
    /// `in` does not read the list of a null item.
    private func skips(_ shape: ConditionTrace.Shape, _ k: Int, _ done: [ConditionTrace]) -> Bool {
        guard k > 0, let first = done.first else { return false }
        switch shape {
        case .and: return first.outcome == .value(.boolean(false))
        case .or: return first.outcome == .value(.boolean(true))
        case .membership: return first.outcome == .value(.null)
        case .conditional: return k == 1 ? !first.outcome.isTrue : first.outcome.isTrue
        default: return false
        }
    }

    private func skippedTree(_ e: TypedExpr, _ text: [UInt8]) -> ConditionTrace {
        ConditionTrace(text: Self.slice(text, e.span), shape: .leaf, outcome: .skipped, parts: [], span: e.span)
    }

    static func slice(_ text: [UInt8], _ span: Span) -> String {
        let lo = min(max(span.start, 0), text.count), hi = min(max(span.end, lo), text.count)
        return String(decoding: text[lo..<hi], as: UTF8.self)
    }
}
