import ProsperModel
import ProsperRules

/// A first mapping file for a CSV export (`prosper-rules init --from-data FILE`): every
/// column of the header with the type its values suggest, columns named like a contract
/// field mapped to it, placeholders for the other contract fields. The stub loads and
/// ingests as it is; the analyst then maps the placeholders to real columns.
public enum MappingStub {
    /// What a column's values look like.
    public enum ColumnType: String, Sendable, Equatable {
        /// `money`: amounts written with `$` or thousands separators (`$1,234.50`), read
        /// with `convert: money` as a number.
        case integer, number, money, date, boolean, text
    }

    /// A column of the source and the type inferred from its sampled values.
    public struct Column: Sendable, Equatable {
        public let name: String
        public let type: ColumnType
        /// The first non-blank value seen (shown as an example), nil when all were blank.
        public let example: String?
    }

    /// Rows looked at per column.
    public static let sampleRows = 1000

    /// Reads the header and up to `sampleRows` rows of the CSV file at `path`.
    public static func columns(path: String, sampleRows: Int = sampleRows) throws(DataFileError) -> [Column] {
        let stream = try CSVRecordStream(path: path, chunkSize: 1 << 16)
        guard let header = try stream.header(file: path) else {
            throw DataFileError(path: path, line: 1, column: 1, message: "the file is empty; expected a header row")
        }
        var values = [[String]](repeating: [], count: header.count)
        var rows = 0
        struct Enough: Error {}
        do {
            try stream.forEachRecord(file: path) { row in
                guard case .record(let cells, _, _, _) = row else { return }
                for (k, cell) in cells.enumerated() where k < values.count {
                    let t = cell.trimmingASCIIWhitespace()
                    if !t.isEmpty { values[k].append(t) }
                }
                rows += 1
                if rows >= sampleRows { throw Enough() }
            }
        } catch is Enough {
        } catch let e as DataFileError {
            throw e
        } catch {
            throw DataFileError(path: path, message: "\(error)")
        }
        return header.enumerated().map { k, name in Column(name: name, type: infer(values[k]), example: values[k].first) }
    }

    /// The type every value fits: integer, number (decimals), date (YYYY-MM-DD), boolean
    /// (yes/no, true/false, y/n, t/f), else text. No values: text.
    public static func infer(_ values: [String]) -> ColumnType {
        guard !values.isEmpty else { return .text }
        if values.allSatisfy(isInteger) { return .integer }
        if values.allSatisfy({ isInteger($0) || isDecimal($0) }) { return .number }
        if values.allSatisfy({ v in
            let bare = String(v.unicodeScalars.filter { $0 != "$" && $0 != "," && $0 != " " })
            return !bare.hasPrefix("-") && (isInteger(bare) || isDecimal(bare))
        }) { return .money }
        if values.allSatisfy({ Day(iso: $0) != nil }) { return .date }
        if values.allSatisfy({ booleanWords.contains($0.lowercased()) }) { return .boolean }
        return .text
    }

    static let booleanWords: Set<String> = ["yes", "no", "true", "false", "y", "n", "t", "f"]

    static func isInteger(_ s: String) -> Bool {
        let digits = s.hasPrefix("-") ? s.dropFirst() : Substring(s)
        return !digits.isEmpty && digits.count <= 18 && digits.utf8.allSatisfy { $0 >= 48 && $0 <= 57 }
    }

    static func isDecimal(_ s: String) -> Bool {
        let body = s.hasPrefix("-") ? s.dropFirst() : Substring(s)
        let parts = body.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty, parts[0].count <= 15, parts[1].count <= 2 else { return false }
        return parts.allSatisfy { $0.utf8.allSatisfy { $0 >= 48 && $0 <= 57 } }
    }

    /// A name rules can use for a column: lower case, `_` for anything else, never
    /// starting with a digit (`Monthly Charges` → `monthly_charges`).
    public static func fieldName(_ column: String) -> String {
        var out = ""
        var previousWasLower = false
        for u in column.unicodeScalars {
            let v = u.value
            if v >= 65 && v <= 90 {
                // camelCase → camel_case
                if previousWasLower { out += "_" }
                out.unicodeScalars.append(Unicode.Scalar(v + 32) ?? "_")
                previousWasLower = false
            } else if (v >= 97 && v <= 122) || (v >= 48 && v <= 57) {
                out.unicodeScalars.append(u)
                previousWasLower = true
            } else {
                if !out.hasSuffix("_") { out += "_" }
                previousWasLower = false
            }
        }
        while out.hasSuffix("_") { out.removeLast() }
        while out.hasPrefix("_") { out.removeFirst() }
        if out.isEmpty { return "column" }
        if let f = out.utf8.first, f >= 48 && f <= 57 { out = "c_" + out }
        return out
    }

    /// The placeholder of each contract field no column is named like.
    static let placeholders: [(field: String, value: String)] = [
        ("customer_id", "TODO"), ("company_name", "Unknown"), ("industry", "Unknown"), ("region", "Unknown"),
        ("employees", "1"), ("users", "1"), ("signup_date", "{ days_before_as_of: 0 }"), ("last_active_date", "{ days_before_as_of: 0 }"),
        ("support_tickets_90d", "0"), ("failed_payments_90d", "0"), ("nps", "null"), ("cancel_intent", "false"), ("churned", "null"),
    ]

    /// The mapping file's text for `columns` of `dataFile` (as written in its comment).
    /// Dates before the as-of date come from the project's `as_of:` (or `--as-of`).
    public static func render(_ columns: [Column], dataFile: String) -> String {
        var out = """
        # Mapping stub written by `prosper-rules init --from-data \(dataFile)` from the file's
        # header and its first \(sampleRows) rows (see docs/data.md, "Mapping files").
        # Contract fields no column is named like have a placeholder (TODO): map a column
        # ({ column: NAME }) or keep a fixed value. Every other column is an attribute
        # with the type its values suggest; rules use it by the name on the left.
        mapping: 1
        source: { format: csv }

        customers:

        """
        var used = Set<String>()
        let idColumn = columns.first { fieldName($0.name) == "customer_id" }
            ?? columns.first { let n = fieldName($0.name); return n == "id" || n.hasSuffix("_id") || n.hasSuffix("id") }
        for (field, placeholder) in placeholders {
            if let c = columns.first(where: { fieldName($0.name) == field }) {
                used.insert(c.name)
                out += "  \(field): \(rule(c, forContract: field))\n"
            } else if field == "customer_id", let c = idColumn {
                out += "  customer_id: { column: \(quoted(c.name)) }   # guessed from the column name\n"
            } else if field == "customer_id" {
                out += "  customer_id: { column: \(quoted(columns.first?.name ?? "id")) }   # TODO: the column that identifies a customer\n"
            } else {
                out += "  \(field): \(placeholder)   # TODO\n"
            }
        }
        let attributes = columns.filter { !used.contains($0.name) }
        if !attributes.isEmpty { out += "\nattributes:\n" }
        var names: Set<String> = Set(placeholders.map(\.field)).union(Schema.derivedFields.map(\.name)).union(["segment", "as_of"])
        for c in attributes {
            var name = fieldName(c.name)
            while names.contains(name) || Keyword.reservedWords.contains(name) { name += "_" + "column" }
            names.insert(name)
            let example = c.example.map { "   # \(c.type.rawValue), e.g. \(VisibleText.of(String($0.prefix(30))))" } ?? "   # \(c.type.rawValue) (every sampled value blank)"
            out += "  \(name): \(rule(c, forContract: nil))\(example)\n"
        }
        out += """

        # subscriptions: products and prices, when the file has them; see docs/data.md.
        # Without this section the customers have no products (mrr 0).

        """
        return out
    }

    /// The value rule of a column: converted for its type, typed for an attribute.
    static func rule(_ c: Column, forContract field: String?) -> String {
        var parts = ["column: \(quoted(c.name))"]
        switch c.type {
        case .integer: parts.append("convert: integer")
        case .boolean: parts.append("convert: boolean")
        case .money: parts.append("convert: money")
        default: break
        }
        if field == nil {
            let type: String
            switch c.type {
            case .integer: type = "integer"
            case .number, .money: type = "number"
            case .date: type = "date"
            case .boolean: type = "boolean"
            case .text: type = "text"
            }
            parts.append("type: \(type)")
        }
        return "{ " + parts.joined(separator: ", ") + " }"
    }

    /// A YAML scalar for a name or path: plain when safe, else double-quoted.
    public static func quoted(_ s: String) -> String {
        let plain = !s.isEmpty && s.unicodeScalars.allSatisfy { ($0.value >= 48 && $0.value <= 57) || ($0.value >= 65 && $0.value <= 90) || ($0.value >= 97 && $0.value <= 122) || $0 == "_" || $0 == " " || $0 == "-" || $0 == "." }
            && !s.hasPrefix(" ") && !s.hasSuffix(" ") && !s.hasPrefix("-") && !["null", "true", "false", "yes", "no", "~"].contains(s.lowercased())
        if plain { return s }
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            default:
                if u.value < 32 || u.value == 127 { out += "\\x" + String(u.value, radix: 16).leftPadded(2) } else { out.unicodeScalars.append(u) }
            }
        }
        return out + "\""
    }
}

extension String {
    fileprivate func leftPadded(_ n: Int) -> String { String(repeating: "0", count: max(0, n - count)) + self }
}
