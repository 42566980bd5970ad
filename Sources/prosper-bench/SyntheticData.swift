import ProsperModel

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A deterministic in-memory dataset with the contract's shape and rough distributions
/// (the benchmark measures rule evaluation, not the seeder).
enum SyntheticData {
    struct Rng {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
        mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }
    }

    static let catalogue: [(String, Int64)] = [
        ("Accounting", 3000), ("Payroll", 4500), ("Payments", 2500), ("Invoicing", 1500),
        ("Time Tracking", 1000), ("Inventory", 3500), ("Expenses", 1200), ("Tax Filing", 4000),
    ]
    static let popularity: [Double] = [10, 4, 4, 5, 2.5, 1.5, 3, 2.5]
    static let industries = ["Retail", "Construction", "Professional Services", "Healthcare", "Restaurants", "Technology", "Manufacturing", "Nonprofit"]
    static let regions = ["Northeast", "Southeast", "Midwest", "Southwest", "West"]

    static func make(customers n: Int, seed: UInt64 = 20_261_101) -> Dataset {
        var rng = Rng(state: seed)
        let asOf = Day(year: 2026, month: 11, day: 1) ?? Day(number: 20_758)
        var c = CustomerRecords()
        c.reserve(n)
        var s = SubscriptionRecords()
        s.productNames = catalogue.map(\.0)
        for i in 0..<n {
            c.customerID.append("C" + String(i + 1))
            c.companyName.append("Company \(i + 1)")
            c.industry.append(industries[rng.below(industries.count)])
            c.region.append(regions[rng.below(regions.count)])
            let employees = Int64(max(1, min(5000, Int((2.55 + 1.45 * (rng.unit() * 2 - 1) * 1.7).expValue))))
            c.employees.append(employees)
            c.users.append(max(1, Int64(Double(employees) * (0.15 + 0.8 * rng.unit()))))
            let signup = asOf.number - Int32(7 + rng.below(3900))
            c.signupDate.append(signup)
            let inactive = rng.unit() < 0.15 ? Int32(45 + rng.below(356)) : Int32(rng.below(45))
            c.lastActiveDate.append(max(signup, asOf.number - inactive))
            c.supportTickets90d.append(Int64(rng.below(4)))
            let r = rng.unit()
            c.failedPayments90d.append(r < 0.88 ? 0 : (r < 0.95 ? 1 : Int64(2 + rng.below(4))))
            c.nps.append(rng.unit() < 0.3 ? NumberColumn.null : Int64(rng.below(11)))
            c.cancelIntent.append(rng.unit() < 0.035)
            c.churned.append(rng.unit() < 0.09 ? BooleanColumn.trueValue : BooleanColumn.falseValue)
            let k = 1 + min(5, Int(-log(max(rng.unit(), 1e-9)) * 1.6))
            var owned = Set<Int>()
            while owned.count < k {
                var x = rng.unit() * popularity.reduce(0, +)
                for (j, w) in popularity.enumerated() {
                    x -= w
                    if x <= 0 { owned.insert(j); break }
                }
            }
            for j in owned.sorted() {
                s.customer.append(Int32(i))
                s.product.append(UInt8(j))
                let discount: Int64 = rng.unit() < 0.2 ? 90 : 100
                s.price.append(catalogue[j].1 * discount / 100)
                s.startDate.append(signup)
                s.active.append(true)
            }
        }
        do {
            return try DatasetBuilder.build(customers: c, subscriptions: s, asOf: asOf)
        } catch {
            print("cannot build the synthetic dataset: \(error)")
            exit(1)
        }
    }
}

extension Double {
    var expValue: Double { exp(self) }
}
