import ProsperModel

/// Reads a threshold computed from the data: `{ quantile: 0.9, of: mrr }`,
/// `{ median: mrr, by: segment }`, `{ mean: users }`, `{ min: … }`, `{ max: … }`.
enum DataThresholdReader {
    static let statistics = ["quantile", "median", "mean", "min", "max"]

    /// The threshold, or nil after reporting every problem. `reader` checks `of` and `by`:
    /// they may use data fields, `segment`, constant thresholds and nothing else.
    static func read(name: String, key: YAMLNode, value: YAMLNode, fields: [String], reader: ExpressionReader, diagnostics: inout DiagnosticBag) -> DataThreshold? {
        let file = reader.file
        guard let map = MappingReader(value, context: "threshold '\(name)'", file: file, diagnostics: &diagnostics) else { return nil }
        let given = statistics.filter { map.value($0) != nil }
        guard given.count == 1, let keyword = given.first else {
            map.checkKeys(statistics + ["of", "by"], file: file, diagnostics: &diagnostics)
            diagnostics.error(file, given.count > 1 ? (map.keyNode(given[1])?.range ?? value.range) : value.range, .dataThresholdStatistic(name))
            return nil
        }
        map.checkKeys([keyword, "by"] + (keyword == "quantile" ? ["of"] : []), file: file, diagnostics: &diagnostics)
        let statistic: DataThreshold.Statistic
        var argument: YAMLNode?
        switch keyword {
        case "quantile":
            guard let q = map.value("quantile") else { return nil }
            let text = q.scalar?.value ?? q.shapeDescription
            guard let s = q.scalar, s.style == .plain, case .number(let m, let qs)? = ScalarValue.number(s.value), m > 0, m < Decimal64.power(qs) else {
                diagnostics.error(file, q.range, .dataThresholdQuantile(name, found: text))
                return nil
            }
            statistic = .quantile(numerator: m, scale: qs)
            argument = map.required("of", file: file, diagnostics: &diagnostics)
        case "median":
            statistic = .quantile(numerator: 5, scale: 1)
            argument = map.value(keyword)
        case "mean": statistic = .mean; argument = map.value(keyword)
        case "min": statistic = .min; argument = map.value(keyword)
        default: statistic = .max; argument = map.value(keyword)
        }
        guard let argument, let of = checked(argument, name: name, fields: fields, reader: reader, diagnostics: &diagnostics) else { return nil }
        var ok = true
        if case .number = of.typed.type {} else {
            diagnostics.error(file, argument.range, .dataThresholdType(name, key: keyword == "quantile" ? "of" : keyword, expected: "a number", found: of.typed.type.description))
            ok = false
        }
        var by: CheckedExpression?
        if let b = map.value("by") {
            by = checked(b, name: name, fields: fields, reader: reader, diagnostics: &diagnostics)
            if let t = by?.typed.type, t != .string {
                diagnostics.error(file, b.range, .dataThresholdType(name, key: "by", expected: "text", found: t.description))
                ok = false
            }
            if by == nil { ok = false }
        }
        guard ok else { return nil }
        return DataThreshold(name: name, statistic: statistic, keyword: keyword, of: of, by: by, range: key.range)
    }

    /// `node` checked, refusing other computed thresholds and `fields:` entries by name.
    private static func checked(_ node: YAMLNode, name: String, fields: [String], reader: ExpressionReader, diagnostics: inout DiagnosticBag) -> CheckedExpression? {
        // Names of `fields:` are not known yet (they come after thresholds): say why.
        if let s = node.scalar, fields.contains(s.value) {
            diagnostics.error(reader.file, node.range, .dataThresholdField(name, uses: s.value))
            return nil
        }
        guard let e = reader.expression(node, diagnostics: &diagnostics) else { return nil }
        var nested: [(String, Span)] = []
        func walk(_ t: TypedExpr) {
            if case .dataThreshold(let d) = t.node { nested.append((d.name, t.span)); return }
            for c in ExpressionChecker.operands(of: t.node) ?? [] { walk(c) }
        }
        walk(e.typed)
        for (other, span) in nested { diagnostics.add(Diagnostic(file: reader.file, range: e.source.range(span), .dataThresholdNested(name, uses: other))) }
        return nested.isEmpty ? e : nil
    }
}
