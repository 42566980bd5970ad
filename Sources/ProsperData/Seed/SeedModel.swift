import ProsperModel

/// The seeder's catalogue and distributions. docs/data.md documents every number here,
/// including the hidden churn model.
enum SeedModel {
    /// Products: name, list price in cents, popularity weight.
    static let catalogue: [(name: String, cents: Int64, weight: Double)] = [
        ("Accounting", 3000, 10), ("Payroll", 4500, 4), ("Payments", 2500, 4), ("Invoicing", 1500, 5),
        ("Time Tracking", 1000, 2.5), ("Inventory", 3500, 1.5), ("Expenses", 1200, 3), ("Tax Filing", 4000, 2.5),
    ]
    static let payroll = 1, timeTracking = 4
    /// Weights of 1…6 active products.
    static let productCountWeights: [Double] = [30, 28, 20, 12, 7, 3]
    static let industries = ["Retail", "Construction", "Professional Services", "Healthcare", "Restaurants", "Technology", "Manufacturing", "Nonprofit"]
    static let industryWeights: [Double] = [16, 14, 18, 12, 12, 12, 10, 6]
    static let regions = ["Northeast", "Southeast", "Midwest", "Southwest", "West"]
    static let regionWeights: [Double] = [22, 20, 20, 15, 23]
    static let nameA = ["Blue", "Red", "Green", "North", "South", "Summit", "River", "Oak", "Pine", "Maple", "Cedar", "Granite",
                        "Silver", "Golden", "Bright", "Prime", "Harbor", "Valley", "Lake", "Iron", "Eagle", "Falcon", "Coastal",
                        "Metro", "Union", "Café", "Zürich"]
    static let nameB = ["Ridge", "Stone", "Field", "Bridge", "Point", "Creek", "Works", "Labs", "Partners", "Group", "Supply",
                        "Design", "Kitchen", "Clinic", "Builders", "Consulting", "Studio", "Logistics", "Foods", "Dental",
                        "Motors", "Tech"]
    static let nameC = ["LLC", "Inc.", "Co.", "Ltd", "Corp.", "& Sons", "Cooperative", ""]

    /// The hidden churn model: the log-odds of cancelling within 90 days.
    static func churnLogOdds(daysInactive: Int, cancelIntent: Bool, failedPayments: Int, productCount: Int, noise: Double) -> Double {
        -3.1 + (daysInactive >= 45 ? 1.9 : 0) + 0.004 * Double(min(daysInactive, 300)) + (cancelIntent ? 2.3 : 0)
            + 0.7 * Double(min(failedPayments, 4)) - 0.3 * Double(productCount) + noise
    }
}

/// One generated subscription row.
struct SeedSubscription {
    var product: Int
    var cents: Int64
    var start: Int32
    var active: Bool
}

/// One generated customer with its subscriptions.
struct SeedCustomer {
    var index = 0
    var nameParts = (0, 0, 0)
    /// 0 plain, 1 comma after the first word, 2 first word in double quotes.
    var nameStyle = 0
    var industry = 0, region = 0
    var employees = 0, users = 0
    var signup: Int32 = 0, lastActive: Int32 = 0
    var tickets = 0, failedPayments = 0
    var nps = -1
    var cancelIntent = false
    var churned = false
    var subscriptions: [SeedSubscription] = []

    /// Customer `index` (0-based) of the data set for `seed` and `asOf`. `tenure` is the
    /// range of days between signup and `asOf` (a customer who signed up between two
    /// snapshots gets a short one); `activeOnAsOf` makes the last activity the as-of date
    /// (customer 1 of every data set, so its latest activity is the as-of date).
    mutating func generate(seed: UInt64, index: Int, asOf: Day, tenure tenureRange: ClosedRange<Int> = 7...3650, activeOnAsOf: Bool? = nil) {
        var rng = SeedRandom(seed: seed, stream: UInt64(index))
        self.index = index
        let style = rng.unit()
        nameStyle = style < 0.03 ? 1 : (style < 0.035 ? 2 : 0)
        nameParts = (rng.int(0...(SeedModel.nameA.count - 1)), rng.int(0...(SeedModel.nameB.count - 1)), rng.int(0...(SeedModel.nameC.count - 1)))
        industry = rng.weighted(SeedModel.industryWeights)
        region = rng.weighted(SeedModel.regionWeights)
        // Employees: log-normal (median ~13), 1…5000; users 15–95 % of them, noisy, >= 1.
        let e = Int(DeterministicMath.exp(2.55 + 1.45 * rng.normal()))
        employees = min(max(e, 1), 5000)
        users = max(1, Int(Double(employees) * (0.15 + 0.8 * rng.unit()) + 1.5 * rng.normal()))
        // Signup: uniform over the ten years before the as-of date, at least 7 days before it.
        let end = asOf.number
        let tenure = rng.int(tenureRange)
        signup = end - Int32(tenure)
        // Inactivity: 15 % dormant 45–400 days, the rest recently active (exponential, mean 6, < 45).
        var inactive: Int
        if rng.chance(0.15) { inactive = rng.int(45...400) } else { inactive = min(44, Int(rng.exponential(mean: 6))) }
        if activeOnAsOf ?? (index == 0) { inactive = 0 }  // the latest activity is the as-of date
        inactive = min(inactive, tenure)
        lastActive = end - Int32(inactive)
        tickets = rng.chance(0.6) ? Int(rng.exponential(mean: 1.2)) : 0
        let f = rng.unit()
        failedPayments = f < 0.88 ? 0 : (f < 0.95 ? 1 : (f < 0.985 ? 2 : rng.int(3...5)))
        nps = rng.chance(0.3) ? -1 : min(10, max(0, Int((7.5 + 2.2 * rng.normal() + 0.5).rounded(.down))))
        cancelIntent = rng.chance(0.02 + (inactive >= 45 ? 0.06 : 0) + (failedPayments >= 2 ? 0.05 : 0))
        // Active products: 1–6, drawn by popularity without replacement.
        let count = rng.weighted(SeedModel.productCountWeights) + 1
        var weights = SeedModel.catalogue.map(\.weight)
        subscriptions.removeAll(keepingCapacity: true)
        var owned: UInt8 = 0
        for _ in 0..<count {
            let p = rng.weighted(weights)
            weights[p] = 0
            owned |= 1 << UInt8(p)
            var cents = SeedModel.catalogue[p].cents
            let d = rng.unit()
            if d < 0.2 { cents = cents * 9 / 10 } else if d < 0.3 { cents = cents * 8 / 10 }
            if p == SeedModel.payroll { cents += 400 * Int64(max(0, min(users, 200) - 5)) }
            if p == SeedModel.timeTracking { cents += 150 * Int64(max(0, min(users, 200) - 3)) }
            subscriptions.append(SeedSubscription(product: p, cents: cents, start: signup + Int32(rng.int(0...tenure)), active: true))
        }
        // Cancelled rows: 18 % of customers; 2 % for a product that is active again.
        let c = rng.unit()
        if c < 0.18 {
            var p = subscriptions[0].product
            if c >= 0.02 {
                let rest = (0..<SeedModel.catalogue.count).filter { owned & (1 << UInt8($0)) == 0 }
                if !rest.isEmpty { p = rest[rng.int(0...(rest.count - 1))] }
            }
            subscriptions.append(SeedSubscription(product: p, cents: SeedModel.catalogue[p].cents,
                                                  start: signup + Int32(rng.int(0...tenure)), active: false))
        }
        // The churn label.
        let z = SeedModel.churnLogOdds(daysInactive: inactive, cancelIntent: cancelIntent, failedPayments: failedPayments,
                                       productCount: count, noise: 0.9 * rng.normal())
        churned = rng.unit() < 1 / (1 + DeterministicMath.exp(-z))
    }
}
