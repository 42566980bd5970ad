import ProsperModel
import ProsperRules

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Stops the benchmark when its own synthetic data lacks a column (a benchmark bug).
func missing(_ what: String) -> Never {
    print("benchmark data lacks \(what)")
    exit(1)
}

/// The logic of rules/churn.yaml and rules/upsell.yaml written by hand as plain Swift
/// loops over the same columns: the yardstick of the compiled rules.
enum HandWritten {
    static func numbers(_ d: Dataset, _ name: String) -> UnsafePointer<Int64> {
        guard case .number(let c)? = d.column(name) else { missing(name) }
        return c.values.pointer
    }

    static func churn(_ d: Dataset, _ rules: ChurnRules) -> (score: [Int64], level: [Int8], signals: [UInt64]) {
        let n = d.count
        let mrr = numbers(d, "mrr"), inactive = numbers(d, "days_inactive"), failed = numbers(d, "failed_payments_90d")
        guard case .boolean(let ci)? = d.column("cancel_intent") else { missing("cancel_intent") }
        let cancel = ci.values.pointer
        var score = [Int64](repeating: 0, count: n)
        var level = [Int8](repeating: -1, count: n)
        var signals = [UInt64](repeating: 0, count: n)
        // Same weights as rules/churn.yaml: inactive 2, cancel_intent 3, payment_trouble 2;
        // levels high 4, medium 2, low 1; eligible mrr >= 50.00.
        for i in 0..<n where mrr[i] >= 5000 {
            var s: Int64 = 0
            var g: UInt64 = 0
            if inactive[i] >= 45 { s += 2; g |= 1 }
            if cancel[i] == 2 { s += 3; g |= 2 }
            if failed[i] >= 2 { s += 2; g |= 4 }
            score[i] = s
            signals[i] = g
            level[i] = s >= 4 ? 0 : (s >= 2 ? 1 : (s >= 1 ? 2 : -1))
        }
        return (score, level, signals)
    }

    static func upsell(_ d: Dataset, _ segment: StringColumn) -> [UInt64] {
        let n = d.count
        let users = numbers(d, "users"), employees = numbers(d, "employees"), count = numbers(d, "product_count")
        guard case .productSet(let p)? = d.column("products"), case .string(let ind)? = d.column("industry"), let indCodes = ind.codes, let segCodes = segment.codes else {
            missing("products or industry")
        }
        func bit(_ name: String) -> UInt64 { p.universe.firstIndex(of: name).map { UInt64(1) << UInt64($0) } ?? 0 }
        let payroll = bit("Payroll"), payments = bit("Payments"), invoicing = bit("Invoicing"), time = bit("Time Tracking")
        let accounting = bit("Accounting"), tax = bit("Tax Filing"), expenses = bit("Expenses"), inventory = bit("Inventory")
        let small = Int32(segment.dictionary.firstIndex(of: "Small Business") ?? -9), mid = Int32(segment.dictionary.firstIndex(of: "Mid-Market") ?? -9)
        let stores = Set(["Retail", "Manufacturing", "Restaurants"].compactMap { ind.dictionary.firstIndex(of: $0) }.map(Int32.init))
        var storeTable = [Bool](repeating: false, count: ind.dictionary.count)
        for s in stores { storeTable[Int(s)] = true }
        let bits = p.bits.pointer, seg = segCodes.pointer, industry = indCodes.pointer
        var out = [UInt64](repeating: 0, count: n)
        for i in 0..<n {
            let b = bits[i]
            if (seg[i] == small || seg[i] == mid) && users[i] >= 10 && b & payroll == 0 { out[i] = 1 }
            else if b & invoicing != 0 && b & payments == 0 { out[i] = 2 }
            else if count[i] >= 3 && b & time == 0 && employees[i] >= 20 { out[i] = 4 }
            else if b & accounting != 0 && b & tax == 0 { out[i] = 8 }
            else if b & payroll != 0 && b & expenses == 0 && employees[i] >= 5 { out[i] = 16 }
            else if storeTable[Int(industry[i])] && b & inventory == 0 { out[i] = 32 }
        }
        return out
    }
}
