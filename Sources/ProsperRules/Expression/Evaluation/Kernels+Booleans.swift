// Boolean kernels in three-valued logic: 0 false, 1 null, 2 true, so that
// `and` = min, `or` = max and `not` = 2 - x; comparisons give 0 or 2.

extension EvalState {
    /// Runs `body` with faults counted only on rows where `cond` is (not) true.
    func masked<T>(_ cond: UnsafePointer<UInt8>, wantTrue: Bool, _ body: () -> T) -> T {
        let saved = mask
        let m = maskScratch.acquire()
        defer { maskScratch.release(); mask = saved }
        for i in 0..<count {
            let hit = (cond[i] == boolTrue) == wantTrue
            m[i] = (saved?[i] ?? 1) & (hit ? 1 : 0)
        }
        mask = UnsafePointer(m)
        return body()
    }

    /// Runs `body` with faults counted only on rows where `decided` is not `value`.
    func maskedUnless(_ left: UnsafePointer<UInt8>, equals value: UInt8, _ body: () -> UnsafePointer<UInt8>) -> UnsafePointer<UInt8> {
        let saved = mask
        let m = maskScratch.acquire()
        defer { maskScratch.release(); mask = saved }
        for i in 0..<count { m[i] = (saved?[i] ?? 1) & (left[i] == value ? 0 : 1) }
        mask = UnsafePointer(m)
        return body()
    }
}

/// A stack of mask vectors, one per nesting level of guarded evaluation.
final class MaskStack {
    private var buffers: [Scratch<UInt8>] = []
    private var depth = 0
    func acquire() -> UnsafeMutablePointer<UInt8> {
        if depth == buffers.count { buffers.append(Scratch(repeating: 1)) }
        depth += 1
        return buffers[depth - 1].pointer
    }
    func release() { depth -= 1 }
}

final class NotK: BoolK {
    let a: BoolK, state: EvalState, out = Scratch<UInt8>(repeating: 0)
    init(_ a: BoolK, _ state: EvalState) { self.a = a; self.state = state }
    func run() -> UnsafePointer<UInt8> {
        let x = a.run(), o = out.pointer
        for i in 0..<state.count { o[i] = 2 &- x[i] }
        return UnsafePointer(o)
    }
}

/// `and` / `or`. When the right side can fault, it is evaluated under a mask so that
/// a guard such as `users > 0 and mrr / users > 10` never reports a fault for rows
/// the left side already decided; when the left side decides every row, the right
/// side is skipped.
final class LogicK: BoolK {
    let isAnd: Bool, a: BoolK, b: BoolK, guarded: Bool, state: EvalState, out = Scratch<UInt8>(repeating: 0)
    init(isAnd: Bool, _ a: BoolK, _ b: BoolK, guarded: Bool, _ state: EvalState) {
        self.isAnd = isAnd; self.a = a; self.b = b; self.guarded = guarded; self.state = state
    }
    func run() -> UnsafePointer<UInt8> {
        let x = a.run(), n = state.count
        let decider: UInt8 = isAnd ? boolFalse : boolTrue
        var undecided = false
        for i in 0..<n where x[i] != decider { undecided = true; break }
        if !undecided { return x }
        let y = guarded ? state.maskedUnless(x, equals: decider) { b.run() } : b.run()
        let o = out.pointer
        if isAnd {
            for i in 0..<n { o[i] = min(x[i], y[i]) }
        } else {
            for i in 0..<n { o[i] = max(x[i], y[i]) }
        }
        return UnsafePointer(o)
    }
}

/// Comparison of two number vectors at the same scale.
final class CompareNumK: BoolK {
    let op: BinaryOperator, a: NumK, b: NumK, state: EvalState, out = Scratch<UInt8>(repeating: 0)
    init(_ op: BinaryOperator, _ a: NumK, _ b: NumK, _ state: EvalState) { self.op = op; self.a = a; self.b = b; self.state = state }
    func run() -> UnsafePointer<UInt8> {
        compareLanes(op, a.run(), b.run(), out.pointer, state.count, null: numNull)
        return UnsafePointer(out.pointer)
    }
}

/// Comparison of a number vector with a constant: the hot path of most rules.
final class CompareNumConstK: BoolK {
    let op: BinaryOperator, a: NumK, c: Int64, state: EvalState, out = Scratch<UInt8>(repeating: 0)
    init(_ op: BinaryOperator, _ a: NumK, _ c: Int64, _ state: EvalState) { self.op = op; self.a = a; self.c = c; self.state = state }
    func run() -> UnsafePointer<UInt8> {
        compareConst(op, a.run(), c, out.pointer, state.count, null: numNull)
        return UnsafePointer(out.pointer)
    }
}

/// Comparison of dates, or of text ranks (codes mapped to a common sorted order).
final class CompareI32K: BoolK {
    let op: BinaryOperator, a: I32K, b: I32K, null: Int32, state: EvalState, out = Scratch<UInt8>(repeating: 0)
    init(_ op: BinaryOperator, _ a: I32K, _ b: I32K, null: Int32, _ state: EvalState) { self.op = op; self.a = a; self.b = b; self.null = null; self.state = state }
    func run() -> UnsafePointer<UInt8> {
        compareLanes(op, a.run(), b.run(), out.pointer, state.count, null: null)
        return UnsafePointer(out.pointer)
    }
}

final class CompareI32ConstK: BoolK {
    let op: BinaryOperator, a: I32K, c: Int32, null: Int32, state: EvalState, out = Scratch<UInt8>(repeating: 0)
    init(_ op: BinaryOperator, _ a: I32K, _ c: Int32, null: Int32, _ state: EvalState) { self.op = op; self.a = a; self.c = c; self.null = null; self.state = state }
    func run() -> UnsafePointer<UInt8> {
        compareConst(op, a.run(), c, out.pointer, state.count, null: null)
        return UnsafePointer(out.pointer)
    }
}

final class CompareBoolK: BoolK {
    let equal: Bool, a: BoolK, b: BoolK, state: EvalState, out = Scratch<UInt8>(repeating: 0)
    init(equal: Bool, _ a: BoolK, _ b: BoolK, _ state: EvalState) { self.equal = equal; self.a = a; self.b = b; self.state = state }
    func run() -> UnsafePointer<UInt8> {
        let x = a.run(), y = b.run(), o = out.pointer
        for i in 0..<state.count {
            let p = x[i], q = y[i]
            o[i] = p == boolNull || q == boolNull ? boolFalse : (((p == q) == equal) ? boolTrue : boolFalse)
        }
        return UnsafePointer(o)
    }
}

@inline(__always)
func compareLanes<T: FixedWidthInteger>(_ op: BinaryOperator, _ x: UnsafePointer<T>, _ y: UnsafePointer<T>, _ o: UnsafeMutablePointer<UInt8>, _ n: Int, null: T) {
    switch op {
    case .equal: for i in 0..<n { o[i] = (x[i] != null && x[i] == y[i]) ? boolTrue : boolFalse }
    case .notEqual: for i in 0..<n { o[i] = (x[i] != null && y[i] != null && x[i] != y[i]) ? boolTrue : boolFalse }
    case .less: for i in 0..<n { o[i] = (x[i] != null && y[i] != null && x[i] < y[i]) ? boolTrue : boolFalse }
    case .lessEqual: for i in 0..<n { o[i] = (x[i] != null && y[i] != null && x[i] <= y[i]) ? boolTrue : boolFalse }
    case .greater: for i in 0..<n { o[i] = (x[i] != null && y[i] != null && x[i] > y[i]) ? boolTrue : boolFalse }
    case .greaterEqual: for i in 0..<n { o[i] = (x[i] != null && y[i] != null && x[i] >= y[i]) ? boolTrue : boolFalse }
    default: for i in 0..<n { o[i] = boolFalse }
    }
}

/// `compareConst` for a lane whose null is not its minimum (text codes: -1).
func compareConstAnyNull<T: FixedWidthInteger>(_ op: BinaryOperator, _ x: UnsafePointer<T>, _ c: T, _ o: UnsafeMutablePointer<UInt8>, _ n: Int, null: T) {
    switch op {
    case .equal: for i in 0..<n { o[i] = (x[i] == c && x[i] != null) ? 2 : 0 }
    case .notEqual: for i in 0..<n { o[i] = (x[i] != c && x[i] != null) ? 2 : 0 }
    case .less: for i in 0..<n { o[i] = (x[i] < c && x[i] != null) ? 2 : 0 }
    case .lessEqual: for i in 0..<n { o[i] = (x[i] <= c && x[i] != null) ? 2 : 0 }
    case .greater: for i in 0..<n { o[i] = (x[i] > c && x[i] != null) ? 2 : 0 }
    case .greaterEqual: for i in 0..<n { o[i] = (x[i] >= c && x[i] != null) ? 2 : 0 }
    default: for i in 0..<n { o[i] = 0 }
    }
}

@inline(__always)
func compareConst<T: FixedWidthInteger>(_ op: BinaryOperator, _ x: UnsafePointer<T>, _ c: T, _ o: UnsafeMutablePointer<UInt8>, _ n: Int, null: T) {
    // Branch-free bodies: (condition as 0/1) << 1 gives 0 or 2. Null is the type's
    // minimum, so one comparison settles null as well where the constant allows:
    // `x > c` and (for c above null) `x >= c` and `x == c` already fail on null, and
    // `x < c`, `x <= c` are one unsigned comparison with null moved to the top
    // (x - min - 1 maps null to the largest unsigned value, keeping the others' order).
    guard null == T.min else { return compareConstAnyNull(op, x, c, o, n, null: null) }
    switch op {
    case .equal:
        if c == null { for i in 0..<n { o[i] = 0 } } else { for i in 0..<n { o[i] = x[i] == c ? 2 : 0 } }
    case .notEqual: for i in 0..<n { o[i] = UInt8(truncatingIfNeeded: (x[i] != c && x[i] != null) ? 2 : 0) }
    case .less, .lessEqual:
        if c == null { for i in 0..<n { o[i] = 0 }; return }
        let bias = T.Magnitude(truncatingIfNeeded: null) &+ 1
        let u = T.Magnitude(truncatingIfNeeded: c) &- bias
        if op == .less {
            for i in 0..<n { o[i] = T.Magnitude(truncatingIfNeeded: x[i]) &- bias < u ? 2 : 0 }
        } else {
            for i in 0..<n { o[i] = T.Magnitude(truncatingIfNeeded: x[i]) &- bias <= u ? 2 : 0 }
        }
    case .greater: for i in 0..<n { o[i] = x[i] > c ? 2 : 0 }
    case .greaterEqual:
        if c == null { for i in 0..<n { o[i] = x[i] != null ? 2 : 0 } } else { for i in 0..<n { o[i] = x[i] >= c ? 2 : 0 } }
    default: for i in 0..<n { o[i] = 0 }
    }
}

final class NullTestNumK: BoolK {
    let a: NumK, isNull: Bool, state: EvalState, out = Scratch<UInt8>(repeating: 0)
    init(_ a: NumK, isNull: Bool, _ state: EvalState) { self.a = a; self.isNull = isNull; self.state = state }
    func run() -> UnsafePointer<UInt8> {
        let x = a.run(), o = out.pointer
        for i in 0..<state.count { o[i] = (x[i] == numNull) == isNull ? boolTrue : boolFalse }
        return UnsafePointer(o)
    }
}

final class NullTestI32K: BoolK {
    let a: I32K, null: Int32, isNull: Bool, state: EvalState, out = Scratch<UInt8>(repeating: 0)
    init(_ a: I32K, null: Int32, isNull: Bool, _ state: EvalState) { self.a = a; self.null = null; self.isNull = isNull; self.state = state }
    func run() -> UnsafePointer<UInt8> {
        let x = a.run(), o = out.pointer
        for i in 0..<state.count { o[i] = (x[i] == null) == isNull ? boolTrue : boolFalse }
        return UnsafePointer(o)
    }
}

final class NullTestBoolK: BoolK {
    let a: BoolK, isNull: Bool, state: EvalState, out = Scratch<UInt8>(repeating: 0)
    init(_ a: BoolK, isNull: Bool, _ state: EvalState) { self.a = a; self.isNull = isNull; self.state = state }
    func run() -> UnsafePointer<UInt8> {
        let x = a.run(), o = out.pointer
        for i in 0..<state.count { o[i] = (x[i] == boolNull) == isNull ? boolTrue : boolFalse }
        return UnsafePointer(o)
    }
}

/// `x in [c1, c2, …]` for numbers at one scale (or dates widened to Int64).
final class NumInListK: BoolK {
    let a: NumK, values: [Int64], negated: Bool, state: EvalState, out = Scratch<UInt8>(repeating: 0)
    init(_ a: NumK, _ values: [Int64], negated: Bool, _ state: EvalState) { self.a = a; self.values = values; self.negated = negated; self.state = state }
    func run() -> UnsafePointer<UInt8> {
        let x = a.run(), o = out.pointer
        for i in 0..<state.count {
            let v = x[i]
            if v == numNull { o[i] = boolFalse; continue }
            o[i] = values.contains(v) != negated ? boolTrue : boolFalse
        }
        return UnsafePointer(o)
    }
}

final class I32InListK: BoolK {
    let a: I32K, values: [Int32], null: Int32, negated: Bool, state: EvalState, out = Scratch<UInt8>(repeating: 0)
    init(_ a: I32K, _ values: [Int32], null: Int32, negated: Bool, _ state: EvalState) { self.a = a; self.values = values; self.null = null; self.negated = negated; self.state = state }
    func run() -> UnsafePointer<UInt8> {
        let x = a.run(), o = out.pointer
        for i in 0..<state.count {
            let v = x[i]
            if v == null { o[i] = boolFalse; continue }
            o[i] = values.contains(v) != negated ? boolTrue : boolFalse
        }
        return UnsafePointer(o)
    }
}

/// `"Payroll" in products`: one AND with a constant mask per row.
final class SetHasConstK: BoolK {
    let a: SetK, mask: UInt64, negated: Bool, state: EvalState, out = Scratch<UInt8>(repeating: 0)
    init(_ a: SetK, mask: UInt64, negated: Bool, _ state: EvalState) { self.a = a; self.mask = mask; self.negated = negated; self.state = state }
    func run() -> UnsafePointer<UInt8> {
        let x = a.run(), o = out.pointer, m = mask
        if m.nonzeroBitCount == 1 {
            // One product's bit (a constant name): no 64-bit compare, which SSE2 lacks.
            productBit(x, bit: m.trailingZeroBitCount, o, state.count, times2: true, flip: negated ? 2 : 0)
            return UnsafePointer(o)
        }
        if negated {
            for i in 0..<state.count { o[i] = (x[i] & m) == 0 ? 2 : 0 }
        } else {
            for i in 0..<state.count { o[i] = (x[i] & m) != 0 ? 2 : 0 }
        }
        return UnsafePointer(o)
    }
}

/// `o[i] = (bit `bit` of x[i]) × (times2 ? 2 : 1) ^ flip`, for `bit` in 0..<64: the bit
/// shifted into place instead of a 64-bit compare (which SSE2 lacks), so the loop
/// vectorises; 0/1 or, doubled, the 0/2 of a three-valued boolean; `flip` negates.
@inline(__always)
func productBit(_ x: UnsafePointer<UInt64>, bit: Int, _ o: UnsafeMutablePointer<UInt8>, _ n: Int, times2: Bool, flip: UInt8) {
    let b = UInt64(truncatingIfNeeded: bit & 63)
    if !times2 {
        for i in 0..<n { o[i] = UInt8(truncatingIfNeeded: x[i] &>> b) & 1 ^ flip }
    } else if b == 0 {
        for i in 0..<n { o[i] = (UInt8(truncatingIfNeeded: x[i]) &<< 1) & 2 ^ flip }
    } else {
        let s = b &- 1
        for i in 0..<n { o[i] = UInt8(truncatingIfNeeded: x[i] &>> s) & 2 ^ flip }
    }
}

/// `text in products` where the text varies: codes mapped to product bits.
final class SetHasCodeK: BoolK {
    let a: SetK, codes: I32K, bitOf: [Int8], negated: Bool, state: EvalState, out = Scratch<UInt8>(repeating: 0)
    init(_ a: SetK, _ codes: I32K, bitOf: [Int8], negated: Bool, _ state: EvalState) { self.a = a; self.codes = codes; self.bitOf = bitOf; self.negated = negated; self.state = state }
    func run() -> UnsafePointer<UInt8> {
        let x = a.run(), c = codes.run(), o = out.pointer
        for i in 0..<state.count {
            let k = Int(c[i])
            if k < 0 || k >= bitOf.count { o[i] = boolFalse; continue }
            let bit = bitOf[k]
            let has = bit >= 0 && (x[i] >> UInt64(bit)) & 1 == 1
            o[i] = has != negated ? boolTrue : boolFalse
        }
        return UnsafePointer(o)
    }
}
