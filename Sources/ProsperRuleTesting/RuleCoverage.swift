import ProsperModel
import ProsperRules

/// What the test cases exercised of the rule files under test: every segment, signal,
/// level and recommendation, the eligibility condition both ways, and each side of every
/// `and`/`or` of a condition both true and false (null counts as false: the condition
/// does not hold). Analytics files and `fields:` definitions are not covered.
package struct RuleCoverage: Sendable {
    package enum Kind: String, Sendable {
        case segment, eligible, signal, level, recommendation, condition
    }
    /// One thing a case can exercise.
    package struct Item: Sendable {
        package let file: String
        package let location: SourceLocation
        package let kind: Kind
        /// What must happen, for the list of gaps: "segment 'Micro' caught no case".
        package let gap: String
        /// LCOV branch: the block (condition side or eligibility) and branch number; nil
        /// for a line item.
        package let branch: (block: Int, branch: Int)?
        /// Cases that exercised it.
        package internal(set) var hits: Int
    }
    /// In file, then position order.
    package internal(set) var items: [Item]
    /// Levels no combination of signal weights can score: a property of the rules, not
    /// a gap of the tests, so not counted (listed as notes).
    package internal(set) var unreachable: [Item] = []

    package var covered: Int { items.filter { $0.hits > 0 }.count }
    package var total: Int { items.count }

    /// True when `covered / total >= percent / 100` (exactly); no items counts as 100 %.
    package func meets(percent: Int) -> Bool { total == 0 || covered * 100 >= min(max(percent, 0), 100) * total }

    /// The share covered in tenths of a percent, rounded down (99.95 % shows as 99.9 %).
    package var permille: Int { total == 0 ? 1000 : covered * 1000 / total }
}

/// Collects coverage items from loaded rule sets and hits from runs.
struct CoverageCollector {
    private(set) var coverage = RuleCoverage(items: [])
    private var index: [String: Int] = [:]
    private var filesDone: Set<String> = []

    private mutating func add(_ key: String, _ item: RuleCoverage.Item) {
        guard index[key] == nil else { return }
        index[key] = coverage.items.count
        coverage.items.append(item)
    }

    private mutating func hit(_ key: String) {
        if let k = index[key] { coverage.items[k].hits += 1 }
    }

    static func start(_ c: CheckedCondition) -> SourceLocation { c.source.range(Span(0, c.source.text.utf8.count)).start }

    /// The `and`/`or` nodes of a condition in reading order (not inside `fields:`).
    static func junctions(_ e: TypedExpr) -> [(TypedExpr, TypedExpr)] {
        var out: [(TypedExpr, TypedExpr)] = []
        func walk(_ e: TypedExpr) {
            switch e.node {
            case .and(let a, let b), .or(let a, let b):
                out.append((a, b))
                walk(a)
                walk(b)
            case .not(let a), .negate(let a), .nullTest(let a, _): walk(a)
            case .comparison(_, let a, let b), .arithmetic(_, let a, let b), .membership(let a, let b, _):
                walk(a)
                walk(b)
            case .between(let a, let b, let c), .conditional(let a, let b, let c):
                walk(a)
                walk(b)
                walk(c)
            case .call(_, let args): args.forEach(walk)
            case .constant, .field, .asOf, .derived, .dataThreshold: break
            }
        }
        walk(e)
        return out
    }

    /// The conditions of a file that coverage follows, with a stable name each.
    static func conditions(_ f: RuleFile) -> [(id: String, condition: CheckedCondition)] {
        switch f {
        case .segments(let r): return r.segments.enumerated().map { ("segment#\($0.offset)", $0.element.when) }
        case .churn(let r):
            return (r.eligible.map { [("eligible", $0)] } ?? []) + r.signals.enumerated().map { ("signal#\($0.offset)", $0.element.when) }
        case .upsell(let r): return r.recommendations.enumerated().map { ("recommendation#\($0.offset)", $0.element.when) }
        case .analytics: return []
        }
    }

    /// The files whose items are counted: each file of the set, and the segments files
    /// they read.
    static func covered(_ rules: LoadedRules) -> [RuleFile] {
        var out: [RuleFile] = []
        var paths: Set<String> = []
        for f in rules.files {
            if let s = f.segments, paths.insert(s.header.path).inserted { out.append(.segments(s)) }
            if case .segments = f { continue }
            if case .analytics = f { continue }
            if paths.insert(f.header.path).inserted { out.append(f) }
        }
        return out
    }

    /// Adds the items of every file of `rules` (once per file path).
    mutating func register(_ rules: LoadedRules, sources: [String: SourceText]) {
        for f in Self.covered(rules) {
            let path = f.header.path
            guard filesDone.insert(path).inserted else { continue }
            let positions = RuleFilePositions(path: path, source: sources[path])
            var block = 0
            switch f {
            case .segments(let r):
                for (k, s) in r.segments.enumerated() {
                    add("\(path)|segment#\(k)", .init(file: path, location: Self.start(s.when), kind: .segment, gap: "segment '\(s.name)' caught no case", branch: nil, hits: 0))
                }
                if let o = r.otherwise {
                    add("\(path)|segment#\(r.segments.count)", .init(file: path, location: positions.otherwise ?? SourceLocation(line: 1, column: 1), kind: .segment,
                                                                     gap: "segment '\(o)' (otherwise) caught no case", branch: nil, hits: 0))
                }
            case .churn(let r):
                if let e = r.eligible {
                    add("\(path)|eligible|true", .init(file: path, location: Self.start(e), kind: .eligible, gap: "no eligible case ('\(e.source.text)' never true)", branch: (block, 0), hits: 0))
                    add("\(path)|eligible|false", .init(file: path, location: Self.start(e), kind: .eligible, gap: "no ineligible case ('\(e.source.text)' never false)", branch: (block, 1), hits: 0))
                    block += 1
                }
                for (k, s) in r.signals.enumerated() {
                    add("\(path)|signal#\(k)", .init(file: path, location: Self.start(s.when), kind: .signal, gap: "signal '\(s.name)' never held for an eligible case", branch: nil, hits: 0))
                }
                let reachable = Self.reachableLevels(r)
                for (k, l) in r.levels.enumerated() {
                    guard reachable.contains(k) else {
                        coverage.unreachable.append(.init(file: path, location: positions.levels[l.name] ?? SourceLocation(line: 1, column: 1), kind: .level,
                                                          gap: "level '\(l.name)' cannot be reached: no combination of signal weights scores in its range (not counted)",
                                                          branch: nil, hits: 0))
                        continue
                    }
                    add("\(path)|level#\(k)", .init(file: path, location: positions.levels[l.name] ?? SourceLocation(line: 1, column: 1), kind: .level,
                                                    gap: "level '\(l.name)' never reached", branch: nil, hits: 0))
                }
            case .upsell(let r):
                for (k, x) in r.recommendations.enumerated() {
                    add("\(path)|recommendation#\(k)", .init(file: path, location: Self.start(x.when), kind: .recommendation,
                                                             gap: "recommendation '\(x.name)' (\(x.product)) never offered", branch: nil, hits: 0))
                }
            case .analytics:
                break
            }
            for (id, c) in Self.conditions(f) {
                for (j, (a, b)) in Self.junctions(c.typed).enumerated() {
                    for (side, e) in [(0, a), (1, b)] {
                        let range = c.source.range(e.span)
                        let text = Self.text(c.source.text, e.span)
                        for (value, word) in [(true, "true"), (false, "false")] {
                            add("\(path)|\(id)|\(j)|\(side)|\(value)", .init(file: path, location: range.start, kind: .condition, gap: "'\(text)' never \(word)",
                                                                             branch: (block, value ? 0 : 1), hits: 0))
                        }
                        block += 1
                    }
                }
            }
        }
    }

    /// The levels some set of signals scores into (all of them when there are too many
    /// different sums to enumerate).
    static func reachableLevels(_ r: ChurnRules) -> Set<Int> {
        var sums: Set<Int64> = [0]
        for s in r.signals {
            var next = sums
            for x in sums {
                let (y, overflow) = x.addingReportingOverflow(s.weight)
                if !overflow { next.insert(y) }
            }
            sums = next
            if sums.count > 4096 { return Set(r.levels.indices) }
        }
        var out: Set<Int> = []
        for x in sums {
            if let k = r.levels.firstIndex(where: { x >= $0.minimum }) { out.insert(k) }
        }
        return out
    }

    static func text(_ s: String, _ span: Span) -> String {
        let bytes = Array(s.utf8)
        guard span.start >= 0, span.end <= bytes.count, span.start < span.end else { return s }
        return String(decoding: bytes[span.start..<span.end], as: UTF8.self)
    }

    /// Counts what the customers of `run` exercised (`rows`: the rows of the cases).
    mutating func record(_ run: RuleSetRun, rows: Range<Int>) {
        for f in Self.covered(run.rules) {
            let path = f.header.path
            let columns = run.columns(for: f)
            switch f {
            case .segments(let r):
                if case .string(let col)? = run.segmentColumns[path]?.extra["segment"] {
                    for i in rows {
                        let code = col.code(i)
                        if code >= 0 { hit("\(path)|segment#\(code)") }
                    }
                }
                _ = r
            case .churn(let r):
                if let scores = run.churn, ExactText.equal(run.rules.churn?.header.path ?? "", path) {
                    for i in rows where i < scores.eligible.count {
                        hit("\(path)|eligible|\(scores.eligible[i] == 1)")
                        for k in r.signals.indices where k < 64 && scores.signals[i] & (UInt64(1) << UInt64(k)) != 0 { hit("\(path)|signal#\(k)") }
                        if scores.level[i] >= 0 { hit("\(path)|level#\(scores.level[i])") }
                    }
                }
            case .upsell(let r):
                if let offers = run.offers, ExactText.equal(run.rules.upsell?.header.path ?? "", path) {
                    for i in rows where i < offers.count {
                        for k in r.recommendations.indices where k < 64 && offers[i] & (UInt64(1) << UInt64(k)) != 0 { hit("\(path)|recommendation#\(k)") }
                    }
                }
            case .analytics:
                break
            }
            for (id, c) in Self.conditions(f) {
                let js = Self.junctions(c.typed)
                guard !js.isEmpty else { continue }
                for i in rows {
                    let reader = RowReader(columns: columns, row: i)
                    for (j, (a, b)) in js.enumerated() {
                        for (side, e) in [(0, a), (1, b)] {
                            let holds = (try? ScalarEvaluator.holds(e, row: reader)) ?? false
                            hit("\(path)|\(id)|\(j)|\(side)|\(holds)")
                        }
                    }
                }
            }
        }
    }

    /// The result, items in file and position order.
    var result: RuleCoverage {
        var c = coverage
        c.items = c.items.enumerated().sorted { x, y in
            if x.element.file != y.element.file { return x.element.file < y.element.file }
            if x.element.location != y.element.location { return x.element.location < y.element.location }
            return x.offset < y.offset
        }.map(\.element)
        return c
    }
}

/// Positions the rule model does not keep: level names and `otherwise`, read from the
/// rule file's YAML.
struct RuleFilePositions {
    var levels: [String: SourceLocation] = [:]
    var otherwise: SourceLocation?

    init(path: String, source: SourceText?) {
        let text: String
        if let source { text = source.text } else if case .success(let b) = FileBytes.read(path, limit: YAMLLimits().maxBytes) {
            text = String(decoding: b, as: UTF8.self)
        } else {
            return
        }
        guard let root = YAMLParser.parse(text: text, path: path).root, let pairs = root.pairs else { return }
        for p in pairs {
            switch p.key.scalar?.value {
            case "levels"?:
                for l in p.value.pairs ?? [] { if let name = l.key.scalar?.value { levels[name] = l.key.range.start } }
            case "otherwise"?:
                otherwise = p.key.range.start
            default:
                break
            }
        }
    }
}
