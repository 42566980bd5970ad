import ProsperModel

/// What can be seen about a decision table without reading any customer: rows that
/// overlap, rows that can never be hit, and input combinations no row covers.
///
/// Each input that is a plain data field (named once) is an exact axis: its cells'
/// boundaries split it into elementary pieces (intervals of exact decimals or days at
/// the field's scale, single texts plus "any other text", true/false, null), so every
/// cell is a set of pieces. Any other input (a derived field, an expression, a test the
/// analysis does not model) is opaque: two of its cells are known to agree only when
/// both are `-` or both read the same, so the analysis never reports an overlap or an
/// unreachable row it cannot prove. Work is O(rows² × pieces) for overlaps; the
/// combinations enumerated for gaps and unreachable rows are capped.
struct DecisionTableAnalysis {
    /// Most input combinations enumerated (over all rows).
    static let maxCombinations = 100_000

    struct Axis {
        let name: String
        /// nil for an opaque axis.
        let pieces: [Piece]?
        /// Per row: the pieces its cell matches (exact axes).
        let matches: [[Bool]]
        /// Per row: nil for `-`, else the cell's text (opaque axes).
        let keys: [String?]
        /// `matches` as bit sets (64 pieces a word), for pairs of rows.
        let bits: [[UInt64]]

        init(name: String, pieces: [Piece]?, matches: [[Bool]], keys: [String?]) {
            self.name = name
            self.pieces = pieces
            self.matches = matches
            self.keys = keys
            bits = matches.map { m in
                var words = [UInt64](repeating: 0, count: (m.count + 63) / 64)
                for (p, on) in m.enumerated() where on { words[p / 64] |= 1 << UInt64(p % 64) }
                return words
            }
        }

        /// The first piece rows `i` and `j` both match.
        func firstCommon(_ i: Int, _ j: Int) -> Int? {
            for (w, (x, y)) in zip(bits[i], bits[j]).enumerated() where x & y != 0 { return w * 64 + (x & y).trailingZeroBitCount }
            return nil
        }
    }

    enum Piece {
        /// Grid values lo…hi at scale 6 (numbers; `step` apart) or days (dates).
        case interval(Int64, Int64)
        case text(String)
        case otherText([String])
        case boolean(Bool)
        case null
    }

    let table: DecisionTable
    let axes: [Axis]
    /// Per axis: (domain low, domain high, step, field scale, isDate) for numeric axes.
    private let numeric: [(lo: Int64, hi: Int64, step: Int64, scale: Int, isDate: Bool)?]

    init(_ table: DecisionTable) {
        self.table = table
        var axes: [Axis] = []
        var numeric: [(lo: Int64, hi: Int64, step: Int64, scale: Int, isDate: Bool)?] = []
        var seenFields: Set<String> = []
        for (k, input) in table.inputs.enumerated() {
            let keys = table.rows.map { row -> String? in row.tests[k] == .any ? nil : row.cells[k].text.tableTrimmed }
            var built: (Axis, (lo: Int64, hi: Int64, step: Int64, scale: Int, isDate: Bool)?)?
            if case .field(let f) = input.typed.node, seenFields.insert(f).inserted {
                built = Self.exactAxis(f, input.typed, k, table)
            }
            let axis = built?.0 ?? Axis(name: input.source.text, pieces: nil, matches: [], keys: keys)
            axes.append(Axis(name: axis.name, pieces: axis.pieces, matches: axis.matches, keys: keys))
            numeric.append(built?.1)
        }
        self.axes = axes
        self.numeric = numeric
    }

    // MARK: Checks

    /// Pairs of rows that both match some customer, with an example (for `unique`).
    func overlaps(limit: Int = 10) -> [(Int, Int, String)] {
        var out: [(Int, Int, String)] = []
        let rows = table.rows
        for j in rows.indices {
            for i in 0..<j {
                guard let example = common(i, j) else { continue }
                out.append((i, j, example))
                if out.count >= limit { return out }
            }
        }
        return out
    }

    /// True when rows `i` and `j` can be shown to match no customer in common.
    func disjoint(_ i: Int, _ j: Int) -> Bool {
        for a in axes {
            guard a.pieces != nil else { continue }
            if a.firstCommon(i, j) == nil { return true }
        }
        return false
    }

    /// An example both rows match ("employees = 10, industry = \"Retail\""), nil when
    /// none can be proven.
    private func common(_ i: Int, _ j: Int) -> String? {
        var parts: [String] = []
        for (k, a) in axes.enumerated() {
            if a.pieces != nil {
                guard let p = a.firstCommon(i, j) else { return nil }
                parts.append(example(k, p))
            } else if a.keys[i] != nil || a.keys[j] != nil {
                return nil
            }
        }
        return parts.isEmpty ? "every customer" : parts.joined(separator: ", ")
    }

    enum RowFinding {
        case empty(Int)
        case shadowed(Int, by: [Int])
    }

    /// Rows no customer can reach under first-hit order. The second value is true when
    /// the analysis stopped at the cap.
    func unreachable() -> ([RowFinding], Bool) {
        var out: [RowFinding] = []
        var budget = Self.maxCombinations
        let exact = axes.indices.filter { axes[$0].pieces != nil }
        for j in table.rows.indices {
            let region = exact.map { k in axes[k].pieces.map { ps in ps.indices.filter { axes[k].matches[j][$0] } } ?? [] }
            if region.contains(where: \.isEmpty) { out.append(.empty(j)); continue }
            let candidates = (0..<j).filter { i in axes.allSatisfy { $0.pieces != nil || $0.keys[i] == nil || $0.keys[i] == $0.keys[j] } }
            if candidates.isEmpty { continue }
            var size = 1
            for r in region {
                let (m, o) = size.multipliedReportingOverflow(by: r.count)
                size = o ? Int.max : m
                if size > budget { break }
            }
            guard size <= budget else { return (out, true) }
            budget -= size
            var used: Set<Int> = []
            var covered = true
            forEachPoint(region) { point in
                guard let i = candidates.first(where: { i in zip(exact, point).allSatisfy { axes[$0.0].matches[i][$0.1] } }) else { covered = false; return false }
                used.insert(i)
                return true
            }
            if covered { out.append(.shadowed(j, by: used.sorted())) }
        }
        return (out, false)
    }

    /// Input combinations no row covers (descriptions), how many there are, and whether
    /// the analysis was skipped at the cap.
    func gaps(limit: Int = 3) -> ([String], Int, Bool) {
        let exact = axes.indices.filter { axes[$0].pieces != nil }
        var size = 1
        for k in exact {
            let (m, o) = size.multipliedReportingOverflow(by: axes[k].pieces?.count ?? 1)
            size = o ? Int.max : m
            if size > Self.maxCombinations { return ([], 0, true) }
        }
        let region = exact.map { k in Array(axes[k].pieces?.indices ?? 0..<0) }
        var points: [[Int?]] = []
        forEachPoint(region) { point in
            let hit = table.rows.indices.contains { i in zip(exact, point).allSatisfy { axes[$0.0].matches[i][$0.1] } }
            if !hit { points.append(point.map { $0 }) }
            return true
        }
        // An input every piece of which is a gap (the others fixed) is left out: "any".
        for (a, k) in exact.enumerated() {
            let all = axes[k].pieces?.count ?? 0
            var groups: [[Int?]: Set<Int>] = [:]
            var order: [[Int?]] = []
            for p in points {
                var key = p
                key[a] = nil
                if groups[key] == nil { order.append(key) }
                if let v = p[a] { groups[key, default: []].insert(v) } else { groups[key, default: []].formUnion(0..<all) }
            }
            var merged: [[Int?]] = []
            for key in order {
                let vs = groups[key] ?? []
                if vs.count == all { merged.append(key) } else {
                    for v in vs.sorted() { var p = key; p[a] = v; merged.append(p) }
                }
            }
            points = merged
        }
        let found = points.prefix(limit).map { point -> String in
            let parts = zip(exact, point).compactMap { k, p in p.flatMap { describe(k, $0) } }
            return parts.isEmpty ? "any customer" : parts.joined(separator: ", ")
        }
        return (Array(found), points.count, false)
    }

    /// Calls `body` with every combination (one piece per axis) until it returns false.
    private func forEachPoint(_ region: [[Int]], _ body: ([Int]) -> Bool) {
        if region.contains(where: \.isEmpty) { return }
        var index = [Int](repeating: 0, count: region.count)
        while true {
            if !body(zip(region, index).map { $0.0[$0.1] }) { return }
            var k = region.count - 1
            while k >= 0 {
                index[k] += 1
                if index[k] < region[k].count { break }
                index[k] = 0
                k -= 1
            }
            if k < 0 { return }
        }
    }

    // MARK: Words

    private func format(_ k: Int, _ v: Int64) -> String {
        guard let n = numeric[k] else { return "\(v)" }
        if n.isDate { return Day(number: Int32(clamping: v)).description }
        return Decimal64.format(v / n.step, scale: n.scale)
    }

    /// "employees = 10": a value of piece `p` of axis `k`.
    private func example(_ k: Int, _ p: Int) -> String {
        let name = axes[k].name
        switch axes[k].pieces?[p] {
        case .interval(let lo, let hi)?:
            let n = numeric[k]
            return "\(name) = " + format(k, lo == (n?.lo ?? lo) && lo == -Int64.max ? hi : lo)
        case .text(let t)?: return "\(name) = \(Value.string(t).literal)"
        case .otherText?: return "\(name) = a text no cell names"
        case .boolean(let b)?: return "\(name) = \(b)"
        case .null?: return "\(name) = null"
        case nil: return name
        }
    }

    /// "employees >= 250": piece `p` of axis `k` as a test; nil when it is the whole axis.
    private func describe(_ k: Int, _ p: Int) -> String? {
        let name = axes[k].name
        switch axes[k].pieces?[p] {
        case .interval(let lo, let hi)?:
            guard let n = numeric[k] else { return nil }
            let atLow = lo <= n.lo, atHigh = hi >= n.hi
            if atLow && atHigh { return (axes[k].pieces?.count ?? 0) > 1 ? "\(name) != null" : nil }
            if lo == hi { return "\(name) = \(format(k, lo))" }
            if atLow { return "\(name) <= \(format(k, hi))" }
            if atHigh { return "\(name) >= \(format(k, lo))" }
            return "\(name) in [\(format(k, lo))..\(format(k, hi))]"
        case .text(let t)?: return "\(name) = \(Value.string(t).literal)"
        case .otherText(let listed)?: return "\(name) not in [" + listed.map { Value.string($0).literal }.joined(separator: ", ") + "]"
        case .boolean(let b)?: return "\(name) = \(b)"
        case .null?: return "\(name) = null"
        case nil: return nil
        }
    }

    // MARK: Axes

    private static let scale = 6

    private static func exactAxis(_ field: String, _ typed: TypedExpr, _ k: Int, _ table: DecisionTable) -> (Axis, (lo: Int64, hi: Int64, step: Int64, scale: Int, isDate: Bool)?)? {
        let rows = table.rows
        let nullable = typed.nullable
        func nullMatch(_ t: CellTest) -> Bool { t == .any || t == .null(true) }
        switch typed.type {
        case .number, .date:
            let isDate = typed.type == .date
            var fieldScale = 0
            if case .number(let s) = typed.type { fieldScale = s }
            guard fieldScale <= scale else { return nil }
            let step = isDate ? 1 : Decimal64.power(scale - fieldScale)
            let domain = isDate ? (Int64(Int32.min) + 1)...Int64(Int32.max) : (StaticAnalysis.domains[field] ?? (-Int64.max)...Int64.max)
            func value(_ v: Value) -> Int64? {
                switch v {
                case .number(let x, let s):
                    guard !isDate, s <= scale else { return nil }
                    let (r, o) = x.multipliedReportingOverflow(by: Decimal64.power(scale - s))
                    return o || r == Int64.min ? nil : r
                case .date(let d): return isDate ? Int64(d.number) : nil
                default: return nil
                }
            }
            func floorTo(_ x: Int64) -> Int64? {
                let q = x / step
                let (r, o) = (x % step != 0 && x < 0 ? q - 1 : q).multipliedReportingOverflow(by: step)
                return o ? nil : r
            }
            func ceilTo(_ x: Int64) -> Int64? {
                let q = x / step
                let (r, o) = (x % step != 0 && x > 0 ? q + 1 : q).multipliedReportingOverflow(by: step)
                return o ? nil : r
            }
            let lo0 = ceilTo(domain.lowerBound) ?? domain.lowerBound, hi0 = floorTo(domain.upperBound) ?? domain.upperBound
            func clip(_ a: Int64, _ b: Int64) -> [ClosedRange<Int64>] {
                let a = max(a, lo0), b = min(b, hi0)
                return a <= b ? [a...b] : []
            }
            func compare(_ op: BinaryOperator, _ c: Int64) -> [ClosedRange<Int64>]? {
                switch op {
                case .less: guard let h = floorTo(c &- 1) else { return nil }; return c == -Int64.max ? [] : clip(lo0, h)
                case .lessEqual: guard let h = floorTo(c) else { return nil }; return clip(lo0, h)
                case .greater: guard let l = ceilTo(c == Int64.max ? c : c + 1) else { return nil }; return c == Int64.max ? [] : clip(l, hi0)
                case .greaterEqual: guard let l = ceilTo(c) else { return nil }; return clip(l, hi0)
                case .equal: return c % step == 0 ? clip(c, c) : []
                case .notEqual: return c % step == 0 ? clip(lo0, c &- 1) + clip(c &+ 1, hi0) : clip(lo0, hi0)
                default: return nil
                }
            }
            func complement(_ rs: [ClosedRange<Int64>]) -> [ClosedRange<Int64>] {
                var out: [ClosedRange<Int64>] = []
                var from = lo0
                for r in rs.sorted(by: { $0.lowerBound < $1.lowerBound }) {
                    if r.lowerBound > from { out += clip(from, r.lowerBound - 1) }
                    if r.upperBound >= hi0 { return out }
                    from = max(from, r.upperBound + 1)
                }
                return out + clip(from, hi0)
            }
            func intersect(_ a: [ClosedRange<Int64>], _ b: [ClosedRange<Int64>]) -> [ClosedRange<Int64>] {
                var out: [ClosedRange<Int64>] = []
                for x in a { for y in b { out += clip(max(x.lowerBound, y.lowerBound), min(x.upperBound, y.upperBound)) } }
                return out
            }
            var sets: [[ClosedRange<Int64>]] = []
            for row in rows {
                let vs = row.values[k]
                var s: [ClosedRange<Int64>]
                switch row.tests[k] {
                case .any: s = clip(lo0, hi0)
                case .null(let isNull): s = isNull ? [] : clip(lo0, hi0)
                case .compare(let op, _, _):
                    guard vs.count == 1, let c = value(vs[0]), let r = compare(op, c) else { return nil }
                    s = r
                case .range(_, let lc, _, let hc, _, _):
                    guard vs.count == 2, let a = value(vs[0]), let b = value(vs[1]),
                          let x = compare(lc ? .greaterEqual : .greater, a), let y = compare(hc ? .lessEqual : .less, b) else { return nil }
                    s = intersect(x, y)
                case .oneOf(_, let negated):
                    var u: [ClosedRange<Int64>] = []
                    for v in vs {
                        guard let c = value(v) else { return nil }
                        if c % step == 0 { u += clip(c, c) }
                    }
                    s = negated ? complement(u) : u
                }
                sets.append(s)
            }
            // Elementary pieces: every interval start, and just after every end.
            var starts: Set<Int64> = [lo0]
            for s in sets { for r in s { starts.insert(r.lowerBound); if r.upperBound <= hi0 - step { starts.insert(r.upperBound + step) } } }
            let sorted = starts.sorted()
            var pieces: [Piece] = []
            for (n, a) in sorted.enumerated() where a <= hi0 {
                let b = n + 1 < sorted.count ? sorted[n + 1] - step : hi0
                pieces.append(.interval(a, min(b, hi0)))
            }
            var matches = sets.map { s in pieces.map { p -> Bool in
                guard case .interval(let a, _) = p else { return false }
                return s.contains { $0.contains(a) }
            } }
            if nullable {
                pieces.append(.null)
                for (r, row) in rows.enumerated() { matches[r].append(nullMatch(row.tests[k])) }
            }
            return (Axis(name: field, pieces: pieces, matches: matches, keys: []), (lo0, hi0, step, fieldScale, isDate))
        case .string, .boolean:
            let isText = typed.type == .string
            var listed: [String] = []
            func key(_ v: Value) -> String? {
                switch v {
                case .string(let s) where isText: return s
                case .boolean(let b) where !isText: return b ? "true" : "false"
                default: return nil
                }
            }
            var rowValues: [(Set<String>, Bool)?] = []  // (values, negated); nil for any/null tests
            for row in rows {
                switch row.tests[k] {
                case .any, .null: rowValues.append(nil)
                case .compare(let op, _, _) where op == .equal || op == .notEqual:
                    guard let v = row.values[k].first.flatMap(key) else { return nil }
                    rowValues.append(([v], op == .notEqual))
                    if !listed.contains(v) { listed.append(v) }
                case .oneOf(_, let negated):
                    var s: Set<String> = []
                    for v in row.values[k] {
                        guard let t = key(v) else { return nil }
                        s.insert(t)
                        if !listed.contains(t) { listed.append(t) }
                    }
                    rowValues.append((s, negated))
                default: return nil
                }
            }
            var pieces: [Piece] = []
            if isText {
                listed.sort(by: ExactText.less)
                pieces = listed.map(Piece.text) + [.otherText(listed)]
            } else {
                pieces = [.boolean(false), .boolean(true)]
            }
            if nullable { pieces.append(.null) }
            var matches: [[Bool]] = []
            for (r, row) in rows.enumerated() {
                matches.append(pieces.map { p in
                    let t = row.tests[k]
                    switch p {
                    case .null: return nullMatch(t)
                    default: break
                    }
                    let value: String?
                    switch p {
                    case .text(let v): value = v
                    case .boolean(let b): value = b ? "true" : "false"
                    default: value = nil
                    }
                    if t == .any { return true }
                    if t == .null(false) { return true }
                    if t == .null(true) { return false }
                    guard let (set, negated) = rowValues[r] else { return false }
                    let inSet = value.map(set.contains) ?? false
                    return negated ? !inSet : inSet
                })
            }
            return (Axis(name: field, pieces: pieces, matches: matches, keys: []), nil)
        default:
            return nil
        }
    }
}
