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
    ///
    /// The fingerprint is hashed on other threads while this one builds: the customer
    /// part from the start, the subscription part once the rows are grouped
    /// (`concurrent` false: all on this thread, for `PROSPER_SEQUENTIAL`).
    /// `customerDigest`: `startCustomerDigest(c)` when the caller started it earlier.
    package static func build(columns c: CustomerColumns, subscriptions s: SubscriptionRecords, asOf: Day,
                              concurrent: Bool = true, customerDigest pending: BackgroundValue<(UInt64, UInt64)>? = nil) throws(DatasetBuildError) -> Dataset {
        let n = c.count
        for (name, count) in [("company_name", c.companyName.count), ("industry", c.industry.count), ("region", c.region.count),
                              ("employees", c.employees.values.count), ("users", c.users.values.count),
                              ("signup_date", c.signupDate.values.count), ("last_active_date", c.lastActiveDate.values.count),
                              ("support_tickets_90d", c.supportTickets90d.values.count), ("failed_payments_90d", c.failedPayments90d.values.count),
                              ("nps", c.nps.values.count), ("cancel_intent", c.cancelIntent.values.count), ("churned", c.churned.values.count)]
        where count != n {
            throw DatasetBuildError("column \(name) has \(count) rows, expected \(n)")
        }
        let (contractAndCustom, contractAndCustomColumns) = nonDerived(c)
        // (A custom column of the wrong length is reported last, as before; the digest reads
        // every column within its own bounds, so starting it first is safe.)
        let customerDigest = pending ?? startCustomerDigest(c, concurrent: concurrent)
        let productCount = s.productNames.count
        guard productCount <= ProductSetColumn.maxProducts else {
            throw DatasetBuildError("the data has \(productCount) distinct products; at most \(ProductSetColumn.maxProducts) are supported")
        }
        let m = s.count
        let priceIn = s.priceColumn, startIn = s.startDateColumn
        guard s.product.count == m, priceIn.count == m, startIn.count == m, s.active.count == m else {
            throw DatasetBuildError("subscription columns have different lengths")
        }
        // Product universe in byte order; remap codes.
        let order = s.productNames.indices.sorted { Array(s.productNames[$0].utf8).lexicographicallyPrecedes(Array(s.productNames[$1].utf8)) }
        let universe = order.map { s.productNames[$0] }
        var remap = [UInt8](repeating: 0, count: 256)
        for (newCode, old) in order.enumerated() { remap[old] = UInt8(newCode) }

        // Counting sort of subscription rows by customer (stable: keeps input order).
        // Every column below is written in place into storage the dataset then adopts:
        // no zero fill before the write and no copy after it (at 10 M customers that is
        // 0.8 GB less memory traffic and a lower peak).
        let offsets = BuildStorage<Int32>(count: n + 1, zeroed: true)
        var grouped = true
        try s.customer.withUnsafeBufferPointer { (cust) throws(DatasetBuildError) in
            let o = offsets.pointer
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
        let product = BuildStorage<UInt8>(count: m, zeroed: !grouped)
        let active = BuildStorage<UInt8>(count: m, zeroed: !grouped)
        let price: ColumnBuffer<Int64>, start: ColumnBuffer<Int32>
        if grouped {
            // Already in customer order (the usual case): no permutation needed.
            price = priceIn
            start = startIn
            s.product.withUnsafeBufferPointer { sp in
                s.active.withUnsafeBufferPointer { sa in
                    for k in 0..<m {
                        product.pointer[k] = remap[Int(sp[k])]
                        active.pointer[k] = sa[k] ? 1 : 0
                    }
                }
            }
        } else {
            var cursor = Array(UnsafeBufferPointer(start: offsets.pointer, count: n + 1))
            let sortedPrice = BuildStorage<Int64>(count: m, zeroed: true)
            let sortedStart = BuildStorage<Int32>(count: m, zeroed: true)
            let priceAt = priceIn.elements, startAt = startIn.elements
            for k in 0..<m {
                let cust = Int(s.customer[k])
                let at = Int(cursor[cust])
                cursor[cust] += 1
                product.pointer[at] = remap[Int(s.product[k])]
                sortedPrice.pointer[at] = priceAt[k]
                sortedStart.pointer[at] = startAt[k]
                active.pointer[at] = s.active[k] ? 1 : 0
            }
            price = sortedPrice.adopt()
            start = sortedStart.adopt()
        }

        let subscriptions = SubscriptionTable(products: universe, offsets: offsets.adopt(), product: product.adopt(), price: price, startDate: start,
                                              active: active.adopt())
        let subscriptionDigest = BackgroundValue(concurrent: concurrent) { DatasetFingerprint.subscriptionDigest(subscriptions, count: n) }

        // Derived fields, each written once per customer.
        let mrr = BuildStorage<Int64>(count: n), bits = BuildStorage<UInt64>(count: n)
        let productCountColumn = BuildStorage<Int64>(count: n), daysInactive = BuildStorage<Int64>(count: n)
        let tenure = BuildStorage<Int64>(count: n)
        let asOfNumber = Int64(asOf.number)
        let last = c.lastActiveDate.values.elements, signup = c.signupDate.values.elements
        // Every total the modules add up (MRR of all customers, revenue per group, offers at
        // a product's price) stays below `count × 64 × the largest price`; keeping that in
        // 64 bits here lets every later sum be exact without checks in the hot loops.
        let priceLimit = Int64.max / 64 / Int64(max(n, 1))
        var grandTotal: Int64 = 0
        // The table above owns these buffers now; they stay valid while it lives.
        let o = offsets.pointer, pr = price.elements, ac = active.pointer, pd = product.pointer
        for i in 0..<n {
            var total: Int64 = 0
            var set: UInt64 = 0
            for k in Int(o[i])..<Int(o[i + 1]) {
                guard pr[k] <= priceLimit else {
                    throw DatasetBuildError("a monthly price of \(Money.plain(pr[k])) (customer \(c.customerID.value(i) ?? String(i))) is too large: with \(n) customers, prices up to \(Money.plain(priceLimit)) are supported")
                }
                guard ac[k] == 1 else { continue }
                let (sum, overflow) = total.addingReportingOverflow(pr[k])
                guard !overflow else {
                    throw DatasetBuildError("the monthly total of customer \(c.customerID.value(i) ?? String(i)) overflows")
                }
                total = sum
                set |= 1 << UInt64(pd[k] & 63)
            }
            mrr.pointer[i] = total
            let (g, overflow) = grandTotal.addingReportingOverflow(total)
            guard !overflow else { throw DatasetBuildError("the total monthly revenue of all customers is too large to add up exactly") }
            grandTotal = g
            bits.pointer[i] = set
            productCountColumn.pointer[i] = Int64(set.nonzeroBitCount)
            daysInactive.pointer[i] = asOfNumber - Int64(last[i])
            tenure.pointer[i] = asOfNumber - Int64(signup[i])
        }

        var fields = Schema.contractFields + Schema.derivedFields
        var columns: [Column] = c.contractColumns + [
            .number(NumberColumn(buffer: mrr.adopt(), scale: 2)),
            .productSet(ProductSetColumn(buffer: bits.adopt(), universe: universe)),
            .number(NumberColumn(buffer: productCountColumn.adopt(), scale: 0)),
            .number(NumberColumn(buffer: daysInactive.adopt(), scale: 0)),
            .number(NumberColumn(buffer: tenure.adopt(), scale: 0)),
        ]
        for (info, column) in zip(contractAndCustom, contractAndCustomColumns).dropFirst(Schema.contractFields.count) where column.count != n {
            throw DatasetBuildError("custom attribute '\(info.name)' has \(column.count) rows, expected \(n)")
        }
        fields += contractAndCustom.dropFirst(Schema.contractFields.count)
        columns += contractAndCustomColumns.dropFirst(Schema.contractFields.count)
        let schema = Schema(fields: fields)
        let fingerprint = DatasetFingerprint.combine(count: n, customers: customerDigest.value, subscriptions: subscriptionDigest.value)
        return Dataset(count: n, asOf: asOf, fingerprint: fingerprint, schema: schema, columns: columns, subscriptions: subscriptions)
    }

    /// Starts hashing the customer half of the fingerprint of `c` (every column but the
    /// subscriptions) on another thread: ingestion does it while it joins the
    /// subscriptions, and hands the result to `build`.
    package static func startCustomerDigest(_ c: CustomerColumns, concurrent: Bool = true) -> BackgroundValue<(UInt64, UInt64)> {
        let (fields, columns) = nonDerived(c)
        let n = c.count
        return BackgroundValue(concurrent: concurrent) {
            DatasetFingerprint.customerDigest(schema: Schema(fields: fields), columns: columns, count: n)
        }
    }

    /// The fields and columns of `c` that are not derived: the contract, then each custom
    /// attribute whose name no contract or derived field takes, in order. They are what
    /// the fingerprint hashes for the customers.
    static func nonDerived(_ c: CustomerColumns) -> (fields: [FieldInfo], columns: [Column]) {
        var fields = Schema.contractFields
        var columns = c.contractColumns
        let taken = Set((Schema.contractFields + Schema.derivedFields).map(\.name))
        for (info, column) in c.custom where !taken.contains(info.name) {
            fields.append(info)
            columns.append(column)
        }
        return (fields, columns)
    }
}

/// Storage for one column while the dataset is built: allocated once, written in place,
/// then adopted by a `ColumnBuffer` without a copy. Freed here if the build throws first.
/// Only for trivial element types (integers), which need no deinitialization.
final class BuildStorage<Element> {
    let pointer: UnsafeMutablePointer<Element>
    let count: Int
    private var adopted = false

    /// `zeroed`: filled with zero bytes first (for storage that is not written everywhere).
    init(count: Int, zeroed: Bool = false) {
        self.count = count
        pointer = UnsafeMutablePointer<Element>.allocate(capacity: max(count, 1))
        if zeroed { UnsafeMutableRawPointer(pointer).initializeMemory(as: UInt8.self, repeating: 0, count: max(count, 1) * MemoryLayout<Element>.stride) }
    }

    /// Hands the storage to a buffer; the caller has written all `count` elements.
    func adopt() -> ColumnBuffer<Element> {
        adopted = true
        return ColumnBuffer(adopting: pointer, count: count)
    }

    deinit { if !adopted { pointer.deallocate() } }
}
