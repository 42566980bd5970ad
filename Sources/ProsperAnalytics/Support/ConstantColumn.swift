import ProsperModel
import ProsperRules

/// Whether a column holds one value for every customer (the data findings' "field the
/// rules read is the same for every customer").
package enum ConstantColumn {
    /// The one value of `column` when every row has it (`.null` when every row is
    /// empty), nil when two rows differ. Stops at the first row that differs, so a field
    /// with varied values costs a few reads.
    package static func value(of column: Column) -> Value? {
        switch column {
        case .number(let c):
            let v = c.values
            guard v.count > 0 else { return nil }
            let first = v[0]
            for i in 1..<max(v.count, 1) where v[i] != first { return nil }
            return first == NumberColumn.null ? .null : .number(first, scale: c.scale)
        case .boolean(let c):
            let v = c.values
            guard v.count > 0 else { return nil }
            let first = v[0]
            for i in 1..<max(v.count, 1) where v[i] != first { return nil }
            return first == BooleanColumn.null ? .null : .boolean(first == BooleanColumn.trueValue)
        case .date(let c):
            let v = c.values
            guard v.count > 0 else { return nil }
            let first = v[0]
            for i in 1..<max(v.count, 1) where v[i] != first { return nil }
            return first == DateColumn.null ? .null : .date(Day(number: first))
        case .string(let c):
            guard c.count > 0 else { return nil }
            let first = c.value(0), firstCode = c.code(0)
            // Equal codes are equal texts; only a differing code needs the texts compared.
            for i in 1..<max(c.count, 1) where c.code(i) != firstCode && c.value(i) != first { return nil }
            return first.map(Value.string) ?? .null
        case .productSet:
            return nil
        }
    }
}
