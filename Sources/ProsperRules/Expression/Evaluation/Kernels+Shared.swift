// Derived fields (`fields:`) are compiled once and shared by every expression that
// names them: a rule set is a DAG of kernels, not a tree, so `f2: f1 + f1`,
// `f3: f2 + f2`, … costs one kernel per field instead of 2^n. A shared kernel computes
// its vector once per batch; its faults are logged then and replayed at each use,
// under that use's mask, exactly as if the field had been written out in place.

final class SharedNumK: NumK {
    let a: NumK, state: EvalState, log = FaultLog()
    private var generation = -1
    private var result: UnsafePointer<Int64>?
    init(_ a: NumK, _ state: EvalState) { self.a = a; self.state = state }
    func run() -> UnsafePointer<Int64> {
        if generation != state.generation || result == nil {
            result = state.capturing(log) { a.run() }
            generation = state.generation
        }
        state.replay(log)
        return result ?? a.run()
    }
}

final class SharedBoolK: BoolK {
    let a: BoolK, state: EvalState, log = FaultLog()
    private var generation = -1
    private var result: UnsafePointer<UInt8>?
    init(_ a: BoolK, _ state: EvalState) { self.a = a; self.state = state }
    func run() -> UnsafePointer<UInt8> {
        if generation != state.generation || result == nil {
            result = state.capturing(log) { a.run() }
            generation = state.generation
        }
        state.replay(log)
        return result ?? a.run()
    }
}

final class SharedI32K: I32K {
    let a: I32K, state: EvalState, log = FaultLog()
    private var generation = -1
    private var result: UnsafePointer<Int32>?
    init(_ a: I32K, _ state: EvalState) { self.a = a; self.state = state }
    func run() -> UnsafePointer<Int32> {
        if generation != state.generation || result == nil {
            result = state.capturing(log) { a.run() }
            generation = state.generation
        }
        state.replay(log)
        return result ?? a.run()
    }
}

/// The compiled derived fields of one compiler, by checked tree (each field's tree is
/// one object, shared by every reference to the field), and what is known about them.
final class SharedFields {
    var compiled: [ObjectIdentifier: Compiled] = [:]
    var canFault: [ObjectIdentifier: Bool] = [:]
    /// Keeps the keys' trees alive as long as the cache.
    var trees: [TypedExpr] = []
}
