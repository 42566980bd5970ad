/// Errors that make records unusable as a dataset.
public struct DatasetBuildError: Error, Sendable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// Turns validated records into the immutable `Dataset`: sorts the product catalogue,
/// groups subscriptions by customer and computes every derived field once for the
/// as-of date.
public enum DatasetBuilder {
    /// Builds the dataset. Subscription rows must reference existing customer rows.
    ///
    /// Complexity: O(customers + subscriptions).
    public static func build(customers c: CustomerRecords, subscriptions s: SubscriptionRecords, asOf: Day) throws -> Dataset {
        let n = c.count
        guard s.productNames.count <= ProductSetColumn.maxProducts else {
            throw DatasetBuildError("the data has \(s.productNames.count) distinct products; at most \(ProductSetColumn.maxProducts) are supported")
        }
        // Product universe in byte order; remap codes.
        let order = s.productNames.indices.sorted { Array(s.productNames[$0].utf8).lexicographicallyPrecedes(Array(s.productNames[$1].utf8)) }
        let universe = order.map { s.productNames[$0] }
        var remap = [UInt8](repeating: 0, count: max(s.productNames.count, 1))
        for (newCode, old) in order.enumerated() { remap[old] = UInt8(newCode) }

        // Counting sort of subscription rows by customer (stable: keeps input order).
        var offsets = [Int32](repeating: 0, count: n + 1)
        for k in 0..<s.count {
            let cust = Int(s.customer[k])
            guard cust >= 0, cust < n else { throw DatasetBuildError("subscription row \(k + 1) refers to no customer") }
            offsets[cust + 1] += 1
        }
        for i in 0..<n { offsets[i + 1] += offsets[i] }
        var cursor = offsets
        let m = s.count
        var product = [UInt8](repeating: 0, count: m)
        var price = [Int64](repeating: 0, count: m)
        var start = [Int32](repeating: 0, count: m)
        var active = [UInt8](repeating: 0, count: m)
        for k in 0..<m {
            let cust = Int(s.customer[k])
            let at = Int(cursor[cust])
            cursor[cust] += 1
            product[at] = remap[Int(s.product[k])]
            price[at] = s.price[k]
            start[at] = s.startDate[k]
            active[at] = s.active[k] ? 1 : 0
        }

        // Derived fields.
        var mrr = [Int64](repeating: 0, count: n)
        var bits = [UInt64](repeating: 0, count: n)
        var productCount = [Int64](repeating: 0, count: n)
        var daysInactive = [Int64](repeating: 0, count: n)
        var tenure = [Int64](repeating: 0, count: n)
        let asOfNumber = Int64(asOf.number)
        for i in 0..<n {
            var total: Int64 = 0
            var set: UInt64 = 0
            for k in Int(offsets[i])..<Int(offsets[i + 1]) where active[k] == 1 {
                let (sum, overflow) = total.addingReportingOverflow(price[k])
                guard !overflow else { throw DatasetBuildError("the monthly total of customer \(c.customerID[i]) overflows") }
                total = sum
                set |= 1 << UInt64(product[k])
            }
            mrr[i] = total
            bits[i] = set
            productCount[i] = Int64(set.nonzeroBitCount)
            daysInactive[i] = asOfNumber - Int64(c.lastActiveDate[i])
            tenure[i] = asOfNumber - Int64(c.signupDate[i])
        }

        let subscriptions = SubscriptionTable(products: universe, offsets: offsets, product: product, price: price, startDate: start, active: active)
        var fields = Schema.contractFields + Schema.derivedFields
        var columns: [Column] = [
            .string(StringColumn(unique: c.customerID)),
            .string(StringColumn(unique: c.companyName)),
            .string(StringColumn(encoding: c.industry)),
            .string(StringColumn(encoding: c.region)),
            .number(NumberColumn(values: c.employees, scale: 0)),
            .number(NumberColumn(values: c.users, scale: 0)),
            .date(DateColumn(values: c.signupDate)),
            .date(DateColumn(values: c.lastActiveDate)),
            .number(NumberColumn(values: c.supportTickets90d, scale: 0)),
            .number(NumberColumn(values: c.failedPayments90d, scale: 0)),
            .number(NumberColumn(values: c.nps, scale: 0)),
            .boolean(BooleanColumn(c.cancelIntent)),
            .boolean(BooleanColumn(values: c.churned)),
            .number(NumberColumn(values: mrr, scale: 2)),
            .productSet(ProductSetColumn(bits: bits, universe: universe)),
            .number(NumberColumn(values: productCount, scale: 0)),
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
