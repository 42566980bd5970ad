import ProsperModel
import ProsperRules

/// One condition of a rule file as the view computes it.
struct CompiledCondition {
    /// Rule and expression as fault reports name them (the in-process `FaultContext`).
    let rule: String
    let expression: String
    /// Columns of the view: whether it holds (true/false, never null), and the fault code.
    let holds: String
    let fault: String?
    /// The expression is an offer's computed `value:` (its faults take the offer away).
    var offerValue = false
    /// The expression is a derived field analytics group by (its faults mean "(none)").
    var groupValue = false
}

/// Builds the view of one rule file: its derived fields (each once per customer, in
/// dependency order), its conditions, and the reason texts' values, over an input
/// relation. Column names carry the view's `prefix`, so views stacked on each other
/// (a churn file over its segments) never clash.
struct ConditionView {
    let dialect: SQLDialect
    let asOf: Day?
    let prefix: String
    let fields: [DerivedField]
    let file: String

    private(set) var steps: [String] = []
    private(set) var conditions: [CompiledCondition] = []
    private(set) var extraColumns: [String] = []
    /// Names (without prefix) of the text-value columns that have a fault column.
    private(set) var faultingValues = Set<String>()
    private var compiler: ExpressionSQL
    private var pendingColumns: [String] = []

    init(dialect: SQLDialect, asOf: Day?, prefix: String, fields: [DerivedField], file: String, products: ProductEncoding = .array) {
        self.dialect = dialect
        self.asOf = asOf
        self.prefix = prefix
        self.fields = fields
        self.file = file
        let d = dialect
        compiler = ExpressionSQL(dialect: dialect, asOf: asOf) { d.identifier($0) }
        compiler.products = products
        self.products = products
    }

    let products: ProductEncoding

    func column(_ name: String) -> String { dialect.identifier(prefix + name) }

    /// Makes every derived field that `trees` use available as a column (a CTE step each).
    mutating func prepare(_ trees: [TypedExpr]) throws(Diagnostic) {
        var order: [(String, TypedExpr)] = []
        var seen = Set<ObjectIdentifier>()
        var thresholds: [DataThreshold] = []
        func visit(_ e: TypedExpr) {
            if case .dataThreshold(let t) = e.node {
                if !thresholds.contains(where: { $0 === t }) { thresholds.append(t) }
                return
            }
            if case .derived(let name, let inner) = e.node {
                let key = ObjectIdentifier(inner)
                if seen.contains(key) { return }
                visit(inner)
                seen.insert(key)
                order.append((name, inner))
                return
            }
            for child in Self.children(e) { visit(child) }
        }
        for t in trees { visit(t) }
        try prepare(thresholds)
        for (name, inner) in order where compiler.derivedColumns[ObjectIdentifier(inner)] == nil {
            let source = fields.first { $0.name == name }?.expression.source
            let v: SQLValue
            do throws(SQLRefusal) {
                v = try compiler.compile(inner)
            } catch {
                guard let source else {
                    throw Diagnostic(file: file, range: nil, .sqlUnsupported(dialect.displayName, "field '\(name)': \(error.message)"))
                }
                throw Diagnostic.refusal(error, in: source, dialect: dialect)
            }
            let valueColumn = "field:\(name)", faultColumn = "field:\(name):fault"
            var columns = ["\(v.sql) AS \(column(valueColumn))"]
            if let f = v.fault { columns.append("\(f) AS \(column(faultColumn))") }
            steps.append(columns.joined(separator: ",\n         "))
            compiler.derivedColumns[ObjectIdentifier(inner)] = SQLValue(sql: column(valueColumn), fault: v.fault == nil ? nil : column(faultColumn))
        }
    }

    /// Makes each threshold computed from the data a column (`DataThresholdSQL`): three
    /// steps each, over every customer of the view's input.
    mutating func prepare(_ thresholds: [DataThreshold]) throws(Diagnostic) {
        for t in thresholds where compiler.dataThresholdColumns[ObjectIdentifier(t)] == nil {
            let of: SQLValue, by: SQLValue?
            do throws(SQLRefusal) { of = try compiler.compile(t.of.typed) } catch { throw Diagnostic.refusal(error, in: t.of.source, dialect: dialect) }
            do throws(SQLRefusal) { by = try t.by.map { b throws(SQLRefusal) in try compiler.compile(b.typed) } } catch {
                throw Diagnostic.refusal(error, in: t.by?.source ?? t.of.source, dialect: dialect)
            }
            for (value, source) in [(Optional(of), t.of.source), (by, t.by?.source ?? t.of.source)] where value?.fault != nil {
                throw Diagnostic.refusal(SQLRefusal(Span(0, source.text.utf8.count), "'\(source.text)' can fail for some customers (a division, an overflow, …); a threshold computed from such an expression is not compiled to SQL yet"), in: source, dialect: dialect)
            }
            let (d, p) = (dialect, prefix)
            let sql = DataThresholdSQL(dialect: dialect, threshold: t, column: { d.identifier(p + "threshold:\(t.name)" + $0) })
            steps += sql.steps(of: of.sql, by: by?.sql)
            compiler.dataThresholdColumns[ObjectIdentifier(t)] = column("threshold:\(t.name)")
        }
    }

    /// Adds a condition's columns; returns its index.
    @discardableResult
    mutating func condition(_ c: CheckedCondition, rule: String, label: String) throws(Diagnostic) -> Int {
        try prepare([c.typed])
        let v: SQLValue
        do throws(SQLRefusal) { v = try compiler.holds(c.typed) } catch { throw Diagnostic.refusal(error, in: c.source, dialect: dialect) }
        let k = conditions.count
        let where_ = c.source.range(Span(0, c.source.text.utf8.count)).start
        pendingColumns.append("-- \(SQLComment.clean(label)) (\(c.source.file):\(where_)): \(SQLComment.clean(c.source.text))\n         \(v.sql) AS \(column("holds:\(k)"))")
        if let f = v.fault { pendingColumns.append("\(f) AS \(column("fault:\(k)"))") }
        conditions.append(CompiledCondition(rule: rule, expression: c.source.text, holds: column("holds:\(k)"), fault: v.fault == nil ? nil : column("fault:\(k)")))
        return k
    }

    /// Adds a column with a value shown in a reason text: as text (see `TextValue`), and its fault.
    mutating func textValue(_ e: CheckedExpression, name: String) throws(Diagnostic) -> (value: String, fault: String?) {
        try prepare([e.typed])
        let v: SQLValue
        do throws(SQLRefusal) { v = try compiler.compile(e.typed) } catch { throw Diagnostic.refusal(error, in: e.source, dialect: dialect) }
        pendingColumns.append("\(TextValue.sql(v.sql, type: e.typed.type, dialect, products: products)) AS \(column(name))")
        if let f = v.fault {
            pendingColumns.append("\(f) AS \(column(name + ":fault"))")
            faultingValues.insert(name)
        }
        return (column(name), v.fault == nil ? nil : column(name + ":fault"))
    }

    /// Adds an offer's computed value in cents (the number, at most 2 decimals, rescaled
    /// to 2 as the kernels do: an overflow is a fault) and its fault; both exact numbers.
    mutating func centsValue(_ e: CheckedExpression, name: String) throws(Diagnostic) -> (value: String, fault: String?) {
        try prepare([e.typed])
        let v: SQLValue
        do throws(SQLRefusal) { v = try compiler.compile(e.typed) } catch { throw Diagnostic.refusal(error, in: e.source, dialect: dialect) }
        var value = v.sql, fault = v.fault
        if case .number(let scale) = e.typed.type {
            if scale < 2 {
                value = "(\(v.sql) * \(dialect.power(2 - scale)))"
                fault = ExpressionSQL.first([v.fault, compiler.overflowCheck(value)])
            }
        } else {
            value = dialect.null(.number(scale: 2))
        }
        pendingColumns.append("\(value) AS \(column(name))")
        if let fault { pendingColumns.append("\(fault) AS \(column(name + ":fault"))") }
        return (column(name), fault == nil ? nil : column(name + ":fault"))
    }

    /// Adds a fault column over the conditions (an offer value's fault, masked to the
    /// customers it is computed for) as a fault source in evaluation order.
    mutating func valueFault(_ sql: String, as name: String, rule: String, expression: String) {
        result(sql, as: name)
        conditions.append(CompiledCondition(rule: rule, expression: expression, holds: "FALSE", fault: column(name), offerValue: true))
    }

    /// Adds a derived text field's value as the grouping column `group:<name>`, with its
    /// fault column `group:<name>:fault` when it can fault. It is registered like a
    /// condition (holding always), so its faults are reported under `rule` as in-process
    /// (`DerivedTextColumn`).
    mutating func groupValue(_ field: DerivedField, rule: String) throws(Diagnostic) {
        let e = field.expression
        try prepare([e.typed])
        let v: SQLValue
        do throws(SQLRefusal) { v = try compiler.compile(e.typed) } catch { throw Diagnostic.refusal(error, in: e.source, dialect: dialect) }
        let value = "group:\(field.name)", fault = "group:\(field.name):fault"
        pendingColumns.append("\(v.sql) AS \(column(value))")
        if let f = v.fault { pendingColumns.append("\(f) AS \(column(fault))") }
        conditions.append(CompiledCondition(rule: rule, expression: e.source.text, holds: "TRUE", fault: v.fault == nil ? nil : column(fault), groupValue: true))
    }

    /// Adds a computed column over the conditions (score, level, segment, …).
    mutating func result(_ sql: String, as name: String) {
        extraColumns.append("\(sql) AS \(column(name))")
    }

    /// The view's query over `input`: derived-field steps, the conditions, then the results.
    func select(from input: String) -> String {
        var ctes: [String] = []
        var previous = input
        for (i, step) in steps.enumerated() {
            let name = dialect.identifier("\(prefix)step:\(i + 1)")
            ctes.append("\(name) AS (\n  SELECT *,\n         \(step)\n  FROM \(previous)\n)")
            previous = name
        }
        if !pendingColumns.isEmpty {
            let name = dialect.identifier("\(prefix)conditions")
            ctes.append("\(name) AS (\n  SELECT *,\n         \(pendingColumns.joined(separator: ",\n         "))\n  FROM \(previous)\n)")
            previous = name
        }
        let body = extraColumns.isEmpty ? "SELECT * FROM \(previous)" : "SELECT *,\n       \(extraColumns.joined(separator: ",\n       "))\nFROM \(previous)"
        return ctes.isEmpty ? body : "WITH " + ctes.joined(separator: ",\n") + "\n" + body
    }

    static func children(_ e: TypedExpr) -> [TypedExpr] {
        switch e.node {
        case .constant, .field, .asOf, .dataThreshold: return []
        case .derived(_, let inner): return [inner]
        case .negate(let a), .not(let a), .nullTest(let a, _): return [a]
        case .and(let a, let b), .or(let a, let b), .arithmetic(_, let a, let b), .comparison(_, let a, let b): return [a, b]
        case .membership(let a, let b, _): return [a, b]
        case .between(let a, let b, let c), .conditional(let a, let b, let c): return [a, b, c]
        case .call(_, let args): return args
        }
    }
}

/// Values as text for the trip back to the report: numbers as their scaled integer,
/// dates ISO, booleans `true`/`false`, lists joined by U+001F.
package enum TextValue {
    static func sql(_ v: String, type: ValueType, _ d: SQLDialect, products: ProductEncoding = .array) -> String {
        let text = d == .postgres ? "text" : "STRING"
        switch type {
        case .number, .date: return "CAST(\(v) AS \(text))"
        case .boolean: return "(CASE WHEN \(v) THEN 'true' WHEN NOT \(v) THEN 'false' END)"
        case .list:
            return products.text(d, v)
        case .string: return v
        default: return "CAST(NULL AS \(text))"
        }
    }

    /// The value back from its text (nil text: null).
    package static func value(_ text: String?, type: ValueType, products: ProductEncoding = .array) -> Value {
        guard let text else { return .null }
        switch type {
        case .number(let s): return SQLNumber.parse(text).map { .number($0, scale: s) } ?? .null
        case .date: return Day(iso: text).map(Value.date) ?? .null
        case .boolean: return .boolean(text == "true")
        case .list: return .list(products.names(text).map(Value.string))
        case .string: return .string(text)
        default: return .null
        }
    }
}

/// Exact integers as engines print them (`12345`, `12345.00`, `-7`).
package enum SQLNumber {
    package static func parse(_ text: String) -> Int64? {
        var t = Substring(text)
        if let dot = t.firstIndex(of: ".") {
            guard t[t.index(after: dot)...].allSatisfy({ $0 == "0" }) else { return nil }
            t = t[..<dot]
        }
        return Int64(t)
    }
}
