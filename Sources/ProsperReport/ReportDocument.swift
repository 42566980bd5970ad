import ProsperModel

/// The neutral document every formatter renders: the analytics modules fill it, the
/// formatters (table, JSON, CSV, Markdown) only lay it out. No module prints.
public struct ReportDocument: Sendable {
    /// Which rules and data produced the report, in a fixed order.
    package var meta: [(key: String, value: Cell)]
    /// One section per module, in a fixed order.
    package var sections: [Section]

    package init(meta: [(key: String, value: Cell)], sections: [Section]) {
        self.meta = meta
        self.sections = sections
    }

    /// The document with `unit` declared in its meta (after `active_subscriptions`), unless
    /// it already declares one or `unit` is nil (an engine's report, labelled after the
    /// fact by the project file's `money:`).
    public func declaringMoney(_ unit: MoneyUnit?) -> ReportDocument {
        guard let unit, amountUnit == nil else { return self }
        var doc = self
        let at = (doc.meta.firstIndex { $0.key == "active_subscriptions" }).map { $0 + 1 } ?? doc.meta.count
        doc.meta.insert((unit.metaKey, .text(unit.label)), at: at)
        return doc
    }

    /// What amounts are in, for people: the `currency` or `amount_unit` of `meta` (from
    /// the data's `money:` declaration); nil when undeclared, and then no amount is
    /// labelled.
    public var amountUnit: String? {
        for (k, v) in meta where k == "currency" || k == "amount_unit" {
            if case .text(let t) = v { return t }
        }
        return nil
    }
}

/// One module's results: headline figures and tables.
package struct Section: Sendable {
    /// Stable JSON key: `loyalty`, `revenue`, `bundles`, `churn`, `upsell`, `profitability`.
    package let id: String
    package let title: String
    package var figures: [(key: String, label: String, value: Cell)]
    package var tables: [Table]
    /// Problems met while computing (runtime faults), shown under the section.
    package var notes: [String]

    package init(id: String, title: String, figures: [(key: String, label: String, value: Cell)] = [], tables: [Table] = [], notes: [String] = []) {
        self.id = id
        self.title = title
        self.figures = figures
        self.tables = tables
        self.notes = notes
    }
}

/// A table with typed columns.
package struct Table: Sendable {
    package struct Column: Sendable {
        /// Stable JSON/CSV key.
        package let key: String
        /// Header for people.
        package let title: String
        package init(_ key: String, _ title: String) {
            self.key = key
            self.title = title
        }
    }
    /// Stable JSON key within the section.
    package let id: String
    package let title: String
    package let columns: [Column]
    /// Rows made on demand: long lists (alerts, offers) keep their compact results and
    /// build each row's cells only when a formatter shows it, so the memory a report
    /// takes does not grow with `--limit`.
    private var lazy: LazyRows?
    private var stored: [[Cell]]
    /// Every row (built now for a lazy table; formatters use `rowCount` and
    /// `forEachRow`, which do not hold them all).
    package var rows: [[Cell]] {
        get { lazy.map { l in (0..<l.count).map(l.row) } ?? stored }
        set { stored = newValue; lazy = nil }
    }
    /// Rows left out by `--limit` (counts stay in the figures).
    package var omitted: Int = 0
    /// The table is cut by `--limit`: JSON always writes `<table>_omitted` for it, 0
    /// included, so the key does not come and go with the data.
    package var limited = false

    package init(id: String, title: String, columns: [Column], rows: [[Cell]]) {
        self.id = id
        self.title = title
        self.columns = columns
        self.stored = rows
    }

    /// A table whose `count` rows are made one at a time by `row`, when shown.
    package init(id: String, title: String, columns: [Column], count: Int, row: @escaping @Sendable (Int) -> [Cell]) {
        self.id = id
        self.title = title
        self.columns = columns
        self.stored = []
        self.lazy = LazyRows(count: max(count, 0), row: row)
    }

    /// How many rows the table shows.
    package var rowCount: Int { lazy?.count ?? stored.count }

    /// Row `i` (0 ≤ i < rowCount).
    package func row(_ i: Int) -> [Cell] { lazy.map { $0.row(i) } ?? stored[i] }

    /// Calls `body` with each row in order, building lazy rows one at a time.
    package func forEachRow(_ body: ([Cell]) throws -> Void) rethrows {
        if let lazy {
            for i in 0..<lazy.count { try body(lazy.row(i)) }
        } else {
            for r in stored { try body(r) }
        }
    }

    /// The column titles for people: with `unit` after the title of each column whose
    /// cells are amounts of money (`MRR (USD)`), judged by the `first` row; the plain
    /// titles without a unit or a row.
    package func titles(unit: String?, first: [Cell]?) -> [String] {
        columns.enumerated().map { i, c in
            guard let unit, let first, i < first.count, case .money = first[i] else { return c.title }
            return c.title + " (" + unit + ")"
        }
    }

    /// The cut notice for people and programs: `showing 20 of 1,234 rows (--limit 20)`;
    /// nil when nothing was left out.
    package var cutNotice: String? {
        guard omitted > 0 else { return nil }
        let shown = Int64(rowCount)
        let total = shown.addingReportingOverflow(Int64(omitted))
        return "showing \(Cell.grouped(shown)) of \(total.overflow ? "more" : Cell.grouped(total.partialValue)) rows (--limit \(shown))"
    }

    private struct LazyRows: Sendable {
        let count: Int
        let row: @Sendable (Int) -> [Cell]
    }
}

/// One value, typed so each formatter can render it exactly.
package indirect enum Cell: Sendable, Equatable {
    case text(String)
    case integer(Int64)
    /// Cents.
    case money(Int64)
    /// A share, shown as a percentage with two decimals.
    case share(part: Int64, whole: Int64)
    /// An exact decimal (value × 10^-scale).
    case decimal(Int64, scale: Int)
    case list([String])
    /// A list of small records (e.g. the rule files of the report).
    case records([[Field]])
    case null

    /// One named value of a record.
    package struct Field: Sendable, Equatable {
        package let key: String
        package let value: Cell
        package init(_ key: String, _ value: Cell) {
            self.key = key
            self.value = value
        }
    }

    /// Plain text as CSV and JSON strings need it (money `1234.50`, share `12.34`).
    package var plain: String {
        switch self {
        case .text(let s): return s
        case .integer(let v): return String(v)
        case .money(let c): return Money.plain(c)
        case .share(let p, let w): return Self.percent(p, w)
        case .decimal(let v, let s): return Self.decimal(v, s)
        case .list(let items): return items.joined(separator: "; ")
        case .records(let rs): return rs.map { r in r.map(\.value.plain).filter { !$0.isEmpty }.joined(separator: " ") }.joined(separator: "; ")
        case .null: return ""
        }
    }

    /// Text for people (money grouped `1,234.50`, shares `12.34%`).
    package var human: String {
        switch self {
        case .money(let c): return Money.grouped(c)
        case .share(let p, let w): return Self.percent(p, w) + "%"
        case .integer(let v): return Self.grouped(v)
        case .null: return "n/a"
        case .records(let rs):
            // "first value (the others, comma separated)" per record.
            return rs.map { r in
                let values = r.map(\.value.plain).filter { !$0.isEmpty }
                guard let head = values.first else { return "" }
                return values.count > 1 ? head + " (" + values.dropFirst().joined(separator: ", ") + ")" : head
            }.joined(separator: "; ")
        default: return plain
        }
    }

    /// `human`, with `unit` after an amount of money (`9,592.90 USD`); other cells and a
    /// nil unit as `human`.
    package func human(unit: String?) -> String {
        if case .money = self, let unit { return human + " " + unit }
        return human
    }

    package var isNumeric: Bool {
        switch self {
        case .integer, .money, .share, .decimal: true
        default: false
        }
    }

    static func percent(_ p: Int64, _ w: Int64) -> String {
        guard w != 0 else { return "0.00" }
        return Money.plain(Money.average(p &* 10_000, count: Int(w)))
    }

    static func decimal(_ v: Int64, _ s: Int) -> String {
        guard s > 0 else { return String(v) }
        var p: Int64 = 1
        for _ in 0..<s { p *= 10 }
        let m = v.magnitude
        var frac = String(m % UInt64(p))
        frac = String(repeating: "0", count: s - frac.count) + frac
        return (v < 0 ? "-" : "") + String(m / UInt64(p)) + "." + frac
    }

    static func grouped(_ v: Int64) -> String {
        let digits = String(v.magnitude)
        var out = ""
        for (i, ch) in digits.enumerated() {
            if i > 0, (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(ch)
        }
        return (v < 0 ? "-" : "") + out
    }
}
