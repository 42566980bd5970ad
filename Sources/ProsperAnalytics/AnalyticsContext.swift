import ProsperModel
import ProsperRules

/// What every module reads: the dataset, its bound columns (with `segment`), the
/// customers the analytics `where` keeps, and each customer's MRR in cents.
/// Nothing is copied per customer: columns are read where they live.
public struct AnalyticsContext: Sendable {
    public let dataset: Dataset
    package let columns: BoundColumns
    /// 1 for customers the modules count.
    public let included: [UInt8]
    /// MRR in cents per customer.
    public let mrr: ColumnBuffer<Int64>
    /// Number of customers counted.
    public let includedCount: Int
    private let ids: StringColumn?
    private let companies: StringColumn?

    package init(dataset: Dataset, columns: BoundColumns, included: [UInt8]?) {
        self.dataset = dataset
        self.columns = columns
        self.included = included ?? [UInt8](repeating: 1, count: dataset.count)
        includedCount = included.map { $0.reduce(0) { $0 + Int($1) } } ?? dataset.count
        if case .number(let m)? = dataset.column("mrr") { mrr = m.values } else { mrr = ColumnBuffer([Int64](repeating: 0, count: dataset.count)) }
        if case .string(let s)? = dataset.column("customer_id") { ids = s } else { ids = nil }
        if case .string(let s)? = dataset.column("company_name") { companies = s } else { companies = nil }
    }

    /// The customer id of `row`.
    public func customerID(_ row: Int) -> String { ids?.value(row) ?? "row \(row + 1)" }

    /// Whether `a`'s customer id comes before `b`'s in byte order (the tie-break of every
    /// ranked list); an integer comparison when the ids are stored in order.
    public func customerIDPrecedes(_ a: Int, _ b: Int) -> Bool {
        guard let ids else { return a < b }
        return ids.precedes(a, b)
    }

    /// The company name of `row`.
    public func company(_ row: Int) -> String { companies?.value(row) ?? "" }

    func text(_ field: String, _ row: Int) -> String {
        if case .string(let s)? = columns.column(field) { return s.value(row) ?? "" }
        return ""
    }
}
