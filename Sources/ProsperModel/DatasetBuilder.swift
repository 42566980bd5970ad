/// Errors that make records unusable as a dataset.
public struct DatasetBuildError: Error, Sendable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// Turns validated records into the immutable `Dataset`: sorts the product catalogue,
/// groups subscriptions by customer and computes every derived field once for the
/// as-of date.
package enum DatasetBuilder {
    /// Builds the dataset. Subscription rows must reference existing customer rows.
    ///
    /// Complexity: O(customers + subscriptions).
    package static func build(customers c: CustomerRecords, subscriptions s: SubscriptionRecords, asOf: Day) throws(DatasetBuildError) -> Dataset {
        try build(columns: CustomerColumns(records: c), subscriptions: s, asOf: asOf)
    }

    /// Builds the dataset from customer columns (the fast path ingestion uses).
    package static func build(columns c: CustomerColumns, subscriptions s: SubscriptionRecords, asOf: Day) throws(DatasetBuildError) -> Dataset {
        let n = c.count
        for (name, count) in [("company_name", c.companyName.count), ("industry", c.industry.count), ("region", c.region.count),
                              ("employees", c.employees.values.count), ("users", c.users.values.count),
                              ("signup_date", c.signupDate.values.count), ("last_active_date", c.lastActiveDate.values.count),
                              ("support_tickets_90d", c.supportTickets90d.values.count), ("failed_payments_90d", c.failedPayments90d.values.count),
                              ("nps", c.nps.values.count), ("cancel_intent", c.cancelIntent.values.count), ("churned", c.churned.values.count)]
        where count != n {
            throw DatasetBuildError("column \(name) has \(count) rows, expected \(n)")
        }
        let productCount = s.productNames.count
        guard productCount <= ProductSetColumn.maxProducts else {
            throw DatasetBuildError("the data has \(productCount) distinct products; at most \(ProductSetColumn.maxProducts) are supported")
        }
        let m = s.count
        guard s.product.count == m, s.price.count == m, s.startDate.count == m, s.active.count == m else {
            throw DatasetBuildError("subscription columns have different lengths")
        }
        // Product universe in byte order; remap codes.
        let order = s.productNames.indices.sorted { Array(s.productNames[$0].utf8).lexicographicallyPrecedes(Array(s.productNames[$1].utf8)) }
        let universe = order.map { s.productNames[$0] }
        var remap = [UInt8](repeating: 0, count: 256)
        for (newCode, old) in order.enumerated() { remap[old] = UInt8(newCode) }

        // Counting sort of subscription rows by customer (stable: keeps input order).
        var offsets = [Int32](repeating: 0, count: n + 1)
        var grouped = true
        try s.customer.withUnsafeBufferPointer { (cust) throws(DatasetBuildError) in
            try offsets.withUnsafeMutableBufferPointer { (o) throws(DatasetBuildError) in
                var previous = 0
                for k in 0..<m {
                    let i = Int(cust[k])
                    guard i >= 0, i < n else { throw DatasetBuildError("subscription row \(k + 1) refers to no customer") }
                    guard Int(s.product[k]) < productCount else { throw DatasetBuildError("subscription row \(k + 1) has no product name") }
                    if i < previous { grouped = false }
                    previous = i
                    o[i + 1] &+= 1
                }
                for i in 0..<n { o[i + 1] &+= o[i] }
            }
        }
        var product = [UInt8](repeating: 0, count: m)
        var active = [UInt8](repeating: 0, count: m)
        let price: [Int64], start: [Int32]
        if grouped {
            // Already in customer order (the usual case): no permutation needed.
            price = s.price
            start = s.startDate
            for k in 0..<m {
                product[k] = remap[Int(s.product[k])]
                active[k] = s.active[k] ? 1 : 0
            }
        } else {
            var cursor = offsets
            var sortedPrice = [Int64](repeating: 0, count: m)
            var sortedStart = [Int32](repeating: 0, count: m)
            for k in 0..<m {
                let cust = Int(s.customer[k])
                let at = Int(cursor[cust])
                cursor[cust] += 1
                product[at] = remap[Int(s.product[k])]
                sortedPrice[at] = s.price[k]
                sortedStart[at] = s.startDate[k]
                active[at] = s.active[k] ? 1 : 0
            }
            price = sortedPrice
            start = sortedStart
        }

        // Derived fields.
        var mrr = [Int64](repeating: 0, count: n)
        var bits = [UInt64](repeating: 0, count: n)
        var productCountColumn = [Int64](repeating: 0, count: n)
        var daysInactive = [Int64](repeating: 0, count: n)
        var tenure = [Int64](repeating: 0, count: n)
        let asOfNumber = Int64(asOf.number)
        let last = c.lastActiveDate.values.elements, signup = c.signupDate.values.elements
        // Every total the modules add up (MRR of all customers, revenue per group, offers at
        // a product's price) stays below `count × 64 × the largest price`; keeping that in
        // 64 bits here lets every later sum be exact without checks in the hot loops.
        let priceLimit = Int64.max / 64 / Int64(max(n, 1))
        var grandTotal: Int64 = 0
        try price.withUnsafeBufferPointer { (price) throws(DatasetBuildError) in
            try offsets.withUnsafeBufferPointer { (o) throws(DatasetBuildError) in
                for i in 0..<n {
                    var total: Int64 = 0
                    var set: UInt64 = 0
                    for k in Int(o[i])..<Int(o[i + 1]) {
                        guard price[k] <= priceLimit else {
                            throw DatasetBuildError("a monthly price of \(Money.plain(price[k])) (customer \(c.customerID.value(i) ?? String(i))) is too large: with \(n) customers, prices up to \(Money.plain(priceLimit)) are supported")
                        }
                        guard active[k] == 1 else { continue }
                        let (sum, overflow) = total.addingReportingOverflow(price[k])
                        guard !overflow else {
                            throw DatasetBuildError("the monthly total of customer \(c.customerID.value(i) ?? String(i)) overflows")
                        }
                        total = sum
                        set |= 1 << UInt64(product[k] & 63)
                    }
                    mrr[i] = total
                    let (g, overflow) = grandTotal.addingReportingOverflow(total)
                    guard !overflow else { throw DatasetBuildError("the total monthly revenue of all customers is too large to add up exactly") }
                    grandTotal = g
                    bits[i] = set
                    productCountColumn[i] = Int64(set.nonzeroBitCount)
                    daysInactive[i] = asOfNumber - Int64(last[i])
                    tenure[i] = asOfNumber - Int64(signup[i])
                }
            }
        }

        let subscriptions = SubscriptionTable(products: universe, offsets: offsets, product: product, price: price, startDate: start, active: active)
        var fields = Schema.contractFields + Schema.derivedFields
        var columns: [Column] = c.contractColumns + [
            .number(NumberColumn(values: mrr, scale: 2)),
            .productSet(ProductSetColumn(bits: bits, universe: universe)),
            .number(NumberColumn(values: productCountColumn, scale: 0)),
            .number(NumberColumn(values: daysInactive, scale: 0)),
            .number(NumberColumn(values: tenure, scale: 0)),
        ]
        let taken = Set(fields.map(\.name))
        for (info, column) in c.custom where !taken.contains(info.name) {
            guard column.count == n else { throw DatasetBuildError("custom attribute '\(info.name)' has \(column.count) rows, expected \(n)") }
            fields.append(info)
            columns.append(column)
        }
        let schema = Schema(fields: fields)
        let fingerprint = DatasetFingerprint.compute(schema: schema, columns: columns, subscriptions: subscriptions, count: n)
        return Dataset(count: n, asOf: asOf, fingerprint: fingerprint, schema: schema, columns: columns, subscriptions: subscriptions)
    }
}
