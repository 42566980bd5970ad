import ProsperModel

/// Turns a checked decision table into the entries the rule kinds already have
/// (segments, recommendations, churn signals), so nothing new runs per customer.
enum DecisionTableDesugar {
    /// Reports what the static analysis finds: overlaps under `unique` (errors), rows
    /// that can never be hit under `first`/`priority`, and gaps when `gaps` is set.
    static func analyse(_ t: DecisionTable, gaps: Bool, path: String, diagnostics: inout DiagnosticBag) -> DecisionTableAnalysis {
        let a = DecisionTableAnalysis(t)
        switch t.hit {
        case .unique:
            for (i, j, example) in a.overlaps() {
                diagnostics.error(t.rowsFile, t.rows[j].range, .tableOverlap(t.rows[i].number, t.rows[j].number, example: example))
            }
        case .first, .priority:
            let (findings, capped) = a.unreachable()
            for f in findings {
                switch f {
                case .empty(let j): diagnostics.add(Diagnostic(file: t.rowsFile, range: t.rows[j].range, .tableRowEmpty(t.rows[j].number)))
                case .shadowed(let j, let by): diagnostics.add(Diagnostic(file: t.rowsFile, range: t.rows[j].range, .tableRowShadowed(t.rows[j].number, by: by.map { t.rows[$0].number })))
                }
            }
            if capped { diagnostics.add(Diagnostic(file: path, range: t.range, .tableAnalysisSkipped("the search for rows that can never be hit", cells: DecisionTableAnalysis.maxCombinations))) }
        case .collect:
            break
        }
        if gaps {
            let (found, count, capped) = a.gaps()
            if capped {
                diagnostics.add(Diagnostic(file: path, range: t.range, .tableAnalysisSkipped("the search for gaps", cells: DecisionTableAnalysis.maxCombinations)))
            } else if !found.isEmpty {
                diagnostics.add(Diagnostic(file: path, range: t.range, .tableGaps(found, more: count - found.count)))
            }
        }
        return a
    }

    // MARK: Segments

    /// One segment per distinct output, at the place of its first row. Its condition is
    /// the `or` of its rows; a row also excludes the earlier rows of other segments that
    /// come after its own (unless the two are disjoint), so first-hit order is kept.
    static func segments(_ t: DecisionTable, _ a: DecisionTableAnalysis, reader: ExpressionReader, taken: [String: Int],
                         diagnostics: inout DiagnosticBag) -> [SegmentRules.Segment] {
        guard let col = t.column("segment") else { return [] }
        let names = t.rows.map { DecisionTableReader.outputText($0.outputs[col]) }
        var order: [String] = []
        var firstRow: [String: Int] = [:]
        for (r, n) in names.enumerated() where firstRow[n] == nil {
            firstRow[n] = r
            order.append(n)
        }
        var out: [SegmentRules.Segment] = []
        for name in order {
            guard let first = firstRow[name] else { continue }
            let cell = t.rows[first].outputs[col]
            if let line = taken[name] {
                diagnostics.error(cell.file, cell.wholeRange, .duplicateRuleName(name, firstLine: line))
                continue
            }
            let rows = names.indices.filter { names[$0] == name }
            var terms: [GeneratedText] = []
            var plain = true
            for r in rows {
                let excluded = (0..<r).filter { q in names[q] != name && (firstRow[names[q]] ?? 0) > first && !a.disjoint(q, r) }
                var g = GeneratedText()
                let at = t.rows[r].range.start
                if excluded.isEmpty {
                    g.append(t.rows[r].generated)
                } else {
                    plain = false
                    g.append("(", at: at); g.append(t.rows[r].generated); g.append(")", at: at)
                    for q in excluded {
                        g.append(" and not (", at: at); g.append(t.rows[q].generated); g.append(")", at: at)
                    }
                }
                terms.append(g)
            }
            let when: CheckedCondition
            if plain, rows.count == 1 {
                when = t.rows[first].condition
            } else {
                var g = GeneratedText()
                for (k, term) in terms.enumerated() {
                    let at = t.rows[rows[k]].range.start
                    if k > 0 { g.append(" or ", at: at) }
                    g.append("(", at: at); g.append(term); g.append(")", at: at)
                }
                var scratch = DiagnosticBag()
                guard let e = reader.withFile(t.rowsFile).expression(text: g.text, scalar: g.scalar(fallback: t.rows[first].range.start), offset: 0, diagnostics: &scratch) else {
                    diagnostics.add(contentsOf: scratch.items.filter { $0.severity == .error })
                    continue
                }
                when = CheckedCondition(typed: e.typed, source: e.source)
            }
            out.append(.init(name: name, when: when, nameRange: t.inRuleFile(cell.wholeRange)))
        }
        return out
    }

    // MARK: Upsell

    /// One recommendation per row, named "table row N".
    static func recommendations(_ t: DecisionTable, reader: ExpressionReader, known: Set<String>, diagnostics: inout DiagnosticBag) -> [UpsellRules.Recommendation] {
        var out: [UpsellRules.Recommendation] = []
        let rec = t.column("recommend"), act = t.column("action"), rea = t.column("reason"), val = t.column("value")
        for row in t.rows {
            let name = "table row \(row.number)"
            func cell(_ k: Int?) -> TableCell? {
                guard let k, row.outputs[k].text.tableTrimmed != "-" else { return nil }
                return row.outputs[k]
            }
            let productCell = cell(rec), actionCell = cell(act)
            if productCell != nil, let actionCell {
                diagnostics.error(actionCell.file, actionCell.wholeRange, .offerTwice)
                continue
            }
            guard let offer = productCell ?? actionCell else {
                diagnostics.error(t.rowsFile, row.range, .offerMissing(name))
                continue
            }
            let isAction = actionCell != nil
            let product = DecisionTableReader.outputText(offer)
            var value: Int64?
            if let v = cell(val) {
                let text = v.text.tableTrimmed
                // A fixed amount, on an action or (replacing the list price) a product, as
                // `value:` of a recommendation; computed values are written as recommendations.
                if let cents = Money.parseScaled(Array(text.utf8)[...], scale: 2), cents >= 0, cents <= RuleLoader.maxListPrice {
                    value = cents
                } else {
                    diagnostics.error(v.file, v.wholeRange, isAction ? .invalidActionValue(product, found: text) : .invalidOfferValue(product, found: text))
                }
            }
            if isAction {
                if known.contains(product) { diagnostics.add(Diagnostic(file: offer.file, range: offer.wholeRange, .actionNamesProduct(product))) }
            } else {
                if !known.isEmpty, !known.contains(product) {
                    diagnostics.add(Diagnostic(file: offer.file, range: offer.wholeRange, .unknownProduct(product, suggestion: Suggestion.phrase(for: product, in: known))))
                }
                if RuleLoader.requiresOwning(row.condition.typed, product) {
                    diagnostics.error(offer.file, offer.wholeRange, .recommendsOwnedProduct(product))
                }
            }
            let reason = cell(rea).flatMap { reader.withFile($0.file).reason(node($0), diagnostics: &diagnostics) }
            out.append(.init(name: name, when: row.condition, product: product, reason: reason, isAction: isAction, value: value,
                             offerRange: t.inRuleFile(offer.wholeRange), nameRange: t.inRuleFile(row.range)))
        }
        return out
    }

    // MARK: Churn

    /// One signal per row: name, weight and reason from the row's outputs.
    static func signals(_ t: DecisionTable, reader: ExpressionReader, taken: [String: Int], diagnostics: inout DiagnosticBag)
        -> [RuleLoader.SignalEntry] {
        var out: [RuleLoader.SignalEntry] = []
        guard let sig = t.column("signal") else { return [] }
        let wei = t.column("weight"), rea = t.column("reason")
        var nameLines: [String: Int] = [:]
        for row in t.rows {
            let nameCell = row.outputs[sig]
            let name = DecisionTableReader.outputText(nameCell)
            var weight: Value = .number(1, scale: 0)
            var weightNode = node(nameCell)
            if let w = wei {
                let cell = row.outputs[w]
                weightNode = node(cell, trimmed: true)
                guard let v = RuleLoader.score(weightNode) else {
                    diagnostics.error(cell.file, cell.wholeRange, .invalidScore(cell.text.tableTrimmed, what: "the weight of table row \(row.number)"))
                    continue
                }
                weight = v
            }
            if let line = taken[name] ?? out.first(where: { $0.name == name }).map({ _ in nameLines[name] ?? 0 }) {
                diagnostics.error(nameCell.file, nameCell.wholeRange, .duplicateRuleName(name, firstLine: line))
                continue
            }
            var reason: ReasonTemplate?
            if let r = rea, row.outputs[r].text.tableTrimmed != "-" {
                reason = reader.withFile(row.outputs[r].file).reason(node(row.outputs[r]), diagnostics: &diagnostics)
            }
            nameLines[name] = nameCell.location(0).line
            out.append(RuleLoader.SignalEntry(name: name, when: row.condition, weight: weight, weightNode: weightNode, reason: reason, nameRange: t.inRuleFile(nameCell.wholeRange)))
        }
        return out
    }

    /// A YAML node standing for a cell (for readers that take one).
    static func node(_ cell: TableCell, trimmed: Bool = false) -> YAMLNode {
        let text = trimmed ? cell.text.tableTrimmed : cell.text
        let scalar = YAMLScalar(value: text, style: .plain, locations: cell.locations, fallback: cell.location(0))
        return YAMLNode(kind: .scalar(scalar), range: cell.wholeRange, tag: nil)
    }
}
