import ProsperModel

/// How a customer's active products travel in the SQL: a sorted text array (any product,
/// what a script over unknown data needs), or a 64-bit mask over a product list known
/// when the SQL is compiled (an engine run: the products are read first), which makes
/// the aggregation, `in products` and the bundle grouping integer work.
package enum ProductEncoding: Sendable, Equatable {
    case array
    /// Bit i stands for `universe[i]` (byte order, at most 63 products).
    case bits([String])

    /// Bits for the data's products when there are few enough, else arrays.
    package static func forProducts(_ universe: [String]) -> ProductEncoding {
        universe.count <= 63 ? .bits(universe.sorted(by: ExactText.less)) : .array
    }

    /// The aggregate that builds the column from active `product` rows.
    func aggregate(_ d: SQLDialect, product: String) -> String {
        switch self {
        case .array:
            return d == .postgres ? "array_agg(\(product) ORDER BY \(product) COLLATE \"C\")" : "array_sort(collect_list(\(product)))"
        case .bits(let u):
            return "bit_or(\(bit(d, index: index(d, of: product, universe: u))))"
        }
    }

    /// The value of a customer without active products.
    func empty(_ d: SQLDialect) -> String {
        switch self {
        case .array: return d == .postgres ? "CAST(ARRAY[] AS text[])" : "CAST(array() AS ARRAY<STRING>)"
        case .bits: return "CAST(0 AS BIGINT)"
        }
    }

    /// True when the customer's products (`list`) include `item` (never null for a
    /// non-null item).
    func has(_ d: SQLDialect, list: String, item: String, constant: String?) -> String {
        switch self {
        case .array: return d.listHas(list, item)
        case .bits(let u):
            if let constant {
                guard let i = u.firstIndex(where: { ExactText.equal($0, constant) }) else { return "FALSE" }
                return "((\(list)) & \(bit(d, index: String(i)))) <> 0"
            }
            return "COALESCE(((\(list)) & \(bit(d, index: index(d, of: item, universe: u)))) <> 0, FALSE)"
        }
    }

    /// The list as text: names joined by U+001F, or the mask's decimal digits.
    func text(_ d: SQLDialect, _ list: String) -> String {
        switch self {
        case .array: return d == .postgres ? "array_to_string(\(list), chr(31))" : "array_join(\(list), char(31))"
        case .bits: return "CAST(\(list) AS \(d == .postgres ? "text" : "STRING"))"
        }
    }

    /// The product names of a value `text` gave back.
    package func names(_ text: String) -> [String] {
        switch self {
        case .array:
            return text.isEmpty ? [] : text.split(separator: "\u{1F}", omittingEmptySubsequences: false).map(String.init)
        case .bits(let u):
            guard let v = Int64(text) else { return [] }
            let mask = UInt64(bitPattern: v)
            return u.indices.filter { $0 < 64 && mask & (UInt64(1) << UInt64($0)) != 0 }.map { u[$0] }
        }
    }

    /// `1 << index` as a 64-bit integer.
    private func bit(_ d: SQLDialect, index: String) -> String {
        d == .postgres ? "(CAST(1 AS BIGINT) << (\(index)))" : "shiftleft(CAST(1 AS BIGINT), \(index))"
    }

    /// The bit index of a product name expression (null for a product outside the list).
    private func index(_ d: SQLDialect, of product: String, universe: [String]) -> String {
        let cases = universe.enumerated().map { "WHEN \(d.stringLiteral($0.element)) THEN \($0.offset)" }.joined(separator: " ")
        let subject = d == .postgres ? "(\(product)) COLLATE \"C\"" : product
        return cases.isEmpty ? "CAST(NULL AS INTEGER)" : "CASE \(subject) \(cases) END"
    }
}
