import ProsperModel

/// The maxima ingestion enforces (docs/data.md, "Limits"). Each one keeps hostile input
/// from costing more than time linear in its size, memory bounded by the accepted data,
/// or arithmetic that could overflow later; a value past a limit rejects its row (or,
/// for a header, the file) with its position, like any other bad value.
package enum IngestLimits {
    /// Columns of a CSV row, and keys of one JSON object (customer or subscription).
    package static let maxColumns = 1_000
    /// Distinct custom attributes of one dataset (new keys past it reject their row).
    package static let maxCustomAttributes = 1_000
    /// Problems of one row listed with their position; more are counted in one line.
    package static let maxProblemsPerRow = 20
    /// Characters (Unicode scalars) of a contract text value: customer_id,
    /// company_name, industry, region, product.
    package static let maxTextLength = 256
    /// Characters of a custom attribute's text value.
    package static let maxCustomTextLength = 1_024
    /// The largest monthly price of one subscription, in cents (1,000,000.00): with at
    /// most 64 active products a customer, the modules' sums over 100 million customers
    /// stay far below `Int64.max` (64 × 10^8 × 10^8 cents = 6.4 × 10^17 < 9.2 × 10^18),
    /// so `DatasetBuilder`'s price guard can never trip on accepted rows.
    package static let maxMonthlyPriceCents: Int64 = 100_000_000
    /// Largest employees and users.
    package static let maxHeadcount: Int64 = 10_000_000
    /// Largest support_tickets_90d and failed_payments_90d.
    package static let maxEventCount: Int64 = 1_000_000
    /// The calendar range of every contract date (signup, last activity, subscription
    /// start) and of the as-of date.
    package static var earliestDate: Day { Day(number: earliestDayNumber) }
    package static var latestDate: Day { Day(number: latestDayNumber) }
    /// 1900-01-01 and 2199-12-31 as day numbers: literals, so that the per-value check
    /// reads a constant instead of a lazily initialised global (LimitTests checks them).
    package static let earliestDayNumber: Int32 = -25_567
    package static let latestDayNumber: Int32 = 84_005
    /// A last_active_date more than this many days after the as-of date's basis is an
    /// outlier: it never sets the default as-of date (see `AsOfChoice`).
    package static let activityOutlierDays: Int32 = 31

    /// The number of Unicode scalars in valid UTF-8 `bytes` (lead bytes counted).
    @inline(__always)
    static func characterCount(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var n = 0
        for b in bytes where b & 0xC0 != 0x80 { n += 1 }
        return n
    }
}
