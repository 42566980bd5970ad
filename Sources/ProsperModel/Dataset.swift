/// The immutable, columnar customer dataset every rule and module reads.
///
/// Built once (by ingestion or the seeder) for one as-of date; afterwards nothing can
/// change it. All storage is `let`, columns are immutable buffers, and the type is
/// `Sendable`, so one dataset can be read from many threads at once.
public struct Dataset: Sendable {
    /// Number of customers (rows).
    public let count: Int
    /// The snapshot date derived fields were computed for.
    public let asOf: Day
    /// A hash of the normalised content (see `DatasetFingerprint`).
    public let fingerprint: String
    /// Field descriptions in stable order; `columns[i]` holds `schema.fields[i]`'s data.
    public let schema: Schema
    /// Columns aligned with `schema.fields`.
    public let columns: [Column]
    /// Every subscription row, grouped by customer.
    public let subscriptions: SubscriptionTable
    /// What the amounts are (`money:` of a mapping or the project file); nil when
    /// nothing says, and then reports label no amount.
    public let moneyUnit: MoneyUnit?

    private let index: [String: Int]

    package init(count: Int, asOf: Day, fingerprint: String, schema: Schema, columns: [Column], subscriptions: SubscriptionTable, moneyUnit: MoneyUnit? = nil) {
        self.count = count
        self.asOf = asOf
        self.fingerprint = fingerprint
        self.schema = schema
        self.columns = columns
        self.subscriptions = subscriptions
        self.moneyUnit = moneyUnit
        var index: [String: Int] = [:]
        for (i, f) in schema.fields.enumerated() { index[f.name] = i }
        self.index = index
    }

    /// The same data with its amounts declared as `unit` (nothing else changes, the
    /// fingerprint included: a label is not data).
    public func withMoneyUnit(_ unit: MoneyUnit?) -> Dataset {
        Dataset(count: count, asOf: asOf, fingerprint: fingerprint, schema: schema, columns: columns, subscriptions: subscriptions, moneyUnit: unit)
    }

    /// The column of field `name`, nil when the dataset has no such field.
    public func column(_ name: String) -> Column? {
        guard let i = index[name], i < columns.count else { return nil }
        return columns[i]
    }

    /// Product names of the catalogue seen in the data (bit order of `products`).
    public var products: [String] { subscriptions.products }
}

/// Subscription rows in compressed-row form: rows of customer `c` are
/// `offsets[c] ..< offsets[c + 1]`.
public struct SubscriptionTable: Sendable {
    /// Product names, sorted in byte order; `product[i]` indexes this list.
    public let products: [String]
    /// `count + 1` offsets into the row arrays.
    public let offsets: ColumnBuffer<Int32>
    public let product: ColumnBuffer<UInt8>
    /// Monthly price in cents.
    public let price: ColumnBuffer<Int64>
    public let startDate: ColumnBuffer<Int32>
    /// 1 active, 0 cancelled.
    public let active: ColumnBuffer<UInt8>

    public init(products: [String], offsets: [Int32], product: [UInt8], price: [Int64], startDate: [Int32], active: [UInt8]) {
        self.products = products
        self.offsets = ColumnBuffer(offsets)
        self.product = ColumnBuffer(product)
        self.price = ColumnBuffer(price)
        self.startDate = ColumnBuffer(startDate)
        self.active = ColumnBuffer(active)
    }

    /// A table over existing buffers (e.g. borrowed from a snapshot file): `offsets` has
    /// one entry per customer plus one, the row buffers have equal counts.
    public init(products: [String], offsets: ColumnBuffer<Int32>, product: ColumnBuffer<UInt8>, price: ColumnBuffer<Int64>, startDate: ColumnBuffer<Int32>, active: ColumnBuffer<UInt8>) {
        self.products = products
        self.offsets = offsets
        self.product = product
        self.price = price
        self.startDate = startDate
        self.active = active
    }

    /// Number of subscription rows.
    public var count: Int { price.count }
}
