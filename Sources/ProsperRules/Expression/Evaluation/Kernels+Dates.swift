import ProsperModel

// Date functions over day-number vectors (Day+Calendar.swift holds the calendar rules,
// shared with the scalar evaluator). One loop per part, so the part is chosen once per
// batch, not once per customer.

/// year(), month(), quarter(), day(), weekday(): a whole number per row.
final class DatePartK: NumK {
    let a: I32K, part: Builtin, state: EvalState, out = Scratch<Int64>(repeating: 0)
    init(_ a: I32K, _ part: Builtin, _ state: EvalState) { self.a = a; self.part = part; self.state = state }
    func run() -> UnsafePointer<Int64> {
        let x = a.run(), o = out.pointer, n = state.count
        switch part {
        case .weekday:
            for i in 0..<n { o[i] = x[i] == dateNull ? numNull : Day.weekday(x[i]) }
        case .year:
            for i in 0..<n { o[i] = x[i] == dateNull ? numNull : Int64(Day(number: x[i]).civil.year) }
        case .month:
            for i in 0..<n { o[i] = x[i] == dateNull ? numNull : Int64(Day(number: x[i]).civil.month) }
        case .quarter:
            for i in 0..<n { o[i] = x[i] == dateNull ? numNull : Int64((Day(number: x[i]).civil.month + 2) / 3) }
        default:
            for i in 0..<n { o[i] = x[i] == dateNull ? numNull : Int64(Day(number: x[i]).civil.day) }
        }
        return UnsafePointer(o)
    }
}

/// start_of_month().
final class StartOfMonthK: I32K {
    let a: I32K, state: EvalState, out = Scratch<Int32>(repeating: 0)
    init(_ a: I32K, _ state: EvalState) { self.a = a; self.state = state }
    func run() -> UnsafePointer<Int32> {
        let x = a.run(), o = out.pointer
        for i in 0..<state.count { o[i] = x[i] == dateNull ? dateNull : Day.startOfMonth(x[i]) }
        return UnsafePointer(o)
    }
}

/// months_between(a, b).
final class MonthsBetweenK: NumK {
    let a: I32K, b: I32K, state: EvalState, out = Scratch<Int64>(repeating: 0)
    init(_ a: I32K, _ b: I32K, _ state: EvalState) { self.a = a; self.b = b; self.state = state }
    func run() -> UnsafePointer<Int64> {
        let x = a.run(), y = b.run(), o = out.pointer
        for i in 0..<state.count {
            let p = x[i], q = y[i]
            o[i] = p == dateNull || q == dateNull ? numNull : Day.monthsBetween(p, q)
        }
        return UnsafePointer(o)
    }
}

/// add_days(d, n) / add_months(d, n) with a whole number `n`; a result outside years
/// 1…9999 is null with a `dateOutOfRange` fault.
final class AddToDateK: I32K {
    let a: I32K, n: NumK, months: Bool, state: EvalState, out = Scratch<Int32>(repeating: 0)
    init(_ a: I32K, _ n: NumK, months: Bool, _ state: EvalState) { self.a = a; self.n = n; self.months = months; self.state = state }
    func run() -> UnsafePointer<Int32> {
        let x = a.run(), y = n.run(), o = out.pointer
        for i in 0..<state.count {
            let d = x[i], k = y[i]
            if d == dateNull || k == numNull { o[i] = dateNull; continue }
            if let r = months ? Day.addingMonths(d, k) : Day.addingDays(d, k) {
                o[i] = r
            } else {
                o[i] = dateNull
                state.fault(.dateOutOfRange, row: i)
            }
        }
        return UnsafePointer(o)
    }
}
