import ProsperModel

/// How the rows of a decision table combine.
enum HitPolicy: String, CaseIterable, Sendable {
    /// The first matching row in file order.
    case first
    /// At most one row may match any customer (checked); runs as `first`.
    case unique
    /// Rows ordered by their first output's place in `priority:`, then as `first`.
    case priority
    /// Every matching row.
    case collect
}

/// A `table:` read and checked: each row's cells turned into one condition written in
/// the rule language (`employees >= 10 and employees <= 49 and industry in ["Retail"]`)
/// whose every byte points back into its cell, so the rule kinds run tables with the
/// machinery they already have (kernels, explain, test coverage, SQL).
struct DecisionTable {
    struct Row {
        /// 1-based, as written (also under `priority`).
        let number: Int
        let condition: CheckedCondition
        /// The output cells, in `outputs:` order.
        let outputs: [TableCell]
        /// Where the row is: its first cell.
        let range: SourceRange
        let tests: [CellTest]
        let cells: [TableCell]
        /// The value of every literal of every input cell (`tests` order).
        let values: [[Value]]
        /// The condition's text and the location of each byte (for combining rows).
        let generated: GeneratedText
    }
    let hit: HitPolicy
    let outputs: [String]
    /// In effective order (sorted under `priority`).
    let rows: [Row]
    let inputs: [CheckedExpression]
    /// The file the rows are written in (the rule file, or the `rows_file:` CSV).
    let rowsFile: String
    /// Where `table:` is.
    let range: SourceRange
    /// Where `hit:` is (the table when not written).
    let hitRange: SourceRange
    /// The rule file, and where its `rows_file:` is (nil for inline rows).
    let ruleFile: String
    let rowsFileRange: SourceRange?

    /// `range` when the rows are in the rule file; else where `rows_file:` names them:
    /// for what reports place in the rule file (a rule's name, its offer).
    func inRuleFile(_ range: SourceRange) -> SourceRange { rowsFileRange ?? range }

    /// The index of output column `name`.
    func column(_ name: String) -> Int? { outputs.firstIndex(of: name) }
}

/// Text of a generated condition with the source location of every byte.
struct GeneratedText {
    var bytes: [UInt8] = []
    var locations: [SourceLocation] = []

    mutating func append(_ s: String, at l: SourceLocation) {
        for b in s.utf8 { bytes.append(b); locations.append(l) }
    }

    mutating func append(_ cell: TableCell, _ part: CellTest.Part) {
        let b = Array(cell.text.utf8)
        for i in part.start..<min(part.end, b.count) { bytes.append(b[i]); locations.append(cell.location(i)) }
    }

    mutating func append(_ other: GeneratedText) {
        bytes += other.bytes
        locations += other.locations
    }

    var text: String { String(decoding: bytes, as: UTF8.self) }

    /// A scalar standing for this text, so `ExpressionSource` maps spans into the cells.
    func scalar(fallback: SourceLocation) -> YAMLScalar {
        YAMLScalar(value: text, style: .plain, locations: locations + [locations.last ?? fallback], fallback: fallback)
    }
}

/// Reads `table:` for one rule kind and checks it.
struct DecisionTableReader {
    let path: String
    let reader: ExpressionReader
    /// The output columns allowed, and the ones of which at least one is required.
    let allowedOutputs: [String]
    let requiredOutputs: [String]
    /// Hit policies this kind can run.
    let policies: [HitPolicy]
    /// Texts of a `rows_file:` read, for rendering.
    var sources: [String: SourceText] = [:]
    /// Where a `rows_file:` is read from (the loader's ``RuleLoader/files``).
    var files: RuleFileSource = .fileSystem

    static let maxRows = 1000

    mutating func read(_ node: YAMLNode, diagnostics: inout DiagnosticBag) -> DecisionTable? {
        guard let map = MappingReader(node, context: "'table'", file: path, diagnostics: &diagnostics) else { return nil }
        map.checkKeys(["inputs", "outputs", "hit", "rows", "rows_file", "priority"], file: path, diagnostics: &diagnostics)
        let errorsBefore = diagnostics.items.filter { $0.severity == .error }.count
        // Inputs: expressions of the rule language.
        var inputs: [CheckedExpression] = []
        var inputsOK = true
        if let list = map.required("inputs", file: path, diagnostics: &diagnostics) {
            if let items = list.items, !items.isEmpty {
                for item in items {
                    if let e = reader.expression(item, diagnostics: &diagnostics) { inputs.append(e) } else { inputsOK = false }
                }
            } else {
                diagnostics.error(path, list.range, .expectedShape("'inputs'", expected: "a list of at least one expression, e.g. [employees, industry]", found: list.shapeDescription))
                inputsOK = false
            }
        } else { inputsOK = false }
        // Outputs.
        var outputs: [String] = []
        if let list = map.required("outputs", file: path, diagnostics: &diagnostics) {
            if let items = list.items, !items.isEmpty {
                for item in items {
                    guard let name = MappingReader.text(item, what: "an output", file: path, diagnostics: &diagnostics) else { continue }
                    if !allowedOutputs.contains(name) {
                        diagnostics.error(path, item.range, .tableUnknownOutput(name, allowed: allowedOutputs, suggestion: Suggestion.phrase(for: name, in: allowedOutputs)))
                    } else if outputs.contains(name) {
                        diagnostics.error(path, item.range, .duplicateDefinition(name, firstLine: list.range.start.line))
                    } else {
                        outputs.append(name)
                    }
                }
                if !requiredOutputs.isEmpty, !outputs.contains(where: requiredOutputs.contains) {
                    diagnostics.error(path, list.range, .tableMissingOutput(requiredOutputs))
                }
            } else {
                diagnostics.error(path, list.range, .expectedShape("'outputs'", expected: "a list of output columns, e.g. [\(allowedOutputs[0])]", found: list.shapeDescription))
            }
        }
        // Hit policy.
        var hit = HitPolicy.first
        if let h = map.value("hit"), let t = MappingReader.text(h, what: "'hit'", file: path, diagnostics: &diagnostics) {
            if let p = HitPolicy(rawValue: t), policies.contains(p) { hit = p } else {
                diagnostics.error(path, h.range, .tableHitPolicy(t, allowed: policies.map(\.rawValue), suggestion: Suggestion.phrase(for: t, in: policies.map(\.rawValue))))
            }
        }
        let priorityNode = map.value("priority")
        if hit == .priority, priorityNode == nil {
            diagnostics.error(path, map.value("hit")?.range ?? node.range, .missingKey("priority", in: "a table with 'hit: priority'"))
        } else if hit != .priority, let p = priorityNode {
            diagnostics.error(path, p.range, .tablePriorityWithoutPolicy)
        }
        // Rows.
        var rawRows: [(number: Int, cells: [TableCell], range: SourceRange)] = []
        var rowsFile = path
        let rowsNode = map.value("rows"), fileNode = map.value("rows_file")
        if rowsNode != nil, let f = fileNode {
            diagnostics.error(path, f.range, .tableRowsTwice)
        } else if let rowsNode {
            guard let items = rowsNode.items, !items.isEmpty else {
                diagnostics.error(path, rowsNode.range, .expectedShape("'rows'", expected: "a list of rows, each a list of cells", found: rowsNode.shapeDescription))
                return nil
            }
            for (k, item) in items.enumerated() {
                guard let cells = item.items else {
                    diagnostics.error(path, item.range, .expectedShape("row \(k + 1)", expected: "a list of cells like [\"< 10\", \"-\", Micro]", found: item.shapeDescription))
                    continue
                }
                var row: [TableCell] = []
                for c in cells {
                    if let s = c.scalar { row.append(TableCell(scalar: s, file: path)) } else {
                        diagnostics.error(path, c.range, .expectedShape("a cell", expected: "a text such as \"[10..49]\" or -", found: c.shapeDescription))
                    }
                }
                if row.count == cells.count { rawRows.append((k + 1, row, item.range)) }
            }
        } else if let fileNode {
            guard let rel = MappingReader.text(fileNode, what: "'rows_file'", file: path, diagnostics: &diagnostics) else { return nil }
            let target = rel.hasPrefix("/") ? rel : FileBytes.join(FileBytes.directory(of: path), rel)
            rowsFile = target
            guard let records = readCSV(target, at: fileNode.range, diagnostics: &diagnostics) else { return nil }
            guard let header = records.first else {
                diagnostics.error(target, nil, .tableCSVEmpty)
                return nil
            }
            let expected = inputs.map(\.source.text) + outputs
            if inputsOK, header.cells.count != expected.count || zip(header.cells, expected).contains(where: { !Self.sameName($0.text, $1) }) {
                let k = Array(zip(header.cells, expected)).firstIndex { !Self.sameName($0.0.text, $0.1) } ?? min(header.cells.count, expected.count)
                let at = k < header.cells.count ? header.cells[k].wholeRange : SourceRange(at: SourceLocation(line: header.line, column: 1))
                diagnostics.error(target, at, .tableCSVHeader(expected: expected, found: header.cells.map { $0.text.tableTrimmed }))
                return nil
            }
            for (k, r) in records.dropFirst().enumerated() {
                rawRows.append((k + 1, r.cells, r.cells.first?.wholeRange ?? SourceRange(at: SourceLocation(line: r.line, column: 1))))
            }
        } else {
            diagnostics.error(path, SourceRange(at: node.range.start), .tableNoRows)
            return nil
        }
        if rawRows.count > Self.maxRows {
            diagnostics.error(path, node.range, .tooManyTableRows(limit: Self.maxRows))
            return nil
        }
        guard inputsOK, diagnostics.items.filter({ $0.severity == .error }).count == errorsBefore else { return nil }
        // Each row: its cells read as tests and the condition checked.
        let width = inputs.count + outputs.count
        var rows: [DecisionTable.Row] = []
        for (number, cells, range) in rawRows {
            let label = "row \(number)"
            guard cells.count == width else {
                diagnostics.error(rowsFile, range, .tableRowWidth(label, cells: cells.count, inputs: inputs.count, outputs: outputs.count))
                continue
            }
            if let row = readRow(number: number, cells: cells, range: range, inputs: inputs, diagnostics: &diagnostics) { rows.append(row) }
        }
        guard rows.count == rawRows.count else { return nil }
        // Output cells.
        for row in rows {
            for (k, name) in outputs.enumerated() {
                let cell = row.outputs[k]
                let t = cell.text.tableTrimmed
                if t.isEmpty || (t == "-" && !["reason", "value", "recommend", "action"].contains(name)) {
                    diagnostics.error(cell.file, cell.wholeRange, .tableOutputCell(name, found: cell.text))
                }
            }
        }
        // Priority: rows ordered by the place of their first output in the list.
        var ordered = rows
        if hit == .priority, let p = priorityNode, let first = outputs.first {
            guard let items = p.items, !items.isEmpty else {
                diagnostics.error(path, p.range, .expectedShape("'priority'", expected: "a list of the values of output '\(first)', most important first", found: p.shapeDescription))
                return nil
            }
            let order = items.compactMap { $0.scalar?.value }
            var missing = false
            for row in rows where !order.contains(Self.outputText(row.outputs[0])) {
                diagnostics.error(row.outputs[0].file, row.outputs[0].wholeRange, .tablePriorityMissing(Self.outputText(row.outputs[0]), output: first))
                missing = true
            }
            if missing { return nil }
            ordered = rows.enumerated().sorted { a, b in
                let x = order.firstIndex(of: Self.outputText(a.element.outputs[0])) ?? 0, y = order.firstIndex(of: Self.outputText(b.element.outputs[0])) ?? 0
                return x != y ? x < y : a.offset < b.offset
            }.map(\.element)
        }
        guard diagnostics.items.filter({ $0.severity == .error }).count == errorsBefore else { return nil }
        return DecisionTable(hit: hit, outputs: outputs, rows: ordered, inputs: inputs, rowsFile: rowsFile, range: node.range, hitRange: map.value("hit")?.range ?? node.range,
                             ruleFile: path, rowsFileRange: rowsFile == path ? nil : fileNode?.range)
    }

    /// An output cell's text: trimmed, and without surrounding double quotes.
    static func outputText(_ cell: TableCell) -> String {
        let t = cell.text.tableTrimmed
        if t.utf8.count >= 2, t.hasPrefix("\""), t.hasSuffix("\"") { return String(t.dropFirst().dropLast()) }
        return t
    }

    private static func sameName(_ header: String, _ expected: String) -> Bool {
        header.tableTrimmed == expected.tableTrimmed
    }

    private mutating func readCSV(_ target: String, at range: SourceRange, diagnostics: inout DiagnosticBag) -> [DecisionTableCSV.Record]? {
        let bytes: [UInt8]
        switch files.read(target, DecisionTableCSV.maxBytes) {
        case .success(let b): bytes = b
        case .failure(let m):
            diagnostics.error(path, range, m)
            return nil
        }
        if let problem = TextCheck.firstProblem(in: bytes) {
            diagnostics.error(target, SourceRange(at: problem.location), problem.message)
            return nil
        }
        sources[target] = SourceText(path: target, text: String(decoding: bytes, as: UTF8.self))
        switch DecisionTableCSV.records(bytes, file: target) {
        case .success(let r): return r
        case .failure(let p):
            diagnostics.error(target, SourceRange(at: p.location), .tableCSVSyntax(p.reason))
            return nil
        }
    }

    // MARK: Rows

    private func readRow(number: Int, cells: [TableCell], range: SourceRange, inputs: [CheckedExpression], diagnostics: inout DiagnosticBag) -> DecisionTable.Row? {
        var tests: [CellTest] = []
        var ok = true
        for k in inputs.indices {
            switch CellParser.parse(cells[k].text) {
            case .success(let t):
                tests.append(t)
                if !literalsOK(t, cells[k], diagnostics: &diagnostics) { ok = false }
            case .failure(let p):
                diagnostics.error(cells[k].file, cells[k].range(p.start, p.end), .tableCell(cells[k].text.tableTrimmed, reason: p.reason))
                ok = false
            }
        }
        guard ok else { return nil }
        var g = GeneratedText()
        for (k, t) in tests.enumerated() {
            guard let part = Self.generate(t, input: inputs[k].source.text, cell: cells[k]) else { continue }
            if !g.bytes.isEmpty { g.append(" and ", at: cells[k].location(0)) }
            g.append(part)
        }
        if g.bytes.isEmpty { g.append("true", at: cells[0].location(0)) }
        let file = cells[0].file
        let fallback = cells[0].location(0)
        guard let e = reader.withFile(file).expression(text: g.text, scalar: g.scalar(fallback: fallback), offset: 0, diagnostics: &diagnostics) else { return nil }
        guard e.typed.type == .boolean else { return nil }
        // The value of every literal.
        var values: [[Value]] = []
        for (k, t) in tests.enumerated() {
            var vs: [Value] = []
            for p in Self.parts(t) {
                let text = String(decoding: Array(cells[k].text.utf8)[p.start..<p.end], as: UTF8.self)
                var checker = ExpressionChecker(environment: reader.environment, source: text)
                guard let parsed = ExpressionParser.parse(text).0 else { return nil }
                vs.append(checker.check(parsed).constant ?? .null)
            }
            values.append(vs)
        }
        return DecisionTable.Row(number: number, condition: CheckedCondition(typed: e.typed, source: e.source), outputs: Array(cells[inputs.count...]),
                                 range: range, tests: tests, cells: Array(cells[..<inputs.count]), values: values, generated: g)
    }

    static func parts(_ t: CellTest) -> [CellTest.Part] {
        switch t {
        case .any, .null: []
        case .compare(_, _, let p): [p]
        case .range(let l, _, let h, _, _, _): [l, h]
        case .oneOf(let ps, _): ps
        }
    }

    /// A cell's values must be literals or threshold names (not fields or expressions).
    private func literalsOK(_ t: CellTest, _ cell: TableCell, diagnostics: inout DiagnosticBag) -> Bool {
        var ok = true
        let bytes = Array(cell.text.utf8)
        for p in Self.parts(t) {
            let text = String(decoding: bytes[p.start..<p.end], as: UTF8.self)
            let (parsed, problems) = ExpressionParser.parse(text)
            for q in problems { diagnostics.error(cell.file, cell.range(p.start + q.span.start, p.start + q.span.end), q.message) }
            guard let parsed else { ok = false; continue }
            let fine: Bool
            switch parsed.kind {
            case .number, .string, .boolean: fine = true
            case .negate(let inner): if case .number = inner.kind { fine = true } else { fine = false }
            case .name(let n): fine = reader.environment.fields[n] == nil && reader.environment.derived[n] == nil && n != "as_of"
            case .call(let name, _, let args): fine = name == "date" && args.count == 1
            default: fine = false
            }
            if !fine {
                diagnostics.error(cell.file, cell.range(p.start, p.end), .tableCell(cell.text.tableTrimmed, reason: "'\(text)' is not a value; a cell compares its input with a number, a \"text\", a date(\"…\"), true/false or a threshold name"))
                ok = false
            }
        }
        return ok
    }

    /// The rule-language text of one cell applied to `input`; nil for `-`.
    static func generate(_ t: CellTest, input: String, cell: TableCell) -> GeneratedText? {
        let simple = !input.isEmpty && input.utf8.allSatisfy { ($0 >= 65 && $0 <= 90) || ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) || $0 == 95 }
        let subject = simple ? input : "(" + input + ")"
        let start = cell.location(0)
        var g = GeneratedText()
        switch t {
        case .any: return nil
        case .null(let isNull):
            g.append(subject, at: start)
            g.append(isNull ? " == null" : " != null", at: start)
        case .compare(let op, let opPart, let v):
            g.append(subject, at: start)
            g.append(" \(op.rawValue) ", at: cell.location(opPart.start))
            g.append(cell, v)
        case .range(let l, let lc, let h, let hc, let open, let close):
            g.append(subject, at: start)
            g.append(lc ? " >= " : " > ", at: cell.location(open.start))
            g.append(cell, l)
            g.append(" and ", at: cell.location(open.start))
            g.append(subject, at: start)
            g.append(hc ? " <= " : " < ", at: cell.location(close.start))
            g.append(cell, h)
        case .oneOf(let ps, let negated):
            g.append(subject, at: start)
            if ps.count == 1 {
                g.append(negated ? " != " : " == ", at: start)
                g.append(cell, ps[0])
            } else {
                g.append(negated ? " not in [" : " in [", at: start)
                for (k, p) in ps.enumerated() {
                    if k > 0 { g.append(", ", at: cell.location(p.start)) }
                    g.append(cell, p)
                }
                g.append("]", at: cell.location(ps[ps.count - 1].end))
            }
        }
        return g
    }
}

extension ExpressionReader {
    /// The same reader for expressions written in another file (a `rows_file:`).
    func withFile(_ other: String) -> ExpressionReader { ExpressionReader(file: other, environment: environment) }
}

extension String {
    /// Without leading and trailing spaces and tabs (cells and header names).
    var tableTrimmed: String {
        let b = Array(utf8)
        var lo = 0, hi = b.count
        while lo < hi, b[lo] == 32 || b[lo] == 9 { lo += 1 }
        while hi > lo, b[hi - 1] == 32 || b[hi - 1] == 9 { hi -= 1 }
        return String(decoding: b[lo..<hi], as: UTF8.self)
    }
}
