/// Vectorised kernels: each evaluates one node of a checked expression for a whole
/// batch of rows, reading typed columns through pointers and writing a typed vector.
/// Dispatch happens once per batch, not once per customer, so the inner loops are
/// plain loops over integers that the compiler vectorises.
///
/// Null is a sentinel in every vector: `Int64.min` for numbers, `Int32.min` for dates,
/// -1 for text codes, and 1 in three-valued booleans (0 false, 1 null, 2 true).
protocol NumK: AnyObject { func run() -> UnsafePointer<Int64> }
protocol BoolK: AnyObject { func run() -> UnsafePointer<UInt8> }
/// Dates (day numbers) and text (dictionary codes).
protocol I32K: AnyObject { func run() -> UnsafePointer<Int32> }
protocol SetK: AnyObject { func run() -> UnsafePointer<UInt64> }

let numNull = Int64.min
let dateNull = Int32.min
let codeNull: Int32 = -1
let boolFalse: UInt8 = 0, boolNull: UInt8 = 1, boolTrue: UInt8 = 2

// MARK: Leaves

final class NumColumnK: NumK {
    let base: UnsafePointer<Int64>, state: EvalState
    init(_ base: UnsafePointer<Int64>, _ state: EvalState) { self.base = base; self.state = state }
    func run() -> UnsafePointer<Int64> { base + state.start }
}

final class BoolColumnK: BoolK {
    let base: UnsafePointer<UInt8>, state: EvalState
    init(_ base: UnsafePointer<UInt8>, _ state: EvalState) { self.base = base; self.state = state }
    func run() -> UnsafePointer<UInt8> { base + state.start }
}

final class I32ColumnK: I32K {
    let base: UnsafePointer<Int32>, state: EvalState
    init(_ base: UnsafePointer<Int32>, _ state: EvalState) { self.base = base; self.state = state }
    func run() -> UnsafePointer<Int32> { base + state.start }
}

final class SetColumnK: SetK {
    let base: UnsafePointer<UInt64>, state: EvalState
    init(_ base: UnsafePointer<UInt64>, _ state: EvalState) { self.base = base; self.state = state }
    func run() -> UnsafePointer<UInt64> { base + state.start }
}

/// Codes of a column whose dictionary is the column itself (row i has code i).
final class IdentityCodesK: I32K {
    let state: EvalState, out = Scratch<Int32>(repeating: 0)
    init(_ state: EvalState) { self.state = state }
    func run() -> UnsafePointer<Int32> {
        let s = Int32(truncatingIfNeeded: state.start), o = out.pointer
        for i in 0..<state.count { o[i] = s &+ Int32(truncatingIfNeeded: i) }
        return UnsafePointer(o)
    }
}

final class NumConstK: NumK {
    let out: Scratch<Int64>
    init(_ v: Int64) { out = Scratch(repeating: v) }
    func run() -> UnsafePointer<Int64> { UnsafePointer(out.pointer) }
}

final class BoolConstK: BoolK {
    let out: Scratch<UInt8>
    init(_ v: UInt8) { out = Scratch(repeating: v) }
    func run() -> UnsafePointer<UInt8> { UnsafePointer(out.pointer) }
}

final class I32ConstK: I32K {
    let out: Scratch<Int32>
    init(_ v: Int32) { out = Scratch(repeating: v) }
    func run() -> UnsafePointer<Int32> { UnsafePointer(out.pointer) }
}

final class SetConstK: SetK {
    let out: Scratch<UInt64>
    init(_ v: UInt64) { out = Scratch(repeating: v) }
    func run() -> UnsafePointer<UInt64> { UnsafePointer(out.pointer) }
}

// MARK: Lookups (text through its dictionary)

/// `table[code]` for every row: text functions and membership evaluated once per
/// dictionary entry instead of once per customer. `nullValue` for null codes.
final class CodeToBoolK: BoolK {
    let codes: I32K, table: [UInt8], nullValue: UInt8, state: EvalState, out = Scratch<UInt8>(repeating: 0)
    init(_ codes: I32K, _ table: [UInt8], null: UInt8, _ state: EvalState) { self.codes = codes; self.table = table; self.nullValue = null; self.state = state }
    func run() -> UnsafePointer<UInt8> {
        let c = codes.run(), o = out.pointer, n = state.count, nv = nullValue
        table.withUnsafeBufferPointer { t in
            for i in 0..<n { let k = Int(c[i]); o[i] = k < 0 || k >= t.count ? nv : t[k] }
        }
        return UnsafePointer(o)
    }
}

final class CodeToI32K: I32K {
    let codes: I32K, table: [Int32], nullValue: Int32, state: EvalState, out = Scratch<Int32>(repeating: 0)
    /// Rows whose table value is `faultValue` record `fault` (e.g. text that is no date).
    let fault: EvaluationFault.Kind?, faultValue: Int32
    init(_ codes: I32K, _ table: [Int32], null: Int32, _ state: EvalState, fault: EvaluationFault.Kind? = nil, faultValue: Int32 = 0) {
        self.codes = codes; self.table = table; self.nullValue = null; self.state = state; self.fault = fault; self.faultValue = faultValue
    }
    func run() -> UnsafePointer<Int32> {
        let c = codes.run(), o = out.pointer, n = state.count, nv = nullValue
        table.withUnsafeBufferPointer { t in
            for i in 0..<n { let k = Int(c[i]); o[i] = k < 0 || k >= t.count ? nv : t[k] }
        }
        if let fault {
            for i in 0..<n where c[i] >= 0 && o[i] == faultValue { state.fault(fault, row: i) }
        }
        return UnsafePointer(o)
    }
}

final class CodeToNumK: NumK {
    let codes: I32K, table: [Int64], state: EvalState, out = Scratch<Int64>(repeating: 0)
    init(_ codes: I32K, _ table: [Int64], _ state: EvalState) { self.codes = codes; self.table = table; self.state = state }
    func run() -> UnsafePointer<Int64> {
        let c = codes.run(), o = out.pointer, n = state.count
        table.withUnsafeBufferPointer { t in
            for i in 0..<n { let k = Int(c[i]); o[i] = k < 0 || k >= t.count ? numNull : t[k] }
        }
        return UnsafePointer(o)
    }
}

/// A text test whose both sides vary per customer (rare): evaluated row by row.
final class TextPairK: BoolK {
    let a: I32K, aDict: [String], b: I32K, bDict: [String], f: Builtin, span: Span, state: EvalState
    let out = Scratch<UInt8>(repeating: 0)
    init(_ a: I32K, _ aDict: [String], _ b: I32K, _ bDict: [String], _ f: Builtin, _ span: Span, _ state: EvalState) {
        self.a = a; self.aDict = aDict; self.b = b; self.bDict = bDict; self.f = f; self.span = span; self.state = state
    }
    func run() -> UnsafePointer<UInt8> {
        let x = a.run(), y = b.run(), o = out.pointer
        for i in 0..<state.count {
            let p = Int(x[i]), q = Int(y[i])
            guard p >= 0, p < aDict.count, q >= 0, q < bDict.count else { o[i] = boolNull; continue }
            do {
                o[i] = try TextFunctions.test(f, aDict[p], bDict[q], span: span) ? boolTrue : boolFalse
            } catch {
                o[i] = boolNull
                state.fault(error.kind, row: i)
            }
        }
        return UnsafePointer(o)
    }
}
