import ProsperModel

/// A fact about a customer's subscriptions to named products: what `price_of("X")`,
/// `start_of("X")`, `status_of("X")`, `count_of([…])` and `cancelled` read.
///
/// The checker turns each use into a per-customer field whose name is the fact written
/// out in full (`price_of("Payroll")`, see `fieldName`), so everything that reads
/// fields — kernels, scalar evaluator, SQL, `explain`, `test` — reads facts the same
/// way. The product is always a constant: a fact is one column over the customers,
/// computed once per run from the subscription rows (`ProductFactColumns`).
///
/// Only two statuses exist in the data (`active`, `cancelled`; data-contract.md):
/// - `price_of(p)`: the sum of the monthly prices of the customer's active rows of `p`
///   (money, 2 decimals); null when there is no active row of `p`.
/// - `start_of(p)`: the earliest start date of those active rows; null when none.
/// - `status_of(p)`: `"active"` when there is an active row of `p`, `"cancelled"` when
///   every row of `p` is cancelled, null when `p` never appears for the customer.
/// - `cancelled`: the products the customer has rows of but none active (sorted like
///   `products`); never null, empty when none.
/// - `count_of(list)`: how many distinct products of `list` the customer has active;
///   never null.
package enum ProductFact: Hashable, Sendable {
    case price(String)
    case start(String)
    case status(String)
    case cancelled
    case countOf([String])

    /// The functions that read a fact, by name.
    package enum Function: String, CaseIterable, Sendable {
        case price_of, start_of, status_of, count_of
    }

    /// The name of the list of cancelled products.
    package static let cancelledName = "cancelled"

    /// The status texts `status_of` gives.
    package static let statuses = ["active", "cancelled"]

    /// `count_of` over `names`: duplicates removed, in byte order (the same column for
    /// the same set however it is written).
    package static func count(of names: [String]) -> ProductFact {
        var unique: [String] = []
        for n in names.sorted(by: ExactText.less) where unique.last.map({ !ExactText.equal($0, n) }) ?? true { unique.append(n) }
        return .countOf(unique)
    }

    /// The field name the checker gives the fact: the call as an expression would write it.
    package var fieldName: String {
        switch self {
        case .price(let p): "price_of(\(Value.string(p).literal))"
        case .start(let p): "start_of(\(Value.string(p).literal))"
        case .status(let p): "status_of(\(Value.string(p).literal))"
        case .cancelled: Self.cancelledName
        case .countOf(let ps): "count_of([\(ps.map { Value.string($0).literal }.joined(separator: ", "))])"
        }
    }

    /// The fact a field name written by `fieldName` stands for; nil for any other name.
    package init?(fieldName: String) {
        if fieldName == Self.cancelledName {
            self = .cancelled
            return
        }
        guard fieldName.hasSuffix(")"), let open = fieldName.firstIndex(of: "("),
              let function = Function(rawValue: String(fieldName[..<open])) else { return nil }
        let (parsed, problems) = ExpressionParser.parse(fieldName)
        guard problems.isEmpty, case .call(_, _, let args)? = parsed?.kind, args.count == 1 else { return nil }
        switch (function, args[0].kind) {
        case (.price_of, .string(let p)): self = .price(p)
        case (.start_of, .string(let p)): self = .start(p)
        case (.status_of, .string(let p)): self = .status(p)
        case (.count_of, .list(let items)):
            var names: [String] = []
            for i in items {
                guard case .string(let p) = i.kind else { return nil }
                names.append(p)
            }
            self = .countOf(names)
        default: return nil
        }
        guard fieldName == self.fieldName else { return nil }
    }

    /// The type rules see.
    package var type: ValueType {
        switch self {
        case .price: .number(scale: 2)
        case .start: .date
        case .status: .string
        case .cancelled: .list(.string)
        case .countOf: .number(scale: 0)
        }
    }

    /// True when the fact can be null (the customer has no such product).
    package var nullable: Bool {
        switch self {
        case .price, .start, .status: true
        case .cancelled, .countOf: false
        }
    }

    /// True for `count_of(…)`.
    package var isCount: Bool { if case .countOf = self { true } else { false } }

    /// The products the fact names.
    package var products: [String] {
        switch self {
        case .price(let p), .start(let p), .status(let p): [p]
        case .cancelled: []
        case .countOf(let ps): ps
        }
    }

    /// A short column name for SQL (identifiers are limited to 63 bytes in PostgreSQL):
    /// the function and a 64-bit FNV-1a hash of the full field name.
    package var columnName: String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in fieldName.utf8 {
            h ^= UInt64(b)
            h = h &* 0x0000_0100_0000_01b3
        }
        let hex = String(h, radix: 16)
        let tag: String
        switch self {
        case .price: tag = "price_of"
        case .start: tag = "start_of"
        case .status: tag = "status_of"
        case .cancelled: return Self.cancelledName
        case .countOf: tag = "count_of"
        }
        return "prosper:\(tag):" + String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// The fact's value for one customer, computed from `table`'s rows of `row` (the
    /// reference the scalar evaluator uses; the kernels read `ProductFactColumns`).
    package func value(_ table: SubscriptionTable, row: Int) -> Value {
        guard row >= 0, row + 1 < table.offsets.count else { return nullValue }
        let lo = Int(table.offsets[row]), hi = Int(table.offsets[row + 1])
        guard lo >= 0, lo <= hi, hi <= table.count else { return nullValue }
        func name(_ k: Int) -> String? {
            let code = Int(table.product[k])
            return code < table.products.count ? table.products[code] : nil
        }
        switch self {
        case .price(let p):
            var total: Int64 = 0, any = false
            for k in lo..<hi where table.active[k] == 1 && name(k).map({ ExactText.equal($0, p) }) == true {
                any = true
                total = ProductFactColumns.add(total, table.price[k])
            }
            return any ? .number(total, scale: 2) : .null
        case .start(let p):
            var first: Int32?
            for k in lo..<hi where table.active[k] == 1 && name(k).map({ ExactText.equal($0, p) }) == true {
                first = min(first ?? table.startDate[k], table.startDate[k])
            }
            return first.map { .date(Day(number: $0)) } ?? .null
        case .status(let p):
            var seen = false
            for k in lo..<hi where name(k).map({ ExactText.equal($0, p) }) == true {
                if table.active[k] == 1 { return .string("active") }
                seen = true
            }
            return seen ? .string("cancelled") : .null
        case .cancelled:
            var active: [String] = [], any: [String] = []
            for k in lo..<hi {
                guard let n = name(k) else { continue }
                any.append(n)
                if table.active[k] == 1 { active.append(n) }
            }
            var out: [String] = []
            for n in any.sorted(by: ExactText.less) where !active.contains(where: { ExactText.equal($0, n) }) {
                if out.last.map({ ExactText.equal($0, n) }) != true { out.append(n) }
            }
            return .list(out.map(Value.string))
        case .countOf(let ps):
            var n: Int64 = 0
            for p in ps where (lo..<hi).contains(where: { table.active[$0] == 1 && name($0).map { ExactText.equal($0, p) } == true }) {
                n += 1
            }
            return .number(n, scale: 0)
        }
    }

    private var nullValue: Value {
        switch self {
        case .cancelled: .list([])
        case .countOf: .number(0, scale: 0)
        default: .null
        }
    }
}
