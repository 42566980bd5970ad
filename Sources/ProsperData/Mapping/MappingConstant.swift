import ProsperRules

/// A field whose value a mapping file fixes for every row (`industry: Consumer`,
/// `users: 1`, `{ value: … }`, or `{ days_before_as_of: 0 }`: a date a fixed number of
/// days or months before the as-of date), so the data cannot tell customers apart by it.
package struct MappingConstant: Sendable, Equatable {
    /// The contract field or custom attribute it fills.
    package let field: String
    /// The mapping file, as its path was given.
    package let file: String
    /// Where the fixed value is written (1-based).
    package let line: Int
    package let column: Int

    /// `FILE:LINE`, as `explain` shows it.
    package var location: String { "\(file):\(line)" }
}

extension MappingFile {
    /// The fields this mapping fills with a constant, in the order of the contract, then
    /// the attributes in file order.
    var constants: [MappingConstant] {
        func isConstant(_ rule: ValueRule) -> Bool {
            switch rule.source {
            case .fixed: return true
            case .beforeAsOf(_, let column, _): return column == nil
            case .column, .rowNumber: return false
            case .expression(let e): return e.columns.isEmpty && !e.expression.readsAsOf
            }
        }
        func constant(_ field: String, _ rule: ValueRule) -> MappingConstant {
            MappingConstant(field: field, file: path, line: rule.node.range.start.line, column: rule.node.range.start.column)
        }
        let columns = TableLayout.customers.columns
        var out: [MappingConstant] = []
        for slot in customers.keys.sorted() where slot < columns.count {
            if let rule = customers[slot], isConstant(rule) { out.append(constant(columns[slot], rule)) }
        }
        for a in attributes where isConstant(a.rule) { out.append(constant(a.name, a.rule)) }
        return out
    }
}
