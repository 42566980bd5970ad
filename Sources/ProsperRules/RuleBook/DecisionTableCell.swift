/// One written cell of a decision table: its text, its file, and where every byte of
/// the text was written (also inside a CSV file), so a problem in a cell points into it.
struct TableCell: Sendable {
    let text: String
    let file: String
    /// `locations[i]` is where byte `i` of `text` was written; one extra entry marks the end.
    let locations: [SourceLocation]

    init(text: String, file: String, locations: [SourceLocation]) {
        self.text = text
        self.file = file
        let n = text.utf8.count + 1
        if locations.count >= n {
            self.locations = Array(locations.prefix(n))
        } else {
            let fill = locations.last ?? SourceLocation(line: 1, column: 1)
            self.locations = locations + Array(repeating: fill, count: n - locations.count)
        }
    }

    /// A cell read from a YAML scalar.
    init(scalar: YAMLScalar, file: String) {
        let n = scalar.value.utf8.count
        self.init(text: scalar.value, file: file, locations: (0...n).map { scalar.location(atUTF8Offset: $0) })
    }

    /// The location of byte `offset` (clamped).
    func location(_ offset: Int) -> SourceLocation { locations[min(max(offset, 0), locations.count - 1)] }

    /// The file range of bytes `from ..< to`.
    func range(_ from: Int, _ to: Int) -> SourceRange {
        let s = location(from)
        guard to > from else { return SourceRange(at: s) }
        return SourceRange(start: s, end: location(to - 1).advanced(by: 1))
    }

    /// The whole cell (its first byte when empty).
    var wholeRange: SourceRange { range(0, text.utf8.count) }
}

/// A cell's unary test (DMN-like), with the byte spans of its literals inside the cell.
enum CellTest: Equatable, Sendable {
    /// A byte range of the cell's text.
    struct Part: Equatable, Sendable {
        let start: Int, end: Int
    }
    /// `-`: any value, also null.
    case any
    /// `null` (true) or `not(null)` (false).
    case null(Bool)
    /// `< x`, `<= x`, `> x`, `>= x`, `== x`, `!= x`; `op` spans the operator.
    case compare(BinaryOperator, op: Part, Part)
    /// `[a..b]`, `(a..b]`, `[a..b)`, `(a..b)`.
    case range(low: Part, lowClosed: Bool, high: Part, highClosed: Bool, open: Part, close: Part)
    /// `x` or `x, y, …` (any of), or `not(x, y, …)`.
    case oneOf([Part], negated: Bool)
}

/// Reads the text of a cell into a `CellTest`. Literals are left as text (the
/// expression parser and checker read them); only the shape is read here.
enum CellParser {
    /// A problem with a byte range of the cell.
    struct Problem: Error, Equatable {
        let start: Int, end: Int
        let reason: String
    }

    static func parse(_ text: String) -> Result<CellTest, Problem> {
        let b = Array(text.utf8)
        var lo = 0, hi = b.count
        while lo < hi, b[lo] == 32 || b[lo] == 9 { lo += 1 }
        while hi > lo, b[hi - 1] == 32 || b[hi - 1] == 9 { hi -= 1 }
        if lo == hi { return .failure(Problem(start: 0, end: b.count, reason: "the cell is empty; write - for any value")) }
        let t = String(decoding: b[lo..<hi], as: UTF8.self)
        if t == "-" { return .success(.any) }
        if t == "null" { return .success(.null(true)) }
        // not( … )
        if hasPrefix(b, lo, hi, "not"), let open = skipSpaces(b, lo + 3, hi), open < hi, b[open] == UInt8(ascii: "(") {
            guard b[hi - 1] == UInt8(ascii: ")"), hi - 1 > open else {
                return .failure(Problem(start: open, end: hi, reason: "'not(' needs a closing ')'"))
            }
            let inner = trimmed(b, open + 1, hi - 1)
            if inner.0 == inner.1 { return .failure(Problem(start: open, end: hi, reason: "'not()' needs at least one value")) }
            if String(decoding: b[inner.0..<inner.1], as: UTF8.self) == "null" { return .success(.null(false)) }
            return list(b, inner.0, inner.1).map { .oneOf($0, negated: true) }
        }
        // Comparison operators.
        for (spelling, op) in [("<=", BinaryOperator.lessEqual), (">=", .greaterEqual), ("==", .equal), ("!=", .notEqual), ("<", .less), (">", .greater)] where hasPrefix(b, lo, hi, spelling) {
            let opPart = CellTest.Part(start: lo, end: lo + spelling.utf8.count)
            let v = trimmed(b, opPart.end, hi)
            guard v.0 < v.1 else { return .failure(Problem(start: lo, end: hi, reason: "'\(spelling)' needs a value after it")) }
            if let comma = topLevel(b, v.0, v.1, UInt8(ascii: ",")) {
                return .failure(Problem(start: comma, end: comma + 1, reason: "a comparison takes one value; for any of several values write them without '\(spelling)'"))
            }
            return .success(.compare(op, op: opPart, CellTest.Part(start: v.0, end: v.1)))
        }
        // Ranges.
        if b[lo] == UInt8(ascii: "[") || b[lo] == UInt8(ascii: "(") {
            let last = b[hi - 1]
            guard last == UInt8(ascii: "]") || last == UInt8(ascii: ")"), hi - lo >= 2 else {
                return .failure(Problem(start: lo, end: hi, reason: "a range is written [low..high], with ( or ) for an open end"))
            }
            guard let dots = topLevelDots(b, lo + 1, hi - 1) else {
                return .failure(Problem(start: lo, end: hi, reason: "a range needs '..' between its two ends, e.g. [10..49]"))
            }
            let l = trimmed(b, lo + 1, dots), h = trimmed(b, dots + 2, hi - 1)
            guard l.0 < l.1 else { return .failure(Problem(start: lo, end: dots + 2, reason: "the range has no low end")) }
            guard h.0 < h.1 else { return .failure(Problem(start: dots, end: hi, reason: "the range has no high end")) }
            return .success(.range(low: .init(start: l.0, end: l.1), lowClosed: b[lo] == UInt8(ascii: "["),
                                   high: .init(start: h.0, end: h.1), highClosed: last == UInt8(ascii: "]"),
                                   open: .init(start: lo, end: lo + 1), close: .init(start: hi - 1, end: hi)))
        }
        if b[lo] == UInt8(ascii: "=") {
            return .failure(Problem(start: lo, end: lo + 1, reason: "'=' is not a test; write == x, or the value alone"))
        }
        return list(b, lo, hi).map { .oneOf($0, negated: false) }
    }

    /// Comma-separated values (outside quotes and parentheses).
    private static func list(_ b: [UInt8], _ lo: Int, _ hi: Int) -> Result<[CellTest.Part], Problem> {
        var parts: [CellTest.Part] = []
        var start = lo
        while true {
            let end = topLevel(b, start, hi, UInt8(ascii: ",")) ?? hi
            let v = trimmed(b, start, end)
            guard v.0 < v.1 else { return .failure(Problem(start: start, end: min(end + 1, hi), reason: "an empty value in a list of values")) }
            parts.append(.init(start: v.0, end: v.1))
            if end >= hi { break }
            start = end + 1
        }
        return .success(parts)
    }

    private static func hasPrefix(_ b: [UInt8], _ lo: Int, _ hi: Int, _ s: String) -> Bool {
        let p = Array(s.utf8)
        return hi - lo >= p.count && Array(b[lo..<(lo + p.count)]) == p
    }

    private static func skipSpaces(_ b: [UInt8], _ i: Int, _ hi: Int) -> Int? {
        var i = i
        while i < hi, b[i] == 32 || b[i] == 9 { i += 1 }
        return i < hi ? i : nil
    }

    private static func trimmed(_ b: [UInt8], _ lo: Int, _ hi: Int) -> (Int, Int) {
        var lo = lo, hi = hi
        while lo < hi, b[lo] == 32 || b[lo] == 9 { lo += 1 }
        while hi > lo, b[hi - 1] == 32 || b[hi - 1] == 9 { hi -= 1 }
        return (lo, hi)
    }

    /// The first `c` outside quotes and parentheses in `lo..<hi`.
    private static func topLevel(_ b: [UInt8], _ lo: Int, _ hi: Int, _ c: UInt8) -> Int? {
        var quote: UInt8 = 0, depth = 0, i = lo
        while i < hi {
            let x = b[i]
            if quote != 0 {
                if x == UInt8(ascii: "\\") { i += 1 } else if x == quote { quote = 0 }
            } else if x == UInt8(ascii: "\"") || x == UInt8(ascii: "'") {
                quote = x
            } else if x == UInt8(ascii: "(") || x == UInt8(ascii: "[") {
                depth += 1
            } else if x == UInt8(ascii: ")") || x == UInt8(ascii: "]") {
                depth -= 1
            } else if x == c, depth == 0 {
                return i
            }
            i += 1
        }
        return nil
    }

    /// The first `..` outside quotes and parentheses.
    private static func topLevelDots(_ b: [UInt8], _ lo: Int, _ hi: Int) -> Int? {
        var from = lo
        while let i = topLevel(b, from, hi, UInt8(ascii: ".")) {
            if i + 1 < hi, b[i + 1] == UInt8(ascii: ".") { return i }
            from = i + 1
        }
        return nil
    }
}
