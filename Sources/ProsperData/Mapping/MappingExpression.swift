import ProsperModel
import ProsperRules

/// The source file's columns as a mapping's expressions see them: each header turned
/// into a name (`ColumnName.expressionName`), and each column's type, found by reading
/// the whole file once, only when the mapping has an expression.
final class SourceColumns {
    let header: [String]
    /// Expression name → the columns (indices) that give it; two or more is a clash.
    let byName: [String: [Int]]
    private let typer: () -> SourceTyping
    private var cached: SourceTyping?

    init(header: [String], typer: @escaping () -> SourceTyping = { SourceTyping() }) {
        self.header = header
        self.typer = typer
        var byName: [String: [Int]] = [:]
        for (i, h) in header.enumerated() {
            let n = ColumnName.expressionName(h)
            if !n.isEmpty { byName[n, default: []].append(i) }
        }
        self.byName = byName
    }

    /// The type of every column (text when the typing pass did not reach it).
    var typing: SourceTyping {
        if let cached { return cached }
        let t = typer()
        cached = t
        return t
    }

    func type(_ index: Int) -> SourceColumnType {
        let t = typing.types
        return index < t.count ? t[index] : .text
    }
}

/// What the typing pass found: each column's type, and for a text column the first
/// cell that is not a number (to say why).
struct SourceTyping {
    var types: [SourceColumnType] = []
    var firstText: [Int: (line: Int, text: String)] = [:]
}

/// The type of a source column in expressions: a number when every non-blank cell of it
/// is a decimal with at most 6 places (the scale is the most places found), else text.
enum SourceColumnType: Equatable, Sendable {
    case number(scale: Int)
    case text

    var valueType: ValueType {
        switch self {
        case .number(let s): .number(scale: s)
        case .text: .string
        }
    }

    /// The value of one cell of a column of this type (blank is null); nil when the cell
    /// does not fit the type.
    func value(_ cell: String) -> Value? {
        let t = cell.trimmingASCIIWhitespace()
        if t.isEmpty { return .null }
        switch self {
        case .text: return .string(t)
        case .number(let scale):
            guard let (v, places) = SourceColumnType.decimal(t), places <= scale else { return nil }
            return .number(v / Decimal64.power(6 - scale), scale: scale)
        }
    }

    /// `t` as a decimal at scale 6 and its number of decimal places, when it is one.
    static func decimal(_ t: String) -> (Int64, Int)? {
        var bytes = Array(t.utf8)
        guard case .success(let v) = bytes.withUnsafeMutableBufferPointer({ FieldParsers.decimal(UnsafeBufferPointer($0), maxDecimals: 6, allowNegative: true) }) else {
            return nil
        }
        let places = bytes.lastIndex(of: UInt8(ascii: ".")).map { bytes.count - $0 - 1 } ?? 0
        return (v, places)
    }

    /// Types every column of `path` by reading it once (rows that cannot be read are
    /// skipped: the mapping pass rejects them).
    static func typeColumns(path: String, file: String, count: Int, chunkSize: Int) -> SourceTyping {
        var scales = [Int?](repeating: 0, count: count)
        var firstText: [Int: (line: Int, text: String)] = [:]
        do {
            let stream = try CSVRecordStream(path: path, chunkSize: chunkSize)
            _ = stream.readHeader(file: file)
            try stream.forEachRecord(file: file) { row in
                guard case .record(let cells, _, let line, _) = row else { return }
                for (i, cell) in cells.enumerated() where i < count {
                    guard let s = scales[i] else { continue }
                    let t = cell.trimmingASCIIWhitespace()
                    if t.isEmpty { continue }
                    if let (_, places) = decimal(t) { scales[i] = max(s, places) } else { scales[i] = nil; firstText[i] = (line, t) }
                }
            }
        } catch {
            // The mapping pass reads the file again and reports why it cannot.
        }
        return SourceTyping(types: scales.map { $0.map { .number(scale: $0) } ?? .text }, firstText: firstText)
    }
}

/// What a mapped value must become, so that an expression's type can be checked
/// before any row is read.
enum ExpressionTarget: Sendable {
    /// Exact to the cent (prices, `convert: money`, `type: number`).
    case money
    /// A whole number.
    case integer
    case boolean
    case date
    /// Anything one value can be (text, a custom attribute without `type:`).
    case any

    var description: String {
        switch self {
        case .money: "an amount exact to the cent"
        case .integer: "a whole number"
        case .boolean: "true/false"
        case .date: "a date"
        case .any: "one value"
        }
    }
}

/// A checked mapping expression and the source columns it reads.
struct MappedExpression: Sendable {
    let expression: RowExpression
    /// Every column it reads: its header, index, type and name in the expression.
    let columns: [(name: String, index: Int, type: SourceColumnType, key: String)]
    /// The mapping file as messages show it.
    let file: String

    /// The first column it reads (for the position of a row's problem).
    var firstColumn: Int? { columns.first?.index }

    /// The value for one row, as the text a column cell would hold (nil = null).
    func evaluate(cells: [String], asOf: Day?) -> Result<String?, MappingProblem> {
        var values: [String: Value] = [:]
        for c in columns {
            let cell = c.index < cells.count ? cells[c.index] : ""
            guard let v = c.type.value(cell) else {
                return .failure(MappingProblem("cannot read \(quoted(cell.trimmingASCIIWhitespace())) of column \(ColumnName.shown(c.name)) as a number (the other rows make it one) in the expression at \(at(expression.source.range(Span(0, 0))))"))
            }
            values[c.key] = v
        }
        switch expression.evaluate(values, asOf: asOf) {
        case .success(let v): return .success(Self.text(v))
        case .failure(let fault):
            let read = columns.map { "\($0.key) = \(values[$0.key].map { $0 == .null ? "blank" : $0.description } ?? "blank")" }
            return .failure(MappingProblem("\(fault.kind.rawValue) in the expression at \(at(expression.source.range(fault.span))) (\(read.joined(separator: ", ")))"))
        }
    }

    private func at(_ range: SourceRange) -> String { "\(file):\(range.start.line):\(range.start.column)" }

    /// A value as cell text: numbers plain (`3.84`, `46.035`), dates ISO.
    static func text(_ v: Value) -> String? {
        switch v {
        case .null: return nil
        case .number(let n, let s): return Decimal64.format(n, scale: s)
        case .string(let s): return s
        case .boolean(let b): return b ? "true" : "false"
        case .date(let d): return d.description
        case .list: return nil
        }
    }
}

extension MappingFile {
    /// How a plain `value:` scalar is read: fixed text or an expression.
    enum ScalarReading {
        case fixed
        case expression(Expr)
        /// Looks like an expression but does not parse: the parse problems.
        case broken([Diagnostic])
    }

    /// A quoted, block or null value, a date, a number, `true`/`false`, or a single word
    /// is fixed; plain text that parses as an expression is one; plain text that does
    /// not parse is fixed unless it holds `(`, `)` or an operator character.
    static func reading(_ s: YAMLScalar, file: String) -> ScalarReading {
        guard s.style == .plain, !s.isNull else { return .fixed }
        let t = s.value.trimmingASCIIWhitespace()
        if Day(iso: t) != nil || SourceColumnType.decimal(t) != nil { return .fixed }
        let (expr, problems) = RowExpression.parse(s, file: file)
        if let expr {
            switch expr.kind {
            case .name, .number, .boolean, .null, .string: return .fixed
            default: return .expression(expr)
            }
        }
        if t.contains(where: { "()+-*/%<>=!".contains($0) }) { return .broken(problems) }
        return .fixed
    }

    /// Checks an expression written in `node` for the rule `what` that must give `target`;
    /// nil after reporting. `implicit` is true for a plain `value:` (the hint says how to
    /// write a fixed text instead).
    static func checkExpression(_ expr: Expr, _ node: YAMLNode, _ what: String, target: ExpressionTarget, implicit: Bool,
                                columns: SourceColumns, reader r: inout YAMLReader) -> MappedExpression? {
        guard let scalar = node.scalar else { return nil }
        let hint = implicit ? "; to give a fixed text, quote it: \"\(scalar.value)\"" : ""
        let before = r.diagnostics.count
        var used: [(name: String, index: Int, type: SourceColumnType, key: String)] = []
        var types: [String: ValueType] = [:]
        for (name, span) in RowExpression.names(in: expr) where name != "as_of" {
            let range = ExpressionSourceRange.of(scalar, span)
            guard let indices = columns.byName[name] else { continue }  // the checker reports it, with a did-you-mean
            if indices.count > 1 {
                let shown = indices.map { ColumnName.shown(columns.header[$0]) }.joined(separator: " and ")
                r.append(Diagnostic(file: r.file, range: range, .mappingAmbiguousColumn(name, columns: shown)))
                continue
            }
            guard let i = indices.first else { continue }
            let type = columns.type(i)
            used.append((columns.header[i], i, type, name))
            types[name] = type.valueType
        }
        if r.diagnostics.count > before { return nil }
        // Plain words with a dash or slash (`Pay-as-you-go`, `N/A`, a band `5-10`) parse, but
        // read no column: they were meant as a fixed text (`expression:` computes a constant).
        if implicit, used.isEmpty, !RowExpression.names(in: expr).contains(where: { $0.name == "as_of" }) {
            r.append(Diagnostic(file: r.file, range: node.range, .mappingNamesNoColumn(what, text: scalar.value, hint: hint)))
            return nil
        }
        // Every other column name is known too, so that a misspelling gets a did-you-mean.
        for (name, indices) in columns.byName where types[name] == nil && indices.count == 1 && name != "as_of" {
            if let i = indices.first { types[name] = columns.type(i).valueType }
        }
        let (checked, problems) = RowExpression.check(expr, scalar: scalar, file: r.file, types: types)
        // A type error on a text column says which cell made it text.
        let textNote = used.filter { $0.type == .text }.compactMap { c -> String? in
            guard let (line, text) = columns.typing.firstText[c.index] else { return nil }
            return "'\(ColumnName.expressionName(c.name))' is text: column \(ColumnName.shown(c.name)) has \(quoted(String(text.prefix(40)))) on line \(line)"
        }.joined(separator: "; ")
        for var d in problems {
            if d.code == "unknown-name", !hint.isEmpty {
                d = Diagnostic(file: d.file, range: d.range, severity: d.severity, code: d.code, message: d.message + hint)
            } else if d.code == "type-mismatch", !textNote.isEmpty, d.severity == .error {
                d = Diagnostic(file: d.file, range: d.range, severity: d.severity, code: d.code, message: d.message + " (\(textNote))")
            }
            r.append(d)
        }
        guard let checked else { return nil }
        let type = checked.typed.type
        let whole = ExpressionSourceRange.of(scalar, Span(0, scalar.value.utf8.count))
        func wrong(_ message: String) -> MappedExpression? {
            let note = type == .string && !textNote.isEmpty ? " (\(textNote))" : ""
            r.append(Diagnostic(file: r.file, range: whole, .mappingExpressionType(what, message + note)))
            return nil
        }
        if case .list = type { return wrong("the expression gives \(type), not one value") }
        switch (target, type) {
        case (_, .null), (.any, _): break
        case (.money, .number(let s)) where s > 2:
            return wrong("the expression gives a number with up to \(s) decimal places, and money is exact to the cent; round it: round(\(scalar.value), 2)")
        case (.integer, .number(let s)) where s > 0:
            return wrong("the expression gives a number with up to \(s) decimal places, and this field is a whole number; round it: round(\(scalar.value))")
        case (.money, .number), (.integer, .number), (.boolean, .boolean), (.date, .date), (.date, .string): break
        case (.boolean, _):
            return wrong("the expression gives \(type.description), and this field is true/false; compare instead, e.g. (\(scalar.value)) == 1")
        default:
            return wrong("the expression gives \(type.description), and this field needs \(target.description)")
        }
        return MappedExpression(expression: checked, columns: used, file: DataSource.displayName(r.file))
    }
}

/// File ranges of spans inside a YAML scalar.
enum ExpressionSourceRange {
    static func of(_ scalar: YAMLScalar, _ span: Span) -> SourceRange { scalar.range(fromUTF8: span.start, to: span.end) }
}
