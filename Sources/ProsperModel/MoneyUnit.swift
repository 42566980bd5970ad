/// What the data's amounts (prices, MRR, revenue) are, as declared by a mapping file or
/// the project file (`money:`): a currency, shown with its code, or another unit (a
/// value score, points), shown with its name so a score never reads as money. Without
/// a declaration amounts carry no label at all.
public enum MoneyUnit: Sendable, Equatable, Hashable {
    /// A currency code such as `USD` or `EUR` (three capital letters, ISO 4217).
    case currency(String)
    /// Any other unit, in the words of the declaration (`value points`).
    case unit(String)

    /// The text shown after an amount (`USD`, `value points`).
    public var label: String {
        switch self {
        case .currency(let code): code
        case .unit(let name): name
        }
    }

    /// The report's meta key that carries the label: `currency` or `amount_unit`.
    public var metaKey: String {
        switch self {
        case .currency: "currency"
        case .unit: "amount_unit"
        }
    }

    /// Whether `code` is three capital ASCII letters, the shape of an ISO 4217 code.
    public static func isCurrencyCode(_ code: String) -> Bool {
        let u = Array(code.utf8)
        return u.count == 3 && u.allSatisfy { $0 >= 65 && $0 <= 90 }
    }
}
