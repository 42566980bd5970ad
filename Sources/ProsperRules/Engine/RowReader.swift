import ProsperModel

/// One customer's values for the scalar evaluator (reason texts, examples).
package struct RowReader: RowValues {
    package let columns: BoundColumns
    package let row: Int

    package init(columns: BoundColumns, row: Int) {
        self.columns = columns
        self.row = row
    }

    package var asOf: Day { columns.dataset.asOf }

    /// The value of `t` for this customer: its group's (computed once per columns).
    package func value(of t: DataThreshold) -> Value {
        if columns.extra[t.name] != nil { return value(of: t.name) }
        guard let v = try? columns.values(of: t), row >= 0, row < v.column.values.count else { return .null }
        let x = v.column.values[row]
        return x == NumberColumn.null ? .null : .number(x, scale: v.column.scale)
    }

    package func value(of field: String) -> Value {
        guard let c = columns.column(field) else {
            // A product fact: computed from this customer's subscription rows.
            return ProductFact(fieldName: field)?.value(columns.dataset.subscriptions, row: row) ?? .null
        }
        guard row >= 0, row < c.count else { return .null }
        switch c {
        case .number(let n):
            let v = n.values[row]
            return v == NumberColumn.null ? .null : .number(v, scale: n.scale)
        case .boolean(let b):
            let v = b.values[row]
            return v == BooleanColumn.null ? .null : .boolean(v == BooleanColumn.trueValue)
        case .date(let d):
            let v = d.values[row]
            return v == DateColumn.null ? .null : .date(Day(number: v))
        case .string(let s):
            return s.value(row).map(Value.string) ?? .null
        case .productSet(let p):
            return .list(p.names(row).map(Value.string))
        }
    }
}

extension ReasonTemplate {
    /// The text for one customer; a value that cannot be computed shows as `?`.
    package func render(_ row: RowReader) -> String { render(row as any RowValues) }

    /// The text for one customer given by any row of values (`explain`'s customers).
    package func render(_ row: any RowValues) -> String {
        var out = ""
        for p in parts {
            switch p {
            case .text(let t): out += t
            case .value(let e):
                if let v = try? ScalarEvaluator.evaluate(e.typed, row: row) {
                    switch v {
                    case .list(let items): out += items.map(\.description).joined(separator: ", ")
                    case .null: out += "n/a"
                    default: out += v.description
                    }
                } else {
                    out += "?"
                }
            }
        }
        return out
    }
}
