import ProsperModel

/// Churn files: `eligible`, weighted `signals` (or a `table:`) and score `levels`.
extension RuleLoader {
    mutating func readChurn(_ map: MappingReader, _ header: RuleFileHeader, _ c: inout FileContext) -> ChurnRules? {
        let path = c.path
        var eligible: CheckedCondition?
        if let e = map.value("eligible") { eligible = c.reader.condition(e, what: "'eligible'", diagnostics: &diagnostics) }
        var signals: [SignalEntry] = []
        if map.value("table") != nil, map.value("signals") == nil {
            // The signals come from the table alone.
        } else if let list = map.required("signals", file: path, diagnostics: &diagnostics) {
            for e in namedEntries(list, what: "signals", keys: ["name", "when", "weight", "reason"], required: ["name", "when"], path: path) {
                let name = e.name, entry = e.map
                let when = entry.value("when").flatMap { c.reader.condition($0, what: "the condition of signal '\(name)'", diagnostics: &diagnostics) }
                var weight: Value = .number(1, scale: 0)
                var weightNode = entry.node
                if let w = entry.value("weight") {
                    weightNode = w
                    if let v = Self.score(w) { weight = v } else {
                        diagnostics.error(path, w.range, .invalidScore(w.scalar?.value ?? w.shapeDescription, what: "weight"))
                    }
                }
                let reason = entry.value("reason").flatMap { c.reader.reason($0, diagnostics: &diagnostics) }
                if let when { signals.append(SignalEntry(name: name, when: when, weight: weight, weightNode: weightNode, reason: reason, nameRange: e.nameNode.range)) }
            }
        }
        if let tableNode = map.value("table"), let t = readTable(tableNode, outputs: ["signal", "weight", "reason"], required: ["signal"], policies: [.collect, .unique], gaps: false, &c) {
            var taken: [String: Int] = [:]
            for s in signals where taken[s.name] == nil { taken[s.name] = s.nameRange.start.line }
            signals += DecisionTableDesugar.signals(t.table, reader: c.reader, taken: taken, diagnostics: &diagnostics)
        }
        var levels: [LevelEntry] = []
        if let l = map.required("levels", file: path, diagnostics: &diagnostics), let lm = MappingReader(l, context: "levels", file: path, diagnostics: &diagnostics) {
            if lm.pairs.isEmpty { diagnostics.error(path, l.range, .noLevels) }
            for p in lm.pairs {
                guard let name = p.key.scalar?.value else { continue }
                guard let v = Self.score(p.value) else {
                    diagnostics.error(path, p.value.range, .invalidScore(p.value.scalar?.value ?? p.value.shapeDescription, what: "the minimum score of level '\(name)'"))
                    continue
                }
                levels.append(LevelEntry(name: name, minimum: v))
                if let usual = Self.levelNearMiss(name) {
                    diagnostics.add(Diagnostic(file: path, range: p.key.range, .levelNearMiss(name, usual: usual)))
                }
            }
            if lm.pairs.count > Self.maxEntries {
                diagnostics.error(path, l.range, .tooManyEntries("levels", limit: Self.maxEntries))
            }
        }
        if signals.count > Self.maxEntries, let node = map.value("signals") {
            diagnostics.error(path, node.range, .tooManyEntries("signals", limit: Self.maxEntries))
        }
        let all = signals.map(\.weight) + levels.map(\.minimum)
        let scale = all.map { v -> Int in if case .number(_, let s) = v { return s } else { return 0 } }.max() ?? 0
        func scaled(_ v: Value) -> Int64 {
            guard case .number(let x, let s) = v else { return 0 }
            return Decimal64.rescaleSaturating(x, by: Decimal64.power(scale - s))
        }
        let total = signals.reduce(Int64(0)) { Decimal64.add($0, scaled($1.weight)) ?? Int64.max }
        let sortedLevels = levels.map { ChurnRules.Level(name: $0.name, minimum: scaled($0.minimum)) }.sorted { $0.minimum > $1.minimum }
        if let top = sortedLevels.first, top.minimum > total, !signals.isEmpty, let node = map.value("levels") {
            diagnostics.add(Diagnostic(file: path, range: node.range, .neverMatches("level '\(top.name)' (needs \(Decimal64.format(top.minimum, scale: scale)), all weights add up to \(Decimal64.format(total, scale: scale)))")))
        }
        return ChurnRules(header: header, thresholds: c.thresholds, fields: c.fields, eligible: eligible,
                          signals: signals.map { .init(name: $0.name, when: $0.when, weight: scaled($0.weight), reason: $0.reason, nameRange: $0.nameRange) },
                          levels: sortedLevels, weightScale: scale, segments: c.segments)
    }

    /// The usual level names a level name is compared with.
    static let usualLevels = ["high", "medium", "low"]

    /// The usual level name `name` is a near miss of (edit distance 1 or 2, ignoring
    /// case), nil when it is one of them or not close to any: level names stay free.
    static func levelNearMiss(_ name: String) -> String? {
        let w = Array(name.lowercased().unicodeScalars)
        guard w.count <= Suggestion.maxLength else { return nil }
        var best: (name: String, distance: Int)?
        for usual in usualLevels {
            let u = Array(usual.unicodeScalars)
            if w == u { return nil }
            if let d = Suggestion.distance(w, u, limit: 2), d > 0, best.map({ d < $0.distance }) ?? true { best = (usual, d) }
        }
        return best?.name
    }

    /// Largest weight or level minimum: 64 weights of this size still add up exactly.
    static let maxScore: Int64 = 1_000_000

    /// A weight or level minimum: a plain number from 0 to `maxScore`.
    static func score(_ node: YAMLNode) -> Value? {
        guard let s = node.scalar, s.style == .plain, case .number(let v, let sc)? = ScalarValue.number(s.value),
              v >= 0, Decimal64.compare(v, sc, maxScore, 0) <= 0 else { return nil }
        return .number(v, scale: sc)
    }
}
