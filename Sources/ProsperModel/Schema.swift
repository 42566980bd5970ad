/// The fields rules can name: the contract's, the derived ones and any custom attributes.
public struct Schema: Sendable {
    /// Fields in a stable order (contract, derived, then custom attributes).
    public let fields: [FieldInfo]

    public init(fields: [FieldInfo]) { self.fields = fields }

    /// The field called `name`, if any.
    public func field(named name: String) -> FieldInfo? { fields.first { $0.name == name } }

    /// The contract and derived fields of `shared/data-contract.md` v1.
    public static let contract = Schema(fields: contractFields + derivedFields)

    /// This schema plus `custom` attributes (those whose names clash are ignored).
    public func adding(custom: [FieldInfo]) -> Schema {
        let taken = Set(fields.map(\.name))
        return Schema(fields: fields + custom.filter { !taken.contains($0.name) })
    }

    public static let contractFields: [FieldInfo] = [
        FieldInfo(name: "customer_id", kind: .string, nullable: false, origin: .contract, summary: "unique customer id"),
        FieldInfo(name: "company_name", kind: .string, nullable: false, origin: .contract, summary: "company name"),
        FieldInfo(name: "industry", kind: .string, nullable: false, origin: .contract, summary: "industry"),
        FieldInfo(name: "region", kind: .string, nullable: false, origin: .contract, summary: "sales region"),
        FieldInfo(name: "employees", kind: .number(scale: 0), nullable: false, origin: .contract, summary: "company head count"),
        FieldInfo(name: "users", kind: .number(scale: 0), nullable: false, origin: .contract, summary: "seats using the products"),
        FieldInfo(name: "signup_date", kind: .date, nullable: false, origin: .contract, summary: "signup date"),
        FieldInfo(name: "last_active_date", kind: .date, nullable: false, origin: .contract, summary: "last activity date"),
        FieldInfo(name: "support_tickets_90d", kind: .number(scale: 0), nullable: false, origin: .contract, summary: "support tickets in 90 days"),
        FieldInfo(name: "failed_payments_90d", kind: .number(scale: 0), nullable: false, origin: .contract, summary: "failed payments in 90 days"),
        FieldInfo(name: "nps", kind: .number(scale: 0), nullable: true, origin: .contract, summary: "net promoter score 0..10, null when unanswered"),
        FieldInfo(name: "cancel_intent", kind: .boolean, nullable: false, origin: .contract, summary: "asked to cancel in the last 30 days"),
        FieldInfo(name: "churned", kind: .boolean, nullable: true, origin: .contract, summary: "outcome label: cancelled within 90 days"),
    ]

    public static let derivedFields: [FieldInfo] = [
        FieldInfo(name: "mrr", kind: .number(scale: 2), nullable: false, origin: .derived, summary: "monthly recurring revenue of active subscriptions"),
        FieldInfo(name: "products", kind: .productSet, nullable: false, origin: .derived, summary: "active product names"),
        FieldInfo(name: "product_count", kind: .number(scale: 0), nullable: false, origin: .derived, summary: "number of active products"),
        FieldInfo(name: "days_inactive", kind: .number(scale: 0), nullable: false, origin: .derived, summary: "as-of date minus last_active_date"),
        FieldInfo(name: "tenure_days", kind: .number(scale: 0), nullable: false, origin: .derived, summary: "as-of date minus signup_date"),
    ]
}
