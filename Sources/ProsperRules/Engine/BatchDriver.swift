import ProsperModel

/// Compiles conditions of one rule file against a dataset and walks it batch by batch.
struct BatchDriver {
    let state: EvalState
    let compiler: KernelCompiler
    let count: Int
    /// The result of a run with faults (the kernel's own vector stays untouched).
    let result = Scratch<UInt8>(repeating: 0)

    init(columns: BoundColumns) {
        let ids: StringColumn?
        if case .string(let s)? = columns.dataset.column("customer_id") { ids = s } else { ids = nil }
        state = EvalState(customerIDs: ids)
        compiler = KernelCompiler(columns: columns, state: state)
        count = columns.dataset.count
    }

    /// Compiles a condition, turning a binding problem into a positioned diagnostic.
    func condition(_ c: CheckedCondition) throws(Diagnostic) -> BoolK {
        do {
            return try compiler.condition(c.typed)
        } catch {
            throw Diagnostic(file: c.source.file, range: c.source.range(error.span), .binding(error.description))
        }
    }

    /// Calls `body(start, count)` for every batch.
    func forEachBatch(_ body: (Int, Int) -> Void) {
        forEachBatch(in: 0..<count, body)
    }

    /// Calls `body(start, count)` for every batch of `rows` (clamped to the dataset).
    func forEachBatch(in rows: Range<Int>, _ body: (Int, Int) -> Void) {
        var start = max(rows.lowerBound, 0)
        let end = min(rows.upperBound, count)
        while start < end {
            let n = min(EvalState.batchSize, end - start)
            state.setBatch(start: start, count: n)
            body(start, n)
            start += n
        }
    }

    /// Runs `kernel` for the current batch with `rule`/`expression` named in faults.
    /// A row whose evaluation faulted gets null (the condition does not hold).
    func run(_ kernel: BoolK, rule: String, expression: String) -> UnsafePointer<UInt8> {
        run(kernel, context: FaultContext(rule: rule, expression: expression))
    }

    /// Runs `kernel` for the current batch with faults reported under `context` (built
    /// once per rule by the caller, not once per batch).
    func run(_ kernel: BoolK, context: FaultContext) -> UnsafePointer<UInt8> {
        state.context = context
        state.beginRun()
        let v = kernel.run()
        guard state.faultedAny else { return v }
        let o = result.pointer, f = state.faulted.pointer
        for i in 0..<state.count { o[i] = f[i] != 0 ? 1 : v[i] }
        return UnsafePointer(o)
    }
}
