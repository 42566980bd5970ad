import ProsperModel

/// Rows of one table and what became of them.
public struct TableSummary: Sendable {
    /// `customers` or `subscriptions`.
    public let table: String
    /// The file name as reported.
    public let file: String
    public let rowsRead: Int
    public let rowsAccepted: Int
    public let rowsRejected: Int
    /// Problems per reason (a row can have several problems).
    public let problemsByReason: [RejectionReason: Int]
    /// The rejections, in file order (all of them up to a cap).
    public let rejections: [Rejection]
    /// Problems past the cap that were only counted.
    public let rejectionsNotListed: Int
}

/// Rows a mapping's `duplicates:` policy dropped before validation (not counted as read).
public struct DuplicateCount: Sendable, Equatable {
    /// `reject`, `first`, `last` or `drop_exact`.
    public let policy: String
    public let dropped: Int
}

/// The profile of one dataset column: nulls and value range.
public struct ColumnProfile: Sendable {
    public let name: String
    public let kind: FieldKind
    public let origin: FieldOrigin
    public let nulls: Int
    /// Smallest and largest value, printed (numbers with their scale, dates `YYYY-MM-DD`).
    public let minimum: String?
    public let maximum: String?
    /// Distinct values of text columns.
    public let distinct: Int?
    /// true / false counts of boolean columns.
    public let trueCount: Int?
    public let falseCount: Int?
}

/// The data-quality report of one ingestion.
public struct IngestReport: Sendable {
    /// Where the data came from (the path the user gave).
    public let source: String
    public let tables: [TableSummary]
    /// Problems with whole files (empty, not CSV, missing columns); any makes the data unusable.
    public let fileErrors: [DataFileError]
    /// The as-of date and whether it was given or taken from the data.
    public let asOf: Day?
    public let asOfSource: String
    public let fingerprint: String?
    public let customers: Int
    public let subscriptions: Int
    public let activeSubscriptions: Int
    public let products: [String]
    public let columns: [ColumnProfile]
    /// Names of custom attributes with their types.
    public let customAttributes: [FieldInfo]
    /// What was kept but deserves a look (dates after the as-of date, ignored columns).
    public var warnings: [IngestWarning] = []
    /// The duplicate policy a mapping file declared and the rows it dropped (nil when none was declared).
    public var duplicates: DuplicateCount?

    /// Total rejected rows over all tables.
    public var rowsRejected: Int { tables.reduce(0) { $0 + $1.rowsRejected } }

    /// Whether a dataset could be built with at least one customer.
    public var usable: Bool { fileErrors.isEmpty && customers > 0 && fingerprint != nil }
}

enum ColumnProfiler {
    static func profile(_ d: Dataset) -> [ColumnProfile] {
        var out: [ColumnProfile] = []
        for (info, column) in zip(d.schema.fields, d.columns) {
            switch column {
            case .number(let c):
                var nulls = 0, lo = Int64.max, hi = Int64.min
                for v in c.values.elements {
                    if v == NumberColumn.null { nulls += 1; continue }
                    if v < lo { lo = v }
                    if v > hi { hi = v }
                }
                let any = nulls < c.values.count
                out.append(ColumnProfile(name: info.name, kind: info.kind, origin: info.origin, nulls: nulls,
                                         minimum: any ? scaled(lo, c.scale) : nil, maximum: any ? scaled(hi, c.scale) : nil,
                                         distinct: nil, trueCount: nil, falseCount: nil))
            case .boolean(let c):
                var t = 0, f = 0, nulls = 0
                for v in c.values.elements {
                    switch v {
                    case BooleanColumn.trueValue: t += 1
                    case BooleanColumn.falseValue: f += 1
                    default: nulls += 1
                    }
                }
                out.append(ColumnProfile(name: info.name, kind: info.kind, origin: info.origin, nulls: nulls, minimum: nil, maximum: nil,
                                         distinct: nil, trueCount: t, falseCount: f))
            case .date(let c):
                var nulls = 0, lo = Int32.max, hi = Int32.min
                for v in c.values.elements {
                    if v == DateColumn.null { nulls += 1; continue }
                    if v < lo { lo = v }
                    if v > hi { hi = v }
                }
                let any = nulls < c.values.count
                out.append(ColumnProfile(name: info.name, kind: info.kind, origin: info.origin, nulls: nulls,
                                         minimum: any ? Day(number: lo).description : nil, maximum: any ? Day(number: hi).description : nil,
                                         distinct: nil, trueCount: nil, falseCount: nil))
            case .string(let c):
                var nulls = 0
                var distinct = c.dictionary.count
                if let codes = c.codes {
                    var seen = [Bool](repeating: false, count: c.dictionary.count)
                    distinct = 0
                    for v in codes.elements {
                        if v < 0 { nulls += 1; continue }
                        if !seen[Int(v)] { seen[Int(v)] = true; distinct += 1 }
                    }
                }
                out.append(ColumnProfile(name: info.name, kind: info.kind, origin: info.origin, nulls: nulls, minimum: nil, maximum: nil,
                                         distinct: distinct, trueCount: nil, falseCount: nil))
            case .productSet(let c):
                var lo = Int.max, hi = 0
                for v in c.bits.elements {
                    let n = v.nonzeroBitCount
                    lo = min(lo, n); hi = max(hi, n)
                }
                out.append(ColumnProfile(name: info.name, kind: info.kind, origin: info.origin, nulls: 0,
                                         minimum: c.bits.count > 0 ? "\(lo) products" : nil, maximum: c.bits.count > 0 ? "\(hi) products" : nil,
                                         distinct: c.universe.count, trueCount: nil, falseCount: nil))
            }
        }
        return out
    }

    static func scaled(_ v: Int64, _ scale: Int) -> String {
        guard scale > 0 else { return String(v) }
        var p: Int64 = 1
        for _ in 0..<scale { p = p &* 10 }
        let m = v.magnitude
        let whole = m / UInt64(p), frac = String(m % UInt64(p))
        return (v < 0 ? "-" : "") + String(whole) + "." + String(repeating: "0", count: scale - frac.count) + frac
    }
}
