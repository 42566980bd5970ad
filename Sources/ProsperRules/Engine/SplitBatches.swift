import Dispatch
import ProsperModel

/// Walks the rows of a large dataset as two halves on two threads, each half with its
/// own `BatchDriver` (its own compiled kernels and fault log), and merges the faults as
/// one walk in row order would have found them.
///
/// Segment assignment and first-match groupings run before every module of a report
/// and were one thread's work (19 ms and 11 ms of a cached report at 1M customers).
enum SplitBatches {
    /// Below this many rows one walk is cheaper than starting a second thread.
    static let minimumRows = 1 << 16

    /// Compiles with `compile` once per half (on this thread, so that a binding error
    /// throws here), then calls `walk(driver, compiled, rows)` for each half at once.
    /// The halves meet at a batch boundary, so every batch is the one a single walk sees.
    /// `split` false: one walk whatever the size (the tests' reference).
    static func run<Compiled>(columns: BoundColumns, split: Bool = true, compile: (BatchDriver) throws(Diagnostic) -> Compiled,
                              walk: (BatchDriver, Compiled, Range<Int>) -> Void) throws(Diagnostic) -> [FaultReport] {
        let first = BatchDriver(columns: columns)
        let count = first.count
        guard split, count >= minimumRows else {
            let compiled = try compile(first)
            walk(first, compiled, 0..<count)
            return first.state.faults
        }
        let second = BatchDriver(columns: columns)
        let halves = [(first, try compile(first)), (second, try compile(second))]
        let middle = (count / 2 / EvalState.batchSize) * EvalState.batchSize
        let ranges = [0..<middle, middle..<count]
        withoutActuallyEscaping(walk) { walk in
            let work = Work(halves: halves, ranges: ranges, walk: walk)
            ForkJoin.run(count: 2) { h in work.run(h) }
        }
        return FaultReport.merged(first.state.faults, then: second.state.faults)
    }

    /// What the two threads share. Each touches only its own driver, its own kernels and
    /// the rows of its own range, and `run` returns before the walk's caller goes on.
    private struct Work<Compiled>: @unchecked Sendable {
        let halves: [(BatchDriver, Compiled)]
        let ranges: [Range<Int>]
        let walk: (BatchDriver, Compiled, Range<Int>) -> Void

        func run(_ h: Int) { walk(halves[h].0, halves[h].1, ranges[h]) }
    }
}

extension FaultReport {
    /// The faults of rows `a` followed by those of the rows after them, `b`: what one
    /// walk over both finds (the same first-seen order, counts added, the first
    /// `EvalState.maxExamples` customers kept).
    static func merged(_ a: [FaultReport], then b: [FaultReport]) -> [FaultReport] {
        guard !b.isEmpty else { return a }
        var out = a
        for report in b {
            // The key `EvalState.fault` counts under: rule, expression and kind.
            if let k = out.firstIndex(where: { $0.context.rule == report.context.rule && $0.context.expression == report.context.expression
                    && $0.kind == report.kind }) {
                out[k].count += report.count
                out[k].customers += report.customers.prefix(max(0, EvalState.maxExamples - out[k].customers.count))
            } else {
                out.append(report)
            }
        }
        return out
    }
}
