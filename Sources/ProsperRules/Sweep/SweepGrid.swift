import ProsperModel

/// The threshold settings a `sweep` tries (docs/sweep.md): row 0 is the rule file's own
/// values ("current"), then one combination per grid point or per `--combination`.
///
/// Every value is checked here as `--set` would check it (type of the threshold, money
/// with at most 2 decimal places, a date for a date threshold); the loader checks each
/// combination again when it loads the rules with its overrides.
package struct SweepGrid: Sendable {
    /// One setting of the varied thresholds.
    package struct Combination: Sendable {
        /// `current` for row 0; the `--combination` label; else `name=value, name=value`.
        package let label: String
        /// The `--set` overrides of this combination (empty for row 0).
        package let overrides: [String: String]
        /// Per varied threshold (in `SweepGrid.names` order): the value it takes, nil when
        /// it keeps the file's own value.
        package let values: [Value?]

        package init(label: String, overrides: [String: String], values: [Value?]) {
            self.label = label
            self.overrides = overrides
            self.values = values
        }
    }

    /// The most combinations a sweep runs (row 0 not counted).
    package static let maxCombinations = 10_000

    /// The varied thresholds, in the order given.
    package let names: [String]
    /// Row 0 (`current`) first.
    package let combinations: [Combination]

    package init(names: [String], combinations: [Combination]) {
        self.names = names
        self.combinations = combinations
    }

    /// Builds the grid from `--vary NAME=SPEC` items (at most two: a cartesian product,
    /// the first varying slowest) or `--combination 'LABEL: a=1, b=2'` items, against the
    /// thresholds of `rules` (the file's own values). `moneyThresholds`: the thresholds
    /// compared with money (at most 2 decimal places). `segmentThresholds`: those of the
    /// segments file the rules read (not varied: `segment` is computed once).
    package static func build(vary: [String], combinations: [String], file: String, thresholds: [Threshold],
                             moneyThresholds: Set<String> = [], segmentThresholds: [String] = [], segmentsFile: String = "") throws(Diagnostic) -> SweepGrid {
        let context = Context(file: file, thresholds: thresholds, money: moneyThresholds, segmentThresholds: segmentThresholds, segmentsFile: segmentsFile)
        if !vary.isEmpty, !combinations.isEmpty { throw context.error("--vary", .sweepBothForms) }
        if vary.isEmpty, combinations.isEmpty { throw context.error("--vary", .sweepNothing) }
        if vary.count > 2 { throw context.error("--vary", .sweepTooManyVary(vary.count)) }
        let current = Combination(label: "current", overrides: [:], values: [])
        if !vary.isEmpty {
            var axes: [(name: String, values: [(text: String, value: Value)])] = []
            for item in vary {
                guard let eq = item.firstIndex(of: "="), eq != item.startIndex else { throw context.error("--vary", .sweepVarySyntax(item)) }
                let name = String(item[..<eq]).sweepTrimmed, spec = String(item[item.index(after: eq)...]).sweepTrimmed
                guard !name.isEmpty, !spec.isEmpty else { throw context.error("--vary", .sweepVarySyntax(item)) }
                if axes.contains(where: { $0.name == name }) { throw context.error("--vary", .sweepVariedTwice(name)) }
                let threshold = try context.threshold(name, "--vary")
                let values = try context.values(spec, threshold)
                axes.append((name, values))
            }
            // The count before building anything: a huge grid is refused at once.
            var count = 1
            for a in axes {
                let (c, o) = count.multipliedReportingOverflow(by: a.values.count)
                count = o ? Int.max : c
            }
            if count > maxCombinations { throw context.error("--vary", .sweepTooMany(count == Int.max ? "more than 10,000" : grouped(count))) }
            var rows = [current]
            let names = axes.map(\.name)
            func add(_ picked: [(text: String, value: Value)]) {
                var overrides: [String: String] = [:]
                for (k, p) in picked.enumerated() { overrides[names[k]] = p.text }
                rows.append(Combination(label: zip(names, picked).map { "\($0)=\($1.text)" }.joined(separator: ", "), overrides: overrides, values: picked.map(\.value)))
            }
            if axes.count == 1 {
                for v in axes[0].values { add([v]) }
            } else {
                for a in axes[0].values { for b in axes[1].values { add([a, b]) } }
            }
            return SweepGrid(names: names, combinations: rows)
        }
        if combinations.count > maxCombinations { throw context.error("--combination", .sweepTooMany(grouped(combinations.count))) }
        var parsed: [(label: String, settings: [(name: String, text: String, value: Value)])] = []
        var names: [String] = []
        for item in combinations {
            var label = ""
            var body = Substring(item)
            if let colon = item.firstIndex(of: ":") {
                label = String(item[..<colon]).sweepTrimmed
                body = item[item.index(after: colon)...]
                if label.isEmpty { throw context.error("--combination", .sweepCombinationSyntax(item)) }
            }
            var settings: [(name: String, text: String, value: Value)] = []
            for part in body.split(separator: ",", omittingEmptySubsequences: false) {
                guard let eq = part.firstIndex(of: "="), eq != part.startIndex else { throw context.error("--combination", .sweepCombinationSyntax(item)) }
                let name = String(part[..<eq]).sweepTrimmed, text = String(part[part.index(after: eq)...]).sweepTrimmed
                guard !name.isEmpty else { throw context.error("--combination", .sweepCombinationSyntax(item)) }
                if settings.contains(where: { $0.name == name }) { throw context.error("--combination", .sweepSetTwice(label.isEmpty ? item : label, name)) }
                let threshold = try context.threshold(name, "--combination")
                guard !text.isEmpty else { throw context.error("--combination", .sweepEmptyValue(name)) }
                let value = try context.value(text, threshold, "--combination")
                settings.append((name, text, value))
                if !names.contains(name) { names.append(name) }
            }
            if label.isEmpty { label = settings.map { "\($0.name)=\($0.text)" }.joined(separator: ", ") }
            if label == "current" { throw context.error("--combination", .sweepReservedLabel) }
            if parsed.contains(where: { $0.label == label }) { throw context.error("--combination", .sweepDuplicateLabel(label)) }
            parsed.append((label, settings))
        }
        var rows = [current]
        for p in parsed {
            var overrides: [String: String] = [:]
            for s in p.settings { overrides[s.name] = s.text }
            rows.append(Combination(label: p.label, overrides: overrides, values: names.map { n in p.settings.first { $0.name == n }?.value }))
        }
        return SweepGrid(names: names, combinations: rows)
    }

    /// The error for a rule file that is neither churn nor upsell rules.
    package static func wrongKind(_ file: String, kind: RuleKind) -> Diagnostic {
        Diagnostic(file: file, range: nil, .sweepNotChurnOrUpsell(kind.rawValue))
    }

    /// A non-negative exact decimal (`5`, `0.3`, `12.50`) as (value, scale), nil when the
    /// text is not one or has more than `maxScale` decimal places (`--cost`, `--value`).
    package static func decimal(_ text: String, maxScale: Int) -> (value: Int64, scale: Int)? {
        guard case .number(let v, let s)? = ScalarValue.number(text.sweepTrimmed), v >= 0, s <= maxScale else { return nil }
        return (v, s)
    }

    /// The thresholds of `conditions` that are compared with money: named in a condition
    /// (by its source text) that reads a field with two decimal places (`mrr`, a price).
    package static func moneyThresholds(_ names: [String], in expressions: [(tree: TypedExpr, text: String)]) -> Set<String> {
        var out: Set<String> = []
        for e in expressions where readsMoney(e.tree) {
            for n in names where mentions(e.text, n) { out.insert(n) }
        }
        return out
    }

    /// The thresholds of `file` compared with money (its conditions and fields).
    package static func moneyThresholds(of file: RuleFile) -> Set<String> {
        var out: [(tree: TypedExpr, text: String)] = []
        func add(_ c: CheckedCondition) { out.append((c.typed, c.source.text)) }
        switch file {
        case .churn(let r):
            r.eligible.map(add)
            r.signals.forEach { add($0.when) }
            r.fields.forEach { out.append(($0.expression.typed, $0.expression.source.text)) }
        case .upsell(let r):
            r.recommendations.forEach { add($0.when) }
            r.fields.forEach { out.append(($0.expression.typed, $0.expression.source.text)) }
        default: break
        }
        return moneyThresholds(file.thresholds.map(\.name), in: out)
    }

    static func readsMoney(_ e: TypedExpr) -> Bool {
        switch e.node {
        case .field: return e.type == .number(scale: 2)
        case .constant, .asOf, .dataThreshold: return false
        case .derived(_, let a), .negate(let a), .not(let a), .nullTest(let a, _): return e.type == .number(scale: 2) || readsMoney(a)
        case .and(let a, let b), .or(let a, let b), .arithmetic(_, let a, let b), .comparison(_, let a, let b), .membership(let a, let b, _):
            return readsMoney(a) || readsMoney(b)
        case .between(let a, let b, let c), .conditional(let a, let b, let c): return readsMoney(a) || readsMoney(b) || readsMoney(c)
        case .call(_, let args): return args.contains(where: readsMoney)
        }
    }

    /// Whether `text` has `name` as a whole identifier.
    static func mentions(_ text: String, _ name: String) -> Bool {
        let t = Array(text.utf8), n = Array(name.utf8)
        guard !n.isEmpty, t.count >= n.count else { return false }
        func word(_ c: UInt8) -> Bool { (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c == 95 }
        var i = 0
        while i + n.count <= t.count {
            if t[i..<(i + n.count)].elementsEqual(n), i == 0 || !word(t[i - 1]), i + n.count == t.count || !word(t[i + n.count]) { return true }
            i += 1
        }
        return false
    }

    static func grouped(_ v: Int) -> String {
        let digits = String(v)
        var out = ""
        for (i, ch) in digits.enumerated() {
            if i > 0, (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(ch)
        }
        return out
    }

    /// Exact text of a number value (`45`, `0.5`, `-3.25`): what `--set` is given.
    static func numberText(_ v: Int64, _ s: Int) -> String {
        guard s > 0 else { return String(v) }
        let p = Decimal64.power(s), m = v.magnitude
        var frac = String(m % UInt64(p))
        frac = String(repeating: "0", count: max(0, s - frac.count)) + frac
        return (v < 0 ? "-" : "") + String(m / UInt64(p)) + "." + frac
    }

    private struct Context {
        let file: String
        let thresholds: [Threshold]
        let money: Set<String>
        let segmentThresholds: [String]
        let segmentsFile: String

        func error(_ option: String, _ m: DiagnosticMessage) -> Diagnostic { Diagnostic(file: option, range: nil, m) }

        func threshold(_ name: String, _ option: String) throws(Diagnostic) -> Threshold {
            guard let t = thresholds.first(where: { $0.name == name }) else {
                var hint = Suggestion.phrase(for: name, in: thresholds.map(\.name))
                if hint.isEmpty {
                    hint = thresholds.isEmpty ? "; these rules have no thresholds" : "; the thresholds are: " + thresholds.map(\.name).sorted().joined(separator: ", ")
                }
                throw error(option, .sweepUnknownThreshold(name, file: file, suggestion: hint))
            }
            if segmentThresholds.contains(name) { throw error(option, .sweepSegmentsThreshold(name, segments: segmentsFile)) }
            if case .list = t.value { throw error(option, .sweepListThreshold(name)) }
            return t
        }

        /// One value for `t`, as `--set` takes it.
        func value(_ text: String, _ t: Threshold, _ option: String) throws(Diagnostic) -> Value {
            if t.computed != nil {
                guard let v = ScalarValue.parse(text, quoted: false), case .number = v else {
                    throw error(option, .thresholdOverrideType(t.name, expected: "a number", found: text))
                }
                return try checkedMoney(v, text, t, option)
            }
            if let v = ScalarValue.parse(text, quoted: false), ScalarValue.compatible(t.value, v) { return try checkedMoney(v, text, t, option) }
            if case .string = t.value { return .string(text) }
            throw error(option, .thresholdOverrideType(t.name, expected: t.value.type.description, found: text))
        }

        func checkedMoney(_ v: Value, _ text: String, _ t: Threshold, _ option: String) throws(Diagnostic) -> Value {
            if case .number(_, let s) = v, s > 2, money.contains(t.name) { throw error(option, .sweepMoneyDecimals(t.name, found: text, decimals: s)) }
            return v
        }

        /// The values of a `--vary` spec: `lo..hi/step` or `a,b,c`.
        func values(_ spec: String, _ t: Threshold) throws(Diagnostic) -> [(text: String, value: Value)] {
            let chars = Array(spec)
            guard let dot = chars.indices.first(where: { $0 + 1 < chars.count && chars[$0] == "." && chars[$0 + 1] == "." }) else {
                var out: [(text: String, value: Value)] = []
                for raw in spec.split(separator: ",", omittingEmptySubsequences: false) {
                    let text = String(raw).sweepTrimmed
                    guard !text.isEmpty else { throw error("--vary", .sweepEmptyValue(t.name)) }
                    out.append((text, try value(text, t, "--vary")))
                    if out.count > SweepGrid.maxCombinations { throw error("--vary", .sweepTooMany("more than 10,000")) }
                }
                return out
            }
            let low = String(chars[..<dot]).sweepTrimmed
            let rest = Substring(String(chars[(dot + 2)...]))
            guard let slash = rest.firstIndex(of: "/") else { throw error("--vary", .sweepVarySyntax(t.name + "=" + spec)) }
            let high = String(rest[..<slash]).sweepTrimmed, stepText = String(rest[rest.index(after: slash)...]).sweepTrimmed
            if low.isEmpty || high.isEmpty || stepText.isEmpty { throw error("--vary", .sweepVarySyntax(t.name + "=" + spec)) }
            let isDate: Bool
            switch t.value {
            case .date: isDate = true
            case .number, .null: isDate = false
            default: throw error("--vary", .sweepRangeType(t.name, type: t.value.type.description))
            }
            if t.computed != nil, isDate { throw error("--vary", .sweepRangeType(t.name, type: "a date")) }
            if isDate {
                guard let lo = Day(iso: low) else { throw error("--vary", .sweepRangeBound(t.name, found: low, expected: "a date YYYY-MM-DD")) }
                guard let hi = Day(iso: high) else { throw error("--vary", .sweepRangeBound(t.name, found: high, expected: "a date YYYY-MM-DD")) }
                guard case .number(let step, 0)? = ScalarValue.number(stepText) else {
                    throw error("--vary", .sweepRangeBound(t.name, found: stepText, expected: "a whole number of days"))
                }
                guard step > 0 else { throw error("--vary", .sweepRangeStep(t.name, found: stepText)) }
                guard lo <= hi else { throw error("--vary", .sweepRangeOrder(t.name, low: low, high: high)) }
                let count = (Int64(hi.number) - Int64(lo.number)) / step + 1
                if count > Int64(SweepGrid.maxCombinations) { throw error("--vary", .sweepTooMany(grouped(Int(count)))) }
                return (0..<Int(count)).map { k in
                    let d = Day(number: lo.number + Int32(Int64(k) * step))
                    return (d.description, .date(d))
                }
            }
            guard case .number(let a, let sa)? = ScalarValue.number(low) else { throw error("--vary", .sweepRangeBound(t.name, found: low, expected: "a number")) }
            guard case .number(let b, let sb)? = ScalarValue.number(high) else { throw error("--vary", .sweepRangeBound(t.name, found: high, expected: "a number")) }
            guard case .number(let c, let sc)? = ScalarValue.number(stepText) else { throw error("--vary", .sweepRangeBound(t.name, found: stepText, expected: "a number")) }
            guard c > 0 else { throw error("--vary", .sweepRangeStep(t.name, found: stepText)) }
            let s = max(sa, sb, sc)
            for (v, scale, text) in [(a, sa, low), (b, sb, high), (c, sc, stepText)] { _ = try checkedMoney(.number(v, scale: scale), text, t, "--vary") }
            guard let lo = Decimal64.rescale(a, from: sa, to: s), let hi = Decimal64.rescale(b, from: sb, to: s), let step = Decimal64.rescale(c, from: sc, to: s) else {
                throw error("--vary", .sweepTooMany("more than 10,000"))
            }
            guard lo <= hi else { throw error("--vary", .sweepRangeOrder(t.name, low: low, high: high)) }
            let difference: (partialValue: Int64, overflow: Bool) = hi.subtractingReportingOverflow(lo)
            let o = difference.overflow
            let count: Int64 = o ? Int64.max : (difference.partialValue / step).addingReportingOverflow(1).partialValue
            if count > Int64(SweepGrid.maxCombinations) { throw error("--vary", .sweepTooMany(o ? "more than 10,000" : grouped(Int(count)))) }
            // lo + k·step ≤ hi: no overflow (hi is a valid Int64 and every point is below it).
            return (0..<count).map { k in
                let v = lo + k * step
                return (numberText(v, s), .number(v, scale: s))
            }
        }
    }
}

extension String {
    /// Without leading and trailing spaces and tabs.
    fileprivate var sweepTrimmed: String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" { s.removeLast() }
        return String(s)
    }
}
