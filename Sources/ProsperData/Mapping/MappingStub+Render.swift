import ProsperModel
import ProsperRules

/// The text of the mapping stub: the header comment, the customer fields, the
/// attributes, and the proposals for the shapes recognised in the sample, each with a
/// comment saying why.
extension MappingStub {
    /// The placeholder of each contract field no column is named like.
    static let placeholders: [(field: String, value: String)] = [
        ("customer_id", "TODO"), ("company_name", "Unknown"), ("industry", "Unknown"), ("region", "Unknown"),
        ("employees", "1"), ("users", "1"), ("signup_date", "{ days_before_as_of: 0 }"), ("last_active_date", "{ days_before_as_of: 0 }"),
        ("support_tickets_90d", "0"), ("failed_payments_90d", "0"), ("nps", "null"), ("cancel_intent", "false"), ("churned", "null"),
    ]

    /// The mapping file's text for `sample` of `dataFile` (as written in its comment).
    /// Dates before the as-of date come from the project's `as_of:` (or `--as-of`).
    package static func render(_ sample: Sample, dataFile: String) -> String {
        let columns = sample.columns
        let seen = sample.rows < sample.totalRows ? "its first \(sample.rows) rows (of \(sample.totalRows))"
            : sample.rows == 0 ? "no data rows" : "its \(count(sample.rows, "data row"))"
        var out = """
        # Mapping stub written by `prosper-rules init --from-data \(VisibleText.of(dataFile))` from the file's
        # header and \(seen); see docs/data.md, "Mapping files".
        # Contract fields no column is named like have a placeholder (TODO): map a column
        # ({ column: NAME }) or keep a fixed value. Every other column is an attribute
        # with the type its values suggest; rules use it by the name on the left.
        # Lines marked "proposed" are guesses from the sampled values: check them.

        """
        if sample.rows == 0 {
            out += "# The file has a header and no data rows: every column is text (nothing to infer from),\n# and ingest reports that there are no customer rows.\n"
        }
        if sample.unreadable > 0 {
            out += "# \(count(sample.unreadable, "sampled row")) cannot be read (\(VisibleText.of(sample.firstUnreadable ?? "")))"
            out += ": ingest rejects \(sample.unreadable == 1 ? "it" : "them") with that reason.\n"
        }
        out += "mapping: 1\nsource: { format: csv }\n"
        if sample.exactCopies > 0 {
            out += """
            # proposed: \(count(sample.exactCopies, "sampled row")) \(sample.exactCopies == 1 ? "is a" : "are") byte-for-byte \
            cop\(sample.exactCopies == 1 ? "y" : "ies") of an earlier row;
            # drop_exact drops such copies and the ingest report counts them (or: reject, first, last).
            duplicates: drop_exact

            """
        }
        out += "\ncustomers:\n"
        var used = Set<String>()
        for (field, placeholder) in placeholders {
            if let c = columns.first(where: { !used.contains($0.name) && contractField(of: $0) == field }) {
                used.insert(c.name)
                out += contractRule(c, field: field)
            } else if field == "signup_date", let c = columns.first(where: { $0.type == .integer && tenureNames.contains(fieldName($0.name)) }) {
                out += "  # proposed: \(shown(c)) reads as a number of months subscribed (TODO check the unit).\n"
                out += "  signup_date: { months_before_as_of: \(quoted(c.name)) }\n"
            } else if field == "customer_id" {
                let (text, column) = idRule(sample)
                out += text
                if let column { used.insert(column) }
            } else {
                out += "  \(field): \(placeholder)   # TODO\n"
            }
        }
        let attributes = columns.filter { !used.contains($0.name) }
        if !attributes.isEmpty { out += "\nattributes:\n" }
        var names: Set<String> = Set(placeholders.map(\.field)).union(Schema.derivedFields.map(\.name)).union(["segment", "as_of"])
        var money: [Column] = []
        for c in attributes {
            var name = fieldName(c.name)
            while names.contains(name) || Keyword.reservedWords.contains(name) { name += "_" + "column" }
            names.insert(name)
            out += attributeRule(c, name: name)
            if case .longDecimals(_, true, _) = shape(of: c) { money.append(c) }
        }
        out += """

        # subscriptions: products and prices, when the file has them; see docs/data.md.
        # Without this section the customers have no products (mrr 0).

        """
        out += moneyProposal(money)
        return out
    }

    /// `customer_id`: a column named like an id, else one whose sampled values are
    /// unique, else the row number.
    static func idRule(_ sample: Sample) -> (text: String, column: String?) {
        let columns = sample.columns
        if let c = columns.first(where: namedLikeID) {
            return ("  customer_id: { column: \(quoted(c.name)) }   # guessed from the column name\(hidden(c))\n", c.name)
        }
        if let c = columns.first(where: { looksUnique($0, rows: sample.rows) }) {
            return ("""
              # proposed: no column is named like an id; \(shown(c)) has a different value in every sampled row.
              customer_id: { column: \(quoted(c.name)) }

            """, c.name)
        }
        let width = String(max(sample.totalRows, 1)).count
        let first = "C-" + String(repeating: "0", count: width - 1) + "1"
        return ("""
          # proposed: no column is named like an id and none has a different value in every sampled row,
          # so ids are row positions (\(first) is the first data row): the same file gives the same ids,
          # a re-ordered or filtered file gives new ones.
          customer_id: { row_number: true, prefix: "C-", width: \(width) }

        """, nil)
    }

    /// A column named like a contract field; booleans read from flags and codes.
    static func contractRule(_ c: Column, field: String) -> String {
        let isBoolean = field == "churned" || field == "cancel_intent"
        switch (isBoolean, shape(of: c)) {
        case (true, .flag):
            return "  \(field): { column: \(quoted(c.name)), convert: boolean }   # proposed: 0/1 in the sample, 1 = true\(hidden(c))\n"
        case (true, .twoCodes(let a, let b)):
            return """
              # proposed: codes \(a)/\(b) in the sample: \(a) = true, \(b) = false. TODO check what the codes mean.
              \(field): { column: \(quoted(c.name)), convert: boolean, true: ["\(a)"], false: ["\(b)"] }

            """
        case (true, _):
            return "  \(field): { column: \(quoted(c.name)), convert: boolean }\(fieldNote(c, field: field))\n"
        default:
            return "  \(field): \(rule(c, forContract: field))\(fieldNote(c, field: field))\n"
        }
    }

    static func fieldNote(_ c: Column, field: String) -> String {
        let note = fieldName(c.name) == field ? "" : "guessed from the column name"
        let h = hidden(c)
        return note.isEmpty && h.isEmpty ? "" : "   # " + (note.isEmpty ? String(h.dropFirst(2)) : note + h)
    }

    /// An attribute's line, with a proposal for its shape.
    static func attributeRule(_ c: Column, name: String) -> String {
        let column = "column: \(quoted(c.name))"
        switch shape(of: c) {
        case .flag:
            return "  \(name): { \(column), convert: boolean, type: boolean }   # proposed: 0/1 in the sample, read as a boolean (1 = true)\(hidden(c))\n"
        case .twoCodes(let a, let b) where stateWords.contains(where: { (" " + words(c.name) + " ").contains(" \($0) ") }):
            return """
              # proposed: codes \(a)/\(b) and the name says a state: \(a) = true, \(b) = false. TODO check what the codes mean.
              \(name): { \(column), convert: boolean, true: ["\(a)"], false: ["\(b)"], type: boolean }\(inline(hidden(c)))

            """
        case .twoCodes(let a, let b):
            return """
              # proposed: two codes \(a)/\(b) in the sample: a lookup. TODO name each code; a code not in the map rejects its row.
              \(name): { \(column), map: { \(a): "TODO label for \(a)", \(b): "TODO label for \(b)" }, type: text }\(inline(hidden(c)))

            """
        case .band(let codes):
            let map = codes.map { "\($0): \"\($0)\"" }.joined(separator: ", ")
            return """
              # proposed: a band (codes \(codes.first ?? "")–\(codes.last ?? "") in the sample), each code its own label for now.
              # TODO name them; a code not in the map rejects its row (or give map_default:).
              \(name): { \(column), map: { \(map) }, type: text }\(inline(hidden(c)))

            """
        case .longDecimals(let places, let isMoney, _):
            let why = isMoney ? "; see the price proposal at the end" : ""
            return "  \(name): { \(column) }   # number with \(places) decimals, e.g. \(example(c)): no type: keeps them exact (type: number allows 2)\(why)\(hidden(c))\n"
        case .booleanWords, .plain:
            let what = c.example == nil ? "\(c.type.rawValue) (every sampled value blank)" : "\(c.type.rawValue), e.g. \(example(c))"
            return "  \(name): \(rule(c, forContract: nil))   # \(what)\(hidden(c))\(tooLong(c))\n"
        }
    }

    /// The commented price proposal for money columns with more than 2 decimals.
    static func moneyProposal(_ money: [Column]) -> String {
        guard let first = money.first else { return "" }
        var out = "#\n"
        for c in money {
            guard case .longDecimals(let places, _, let yearly) = shape(of: c) else { continue }
            out += "# proposed: \(shown(c)) looks like money with \(places) decimals (e.g. \(example(c)))"
            out += yearly ? " and its name suggests a yearly amount (TODO check).\n" : ".\n"
        }
        out += """
        # Money is exact to the cent and never rounded silently: to make it each customer's
        # monthly price, round it in a mapping expression (docs/data.md), e.g.
        # subscriptions:
        #   price:
        #     plan: { product: TODO product name, total: { expression: "\(priceExpression(first))" } }

        """
        return out
    }

    /// `round(customer_value / 12, 2)` for a yearly amount, else `round(name, 2)`.
    static func priceExpression(_ c: Column) -> String {
        guard case .longDecimals(_, _, true) = shape(of: c) else { return "round(\(expressionName(c.name)), 2)" }
        return "round(\(expressionName(c.name)) / 12, 2)"
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
            let type: String?
            switch c.type {
            case .integer: type = "integer"
            case .number, .money: type = "number"
            case .decimal: type = nil
            case .date: type = "date"
            case .boolean: type = "boolean"
            case .text: type = "text"
            }
            if let type { parts.append("type: \(type)") }
        }
        return "{ " + parts.joined(separator: ", ") + " }"
    }

    /// `; the header is 'Call··Failure' (· marks a space)` when the name has spaces that
    /// are hard to see.
    static func hidden(_ c: Column) -> String {
        guard ColumnName.hasHiddenSpace(c.name) else { return "" }
        return "; the header is \(ColumnName.shown(c.name)) (· marks a space\(c.name.contains("\t") ? ", → a tab" : ""))"
    }

    /// A note when sampled values are longer than an attribute's text may be.
    static func tooLong(_ c: Column) -> String {
        guard c.longest > IngestLimits.maxCustomTextLength else { return "" }
        return "; a sampled value has \(c.longest) characters, more than the \(IngestLimits.maxCustomTextLength) an attribute keeps: ingest rejects such rows"
    }

    static func inline(_ note: String) -> String { note.isEmpty ? "" : "   # " + note.dropFirst(2) }

    static func shown(_ c: Column) -> String { ColumnName.shown(c.name) }

    static func example(_ c: Column) -> String { VisibleText.of(String((c.example ?? "").prefix(30))) }

    static func count(_ n: Int, _ what: String) -> String { "\(n) \(what)\(n == 1 ? "" : "s")" }
}
