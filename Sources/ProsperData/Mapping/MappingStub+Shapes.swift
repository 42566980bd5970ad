/// The shapes `init --from-data` recognises in a sampled column (flags, codes, bands,
/// money with more than 2 decimals) and in column names (ids, contract fields).
extension MappingStub {
    /// What a column is taken to be, beyond its type.
    package enum Shape: Sendable, Equatable {
        /// `0`/`1` in every sampled row (both seen): a flag, 1 = true.
        case flag
        /// Yes/no, true/false, y/n, t/f words.
        case booleanWords
        /// Exactly two one-digit integer codes other than 0/1 (`1`/`2`), in that order,
        /// in at least 4 sampled rows.
        case twoCodes(String, String)
        /// Three to `maxCodes` small integers between 1 and 10 (0 too when the name says
        /// band), each seen at least twice on average: a band such as an age group.
        case band([String])
        /// A number with 3 to 6 decimals; `money` when the name says it is an amount,
        /// `yearly` when it also says the amount is per year.
        case longDecimals(places: Int, money: Bool, yearly: Bool)
        /// Nothing more than its type.
        case plain
    }

    /// The shape of a sampled column.
    package static func shape(of c: Column) -> Shape {
        let name = " " + words(c.name) + " "
        switch c.type {
        case .boolean:
            return .booleanWords
        case .decimal:
            let money = moneyWords.contains { name.contains(" \($0) ") || name.contains(" \($0)s ") }
            let yearly = money && yearlyWords.contains { name.contains(" \($0) ") }
            return .longDecimals(places: c.decimals, money: money, yearly: yearly)
        case .integer:
            guard let codes = c.distinct else { return .plain }
            if codes == ["0", "1"] { return .flag }
            let numbers = codes.compactMap { Int($0) }
            guard numbers.count == codes.count, let low = numbers.first, let high = numbers.last else { return .plain }
            if codes.count == 2, low >= 0, high <= 9, c.filled >= 4 { return .twoCodes(codes[0], codes[1]) }
            let bandNamed = bandWords.contains { name.contains(" \($0) ") }
            if codes.count >= 3, low >= (bandNamed ? 0 : 1), high <= 10, c.filled >= 2 * codes.count { return .band(codes) }
            return .plain
        default:
            return .plain
        }
    }

    /// The column name as lower-case words separated by one space (`Age  Group` →
    /// `age group`, `MonthlyCharges` → `monthly charges`).
    static func words(_ column: String) -> String {
        fieldName(column).split(separator: "_").joined(separator: " ")
    }

    static let moneyWords = ["money", "charge", "value", "amount", "price", "mrr", "revenue", "fee", "cost", "spend", "bill", "payment", "arpu"]
    static let yearlyWords = ["annual", "annually", "yearly", "year", "per year", "arr", "customer value"]
    static let bandWords = ["group", "band", "tier", "level", "class", "grade", "bracket", "category", "range"]
    /// Names that say a two-code column is an on/off state (`convert: boolean` proposed).
    static let stateWords = ["status", "active", "state", "enabled"]

    /// Whether the column's name says it identifies a customer (`customerID`,
    /// `Account Id`, `id`).
    static func namedLikeID(_ c: Column) -> Bool {
        let n = fieldName(c.name)
        return n == "id" || n.hasSuffix("_id") || ["customerid", "accountid", "clientid", "userid", "subscriberid", "memberid"].contains(n)
    }

    /// Whether the sampled values could be ids: text (or integers named like a number or
    /// code), present in every sampled row, no two alike, at least two rows.
    static func looksUnique(_ c: Column, rows: Int) -> Bool {
        guard rows >= 2, c.filled == rows, c.unique else { return false }
        if c.type == .text { return true }
        let name = " " + words(c.name) + " "
        return c.type == .integer && ["number", "no", "code", "key", "account", "msisdn", "phone", "subscriber"].contains { name.contains(" \($0) ") }
    }

    /// Other spellings of contract fields (`Churn` → `churned`).
    static let contractSynonyms: [String: String] = [
        "churn": "churned", "is_churned": "churned", "has_churned": "churned", "churn_flag": "churned",
        "intent_to_cancel": "cancel_intent", "cancellation_intent": "cancel_intent",
        "signup": "signup_date", "sign_up_date": "signup_date", "join_date": "signup_date", "joined": "signup_date",
    ]

    /// Names of a count of months a customer has been subscribed (`tenure`,
    /// `Subscription  Length`): a signup date `months_before_as_of` it.
    static let tenureNames: Set<String> = ["tenure", "tenure_months", "subscription_length", "months_subscribed", "months_as_customer"]

    /// The contract field a column's name says it holds, if any.
    static func contractField(of c: Column) -> String? {
        let n = fieldName(c.name)
        if placeholders.contains(where: { $0.field == n }) { return n }
        guard let field = contractSynonyms[n] else { return nil }
        return field != "signup_date" || c.type == .date ? field : nil
    }
}
