import ProsperModel

/// Analytics files: `where`, loyalty `tiers`, and how revenue, bundles and
/// profitability are grouped.
extension RuleLoader {
    mutating func readAnalytics(_ map: MappingReader, _ header: RuleFileHeader, _ c: inout FileContext) -> AnalyticsRules? {
        let path = c.path
        var filter: CheckedCondition?
        if let w = map.value("where") { filter = c.reader.condition(w, what: "'where'", diagnostics: &diagnostics) }
        var tiers: [AnalyticsRules.Tier] = []
        var otherwise = "Other"
        if let l = map.value("loyalty"), let lm = MappingReader(l, context: "loyalty", file: path, diagnostics: &diagnostics) {
            lm.checkKeys(["tiers", "otherwise"], file: path, diagnostics: &diagnostics)
            if let t = lm.value("tiers") {
                var catchAll: String?
                for e in namedEntries(t, what: "tiers", keys: ["name", "when"], required: ["name", "when"], path: path) {
                    let name = e.name, entry = e.map, nameNode = e.nameNode
                    guard let whenNode = entry.value("when"), let when = c.reader.condition(whenNode, what: "the condition of tier '\(name)'", diagnostics: &diagnostics) else { continue }
                    if let earlier = catchAll {
                        diagnostics.add(Diagnostic(file: path, range: nameNode.range, .shadowedByEarlier("tier '\(name)'", by: "tier '\(earlier)'")))
                    } else if StaticAnalysis.alwaysHolds(when.typed) {
                        catchAll = name
                    }
                    tiers.append(.init(name: name, when: when))
                }
            }
            if let o = lm.value("otherwise"), let t = MappingReader.text(o, what: "otherwise", file: path, diagnostics: &diagnostics) { otherwise = t }
        }
        let groupable = groupableNames(c)
        var revenueBy = ["product", c.segments != nil ? "segment" : "industry"]
        if let r = map.value("revenue"), let rm = MappingReader(r, context: "revenue", file: path, diagnostics: &diagnostics) {
            rm.checkKeys(["by"], file: path, diagnostics: &diagnostics)
            if let by = rm.value("by") {
                revenueBy = []
                for n in by.items ?? [by] {
                    guard let name = MappingReader.text(n, what: "by", file: path, diagnostics: &diagnostics) else { continue }
                    if revenueBy.contains(name) {
                        diagnostics.error(path, n.range, .duplicateDefinition(name, firstLine: by.range.start.line))
                    } else if revenueBy.count == 2 {
                        diagnostics.error(path, n.range, .revenueGroupedTwice)
                    } else if groupable.contains(name) { revenueBy.append(name) } else {
                        diagnostics.error(path, n.range, groupingProblem(name, groupable, c))
                    }
                }
            }
        }
        var top = 3, minCustomers = 1, pairTop = 10
        if let b = map.value("bundles"), let bm = MappingReader(b, context: "bundles", file: path, diagnostics: &diagnostics) {
            bm.checkKeys(["top", "min_customers", "pairs"], file: path, diagnostics: &diagnostics)
            if let t = bm.value("top"), let v = MappingReader.positiveInt(t, what: "top", file: path, diagnostics: &diagnostics) { top = v }
            if let t = bm.value("min_customers"), let v = MappingReader.positiveInt(t, what: "min_customers", file: path, diagnostics: &diagnostics) { minCustomers = v }
            if let t = bm.value("pairs"), let v = MappingReader.positiveInt(t, what: "pairs", file: path, diagnostics: &diagnostics) { pairTop = v }
        }
        var profitBy = c.segments != nil ? "segment" : "industry"
        if let p = map.value("profitability"), let pm = MappingReader(p, context: "profitability", file: path, diagnostics: &diagnostics) {
            pm.checkKeys(["by"], file: path, diagnostics: &diagnostics)
            if let by = pm.value("by"), let name = MappingReader.text(by, what: "by", file: path, diagnostics: &diagnostics) {
                if groupable.contains(name), name != "product" { profitBy = name } else {
                    diagnostics.error(path, by.range, groupingProblem(name, groupable, c))
                }
            }
        }
        return AnalyticsRules(header: header, thresholds: c.thresholds, fields: c.fields, filter: filter, tiers: tiers, tierOtherwise: otherwise,
                              revenueBy: revenueBy, bundleTop: top, bundleMinCustomers: minCustomers, pairTop: pairTop, profitabilityBy: profitBy, segments: c.segments)
    }

    /// Why `name` cannot be a grouping: a money or decimal field, or an unknown name.
    func groupingProblem(_ name: String, _ groupable: [String], _ c: FileContext) -> DiagnosticMessage {
        if let d = c.reader.environment.derived[name] {
            return .groupingDerivedNotText(name, type: "\(d.type)")
        }
        if case .number(let scale)? = c.reader.environment.fields[name]?.type, scale > 0 {
            return .groupingAmount(name)
        }
        return .invalidGrouping(name, suggestion: Suggestion.phrase(for: name, in: groupable))
    }

    func groupableNames(_ c: FileContext) -> [String] {
        var names = ["product", "loyalty_tier"]
        for (name, f) in c.reader.environment.fields.sorted(by: { $0.key < $1.key }) {
            switch f.type {
            case .string, .boolean, .number(scale: 0), .date: names.append(name)
            default: break
            }
        }
        // Derived fields giving text: computed per customer, then grouped like a text field.
        for (name, d) in c.reader.environment.derived.sorted(by: { $0.key < $1.key }) where d.type == .string { names.append(name) }
        return names
    }
}
