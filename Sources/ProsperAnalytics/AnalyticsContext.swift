import ProsperModel
import ProsperRules

/// What every module reads: the dataset, its bound columns (with `segment`), the
/// customers the analytics `where` keeps, and each customer's MRR in cents.
public struct AnalyticsContext: Sendable {
    public let dataset: Dataset
    public let columns: BoundColumns
    /// 1 for customers the modules count.
    public let included: [UInt8]
    public let mrr: [Int64]
    public let customerIDs: [String]

    public init(dataset: Dataset, columns: BoundColumns, included: [UInt8]?) {
        self.dataset = dataset
        self.columns = columns
        self.included = included ?? [UInt8](repeating: 1, count: dataset.count)
        if case .number(let m)? = dataset.column("mrr") { mrr = m.values.array } else { mrr = [Int64](repeating: 0, count: dataset.count) }
        if case .string(let s)? = dataset.column("customer_id") {
            customerIDs = (0..<s.count).map { s.value($0) ?? "" }
        } else {
            customerIDs = (0..<dataset.count).map { "row \($0 + 1)" }
        }
    }

    /// Number of customers counted.
    public var includedCount: Int { included.reduce(0) { $0 + Int($1) } }

    func text(_ field: String, _ row: Int) -> String {
        if case .string(let s)? = columns.column(field) { return s.value(row) ?? "" }
        return ""
    }
}
