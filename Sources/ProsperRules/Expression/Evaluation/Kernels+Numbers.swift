// Number kernels: exact scaled integers, null-propagating, overflow-checked.

/// Multiplies by 10^k to reach a larger scale. `saturating` (for comparison operands)
/// clamps instead of faulting, which keeps comparisons exact.
final class RescaleK: NumK {
    let a: NumK, factor: Int64, saturating: Bool, state: EvalState, out = Scratch<Int64>(repeating: 0)
    init(_ a: NumK, by k: Int, saturating: Bool, _ state: EvalState) {
        self.a = a; self.factor = Decimal64.power(k); self.saturating = saturating; self.state = state
    }
    func run() -> UnsafePointer<Int64> {
        let x = a.run(), o = out.pointer, f = factor
        for i in 0..<state.count {
            let v = x[i]
            if v == numNull { o[i] = numNull; continue }
            let (r, over) = v.multipliedReportingOverflow(by: f)
            if over || r == numNull {
                if saturating { o[i] = v < 0 ? -Int64.max : Int64.max } else { o[i] = numNull; state.fault(.overflow, row: i) }
            } else {
                o[i] = r
            }
        }
        return UnsafePointer(o)
    }
}

/// Rounds to a smaller scale (half away from zero), floors or ceils.
final class RoundK: NumK {
    enum Mode { case round, floor, ceil }
    let a: NumK, from: Int, to: Int, mode: Mode, state: EvalState, out = Scratch<Int64>(repeating: 0)
    init(_ a: NumK, from: Int, to: Int, mode: Mode, _ state: EvalState) { self.a = a; self.from = from; self.to = to; self.mode = mode; self.state = state }
    func run() -> UnsafePointer<Int64> {
        let x = a.run(), o = out.pointer
        for i in 0..<state.count {
            let v = x[i]
            if v == numNull { o[i] = numNull; continue }
            switch mode {
            case .round: o[i] = Decimal64.roundDown(v, from: from, to: to)
            case .floor: o[i] = Decimal64.floor(v, scale: from)
            case .ceil: o[i] = Decimal64.ceil(v, scale: from)
            }
        }
        return UnsafePointer(o)
    }
}

final class NegateK: NumK {
    let a: NumK, abs: Bool, state: EvalState, out = Scratch<Int64>(repeating: 0)
    init(_ a: NumK, abs: Bool, _ state: EvalState) { self.a = a; self.abs = abs; self.state = state }
    func run() -> UnsafePointer<Int64> {
        let x = a.run(), o = out.pointer
        for i in 0..<state.count {
            let v = x[i]
            // -v cannot overflow: Int64.min is the null sentinel, never a value.
            o[i] = v == numNull ? numNull : (abs && v >= 0 ? v : -v)
        }
        return UnsafePointer(o)
    }
}

/// `a op b` for operands already at the scales the operator needs.
final class ArithmeticK: NumK {
    let op: BinaryOperator, a: NumK, sa: Int, b: NumK, sb: Int, state: EvalState
    let out = Scratch<Int64>(repeating: 0)
    init(_ op: BinaryOperator, _ a: NumK, _ sa: Int, _ b: NumK, _ sb: Int, _ state: EvalState) {
        self.op = op; self.a = a; self.sa = sa; self.b = b; self.sb = sb; self.state = state
    }
    func run() -> UnsafePointer<Int64> {
        let x = a.run(), y = b.run(), o = out.pointer, n = state.count
        switch op {
        case .add:
            for i in 0..<n {
                let p = x[i], q = y[i]
                let (r, over) = p.addingReportingOverflow(q)
                if p == numNull || q == numNull { o[i] = numNull } else if over || r == numNull { o[i] = numNull; state.fault(.overflow, row: i) } else { o[i] = r }
            }
        case .subtract:
            for i in 0..<n {
                let p = x[i], q = y[i]
                let (r, over) = p.subtractingReportingOverflow(q)
                if p == numNull || q == numNull { o[i] = numNull } else if over || r == numNull { o[i] = numNull; state.fault(.overflow, row: i) } else { o[i] = r }
            }
        case .multiply:
            for i in 0..<n {
                let p = x[i], q = y[i]
                if p == numNull || q == numNull { o[i] = numNull; continue }
                if let r = Decimal64.multiply(p, sa, q, sb) { o[i] = r } else { o[i] = numNull; state.fault(.overflow, row: i) }
            }
        case .divide:
            for i in 0..<n {
                let p = x[i], q = y[i]
                if p == numNull || q == numNull { o[i] = numNull; continue }
                if q == 0 { o[i] = numNull; state.fault(.divisionByZero, row: i); continue }
                if let r = Decimal64.divide(p, sa, q, sb) { o[i] = r } else { o[i] = numNull; state.fault(.overflow, row: i) }
            }
        case .remainder:
            for i in 0..<n {
                let p = x[i], q = y[i]
                if p == numNull || q == numNull { o[i] = numNull; continue }
                if q == 0 { o[i] = numNull; state.fault(.divisionByZero, row: i); continue }
                o[i] = p % q
            }
        default:
            for i in 0..<n { o[i] = numNull }
        }
        return UnsafePointer(o)
    }
}

/// min / max over operands at one scale; nulls are skipped (null only when all are).
final class MinMaxNumK: NumK {
    let args: [NumK], isMin: Bool, state: EvalState, out = Scratch<Int64>(repeating: 0)
    init(_ args: [NumK], isMin: Bool, _ state: EvalState) { self.args = args; self.isMin = isMin; self.state = state }
    func run() -> UnsafePointer<Int64> {
        let o = out.pointer, n = state.count
        for i in 0..<n { o[i] = numNull }
        for a in args {
            let x = a.run()
            for i in 0..<n {
                let v = x[i]
                if v == numNull { continue }
                let cur = o[i]
                if cur == numNull || (isMin ? v < cur : v > cur) { o[i] = v }
            }
        }
        return UnsafePointer(o)
    }
}

final class MinMaxI32K: I32K {
    let args: [I32K], isMin: Bool, state: EvalState, out = Scratch<Int32>(repeating: 0)
    init(_ args: [I32K], isMin: Bool, _ state: EvalState) { self.args = args; self.isMin = isMin; self.state = state }
    func run() -> UnsafePointer<Int32> {
        let o = out.pointer, n = state.count
        for i in 0..<n { o[i] = dateNull }
        for a in args {
            let x = a.run()
            for i in 0..<n {
                let v = x[i]
                if v == dateNull { continue }
                let cur = o[i]
                if cur == dateNull || (isMin ? v < cur : v > cur) { o[i] = v }
            }
        }
        return UnsafePointer(o)
    }
}

/// `b - a` in days.
final class DaysBetweenK: NumK {
    let a: I32K, b: I32K, state: EvalState, out = Scratch<Int64>(repeating: 0)
    init(_ a: I32K, _ b: I32K, _ state: EvalState) { self.a = a; self.b = b; self.state = state }
    func run() -> UnsafePointer<Int64> {
        let x = a.run(), y = b.run(), o = out.pointer
        for i in 0..<state.count {
            let p = x[i], q = y[i]
            o[i] = p == dateNull || q == dateNull ? numNull : Int64(q) - Int64(p)
        }
        return UnsafePointer(o)
    }
}

final class PopCountK: NumK {
    let a: SetK, state: EvalState, out = Scratch<Int64>(repeating: 0)
    init(_ a: SetK, _ state: EvalState) { self.a = a; self.state = state }
    func run() -> UnsafePointer<Int64> {
        let x = a.run(), o = out.pointer
        for i in 0..<state.count { o[i] = Int64(x[i].nonzeroBitCount) }
        return UnsafePointer(o)
    }
}

// MARK: Choice: if/then/else and coalesce, one class per lane type
// (concrete on purpose: a generic kernel class is not reliably specialised behind the
// lane protocols, and these loops must stay plain integer loops)

final class SelectNumK: NumK {
    let c: BoolK, a: NumK, b: NumK, state: EvalState, out = Scratch<Int64>(repeating: 0)
    init(_ c: BoolK, _ a: NumK, _ b: NumK, _ state: EvalState) { self.c = c; self.a = a; self.b = b; self.state = state }
    func run() -> UnsafePointer<Int64> {
        let cv = c.run()
        let x = state.masked(cv, wantTrue: true) { a.run() }
        let y = state.masked(cv, wantTrue: false) { b.run() }
        let o = out.pointer
        for i in 0..<state.count { o[i] = cv[i] == boolTrue ? x[i] : y[i] }
        return UnsafePointer(o)
    }
}

final class SelectBoolK: BoolK {
    let c: BoolK, a: BoolK, b: BoolK, state: EvalState, out = Scratch<UInt8>(repeating: 0)
    init(_ c: BoolK, _ a: BoolK, _ b: BoolK, _ state: EvalState) { self.c = c; self.a = a; self.b = b; self.state = state }
    func run() -> UnsafePointer<UInt8> {
        let cv = c.run()
        let x = state.masked(cv, wantTrue: true) { a.run() }
        let y = state.masked(cv, wantTrue: false) { b.run() }
        let o = out.pointer
        for i in 0..<state.count { o[i] = cv[i] == boolTrue ? x[i] : y[i] }
        return UnsafePointer(o)
    }
}

final class SelectI32K: I32K {
    let c: BoolK, a: I32K, b: I32K, state: EvalState, out = Scratch<Int32>(repeating: 0)
    init(_ c: BoolK, _ a: I32K, _ b: I32K, _ state: EvalState) { self.c = c; self.a = a; self.b = b; self.state = state }
    func run() -> UnsafePointer<Int32> {
        let cv = c.run()
        let x = state.masked(cv, wantTrue: true) { a.run() }
        let y = state.masked(cv, wantTrue: false) { b.run() }
        let o = out.pointer
        for i in 0..<state.count { o[i] = cv[i] == boolTrue ? x[i] : y[i] }
        return UnsafePointer(o)
    }
}

final class CoalesceNumK: NumK {
    let args: [NumK], state: EvalState, out = Scratch<Int64>(repeating: 0)
    init(_ args: [NumK], _ state: EvalState) { self.args = args; self.state = state }
    func run() -> UnsafePointer<Int64> {
        let o = out.pointer, n = state.count
        for i in 0..<n { o[i] = numNull }
        for a in args {
            let x = a.run()
            for i in 0..<n where o[i] == numNull { o[i] = x[i] }
        }
        return UnsafePointer(o)
    }
}

final class CoalesceI32K: I32K {
    let args: [I32K], null: Int32, state: EvalState, out = Scratch<Int32>(repeating: 0)
    init(_ args: [I32K], null: Int32, _ state: EvalState) { self.args = args; self.null = null; self.state = state }
    func run() -> UnsafePointer<Int32> {
        let o = out.pointer, n = state.count
        for i in 0..<n { o[i] = null }
        for a in args {
            let x = a.run()
            for i in 0..<n where o[i] == null { o[i] = x[i] }
        }
        return UnsafePointer(o)
    }
}

final class CoalesceBoolK: BoolK {
    let args: [BoolK], state: EvalState, out = Scratch<UInt8>(repeating: 0)
    init(_ args: [BoolK], _ state: EvalState) { self.args = args; self.state = state }
    func run() -> UnsafePointer<UInt8> {
        let o = out.pointer, n = state.count
        for i in 0..<n { o[i] = boolNull }
        for a in args {
            let x = a.run()
            for i in 0..<n where o[i] == boolNull { o[i] = x[i] }
        }
        return UnsafePointer(o)
    }
}
