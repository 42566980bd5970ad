import ProsperModel
import ProsperRules

/// The contract columns of one table, in contract order, and which are required.
struct TableLayout: Sendable {
    let name: String
    let columns: [String]
    let required: [Bool]

    /// `customers.csv` of the data contract; slot i is `Schema.contractFields[i]`.
    static let customers = TableLayout(
        name: "customers",
        columns: Schema.contractFields.map(\.name),
        required: Schema.contractFields.map { $0.name != "nps" && $0.name != "churned" }
    )

    /// `subscriptions.csv` of the data contract.
    static let subscriptions = TableLayout(
        name: "subscriptions",
        columns: ["customer_id", "product", "monthly_price", "start_date", "status"],
        required: [true, true, true, true, true]
    )

    /// The slot of column `name`, if it belongs to the contract.
    func slot(of name: String) -> Int? { columns.firstIndex(of: name) }
}

/// Slots of `TableLayout.customers`.
enum CustomerSlot {
    static let customerID = 0, companyName = 1, industry = 2, region = 3, employees = 4, users = 5,
        signupDate = 6, lastActiveDate = 7, supportTickets = 8, failedPayments = 9, nps = 10,
        cancelIntent = 11, churned = 12, count = 13
}

/// Slots of `TableLayout.subscriptions`.
enum SubscriptionSlot {
    static let customerID = 0, product = 1, monthlyPrice = 2, startDate = 3, status = 4, count = 5
}

/// How a file's header maps onto a layout: `fieldOfSlot[slot]` is the field index
/// (-1 when absent); extra columns become custom attributes.
struct HeaderMapping: Sendable {
    let fieldOfSlot: [Int]
    /// (field index, name) of columns beyond the contract.
    let custom: [(field: Int, name: String)]
    let fieldCount: Int
}

extension HeaderMapping {
    /// Maps `names` onto `layout`, or explains which required columns are missing
    /// (with a did-you-mean) and which names appear twice.
    static func make(names: [String], layout: TableLayout, allowCustom: Bool) -> Result<HeaderMapping, HeaderProblem> {
        var fieldOfSlot = [Int](repeating: -1, count: layout.columns.count)
        var custom: [(Int, String)] = []
        var seen: [String: Int] = [:]
        var problems: [HeaderProblem.Item] = []
        for (i, raw) in names.enumerated() {
            let name = raw.trimmingASCIIWhitespace()
            if let first = seen[name] {
                problems.append(.init(field: i, message: "column '\(name)' appears twice (columns \(first + 1) and \(i + 1))"))
                continue
            }
            seen[name] = i
            if let slot = layout.slot(of: name) {
                fieldOfSlot[slot] = i
            } else if allowCustom, !name.isEmpty {
                custom.append((i, name))
            }
        }
        let unknown = custom.map(\.1)
        for (slot, column) in layout.columns.enumerated() where fieldOfSlot[slot] < 0 && layout.required[slot] {
            var message = "missing required column '\(column)'"
            if let guess = DidYouMean.suggest(column, among: unknown) { message += " (did you mean '\(guess)'?)" }
            // At most 30 names, so a wide header costs a short message per missing column.
            let shown = names.prefix(30).map { $0.trimmingASCIIWhitespace() }.joined(separator: ", ")
            message += "; the header has: " + shown + (names.count > 30 ? ", … (\(names.count) columns)" : "")
            problems.append(.init(field: 0, message: message))
        }
        if !problems.isEmpty { return .failure(HeaderProblem(items: problems)) }
        // A misspelled optional column would silently become a custom attribute: keep it,
        // the report lists custom attributes by name.
        return .success(HeaderMapping(fieldOfSlot: fieldOfSlot, custom: custom, fieldCount: names.count))
    }
}

/// Problems with a header row.
struct HeaderProblem: Error {
    struct Item { let field: Int; let message: String }
    let items: [Item]
}

extension String {
    func trimmingASCIIWhitespace() -> String {
        let u = Array(utf8)
        var s = 0, e = u.count
        while s < e, u[s] == 0x20 || u[s] == 0x09 { s += 1 }
        while e > s, u[e - 1] == 0x20 || u[e - 1] == 0x09 { e -= 1 }
        return String(decoding: u[s..<e], as: UTF8.self)
    }
}

/// Did-you-mean suggestions for data files: the rule language's `Suggestion`, so every
/// part of the tool suggests the same way.
package enum DidYouMean {
    /// The candidate closest to `word`, when close enough to be a likely typo.
    package static func suggest(_ word: String, among candidates: [String]) -> String? {
        Suggestion.closest(to: word, in: candidates)
    }
}
