import ProsperModel
import ProsperRules

/// How one canonical field gets its value from a source row.
struct ValueRule: Sendable {
    enum Source: Sendable {
        /// The text of a source column.
        case column(String)
        /// A fixed value.
        case fixed(String?)
        /// The as-of date minus N months or days; N from a column or a fixed number.
        case beforeAsOf(months: Bool, column: String?, amount: Int)
        /// The 1-based number of the data row (header excluded), zero-padded to `width`.
        case rowNumber(width: Int)
        /// An expression over the row's columns (`expression:`, or a `value:` that is one).
        case expression(MappedExpression)
    }
    enum Conversion: String, Sendable, CaseIterable {
        /// The text as it is.
        case text
        /// Yes/No, Y/N, 1/0, true/false (any case) to true/false.
        case boolean
        /// `$1,234.50` to `1234.50`.
        case money
        /// `12.0` or ` 12 ` to `12`.
        case integer
    }
    var source: Source
    var conversion: Conversion = .text
    /// Used when the source value is blank (or the value a fixed rule stands for).
    var defaultValue: String?
    var prefix = "", suffix = ""
    /// Extra words read as true / false by the boolean conversion.
    var trueWords: [String] = [], falseWords: [String] = []
    /// `map:` / `map_file:`: trimmed source code → label, applied before `convert:`.
    var lookup: Lookup?
    /// Where the rule is written (for diagnostics).
    var node: YAMLNode
}

/// A value rule's lookup table: codes (the source text after trimming) to labels.
struct Lookup: Sendable {
    var labels: [String: String?]
    /// The label for a code not in the table (`map_default:`); nil rejects the row.
    var fallback: String??
    /// `file:line:column` of the `map:` or `map_file:` key, for row messages.
    var origin: String
}

/// What to do with customer rows that repeat (`duplicates:` of a mapping file).
enum DuplicatePolicy: String, Sendable, CaseIterable {
    /// A later row with the id of an earlier one is rejected (`duplicate_customer_id`).
    case reject
    /// The first row of each customer id is kept; later ones are dropped and counted.
    case first
    /// The last row of each customer id is kept; earlier ones are dropped and counted.
    case last
    /// A row that is a byte-for-byte copy of an earlier row is dropped and counted;
    /// other rows with a repeated id are rejected as with `reject`.
    case dropExact = "drop_exact"
}

/// How the products of a row become subscription rows.
struct ProductRule: Sendable {
    let name: String
    let column: String
    /// Values meaning "has the product" (any case).
    let values: [String]
    let node: YAMLNode
}

/// How the customer's monthly total becomes subscription prices.
enum PriceRule: Sendable {
    /// Every product has its own fixed price (cents).
    case fixed([String: Int64])
    /// The total is split over the customer's products in proportion to weights
    /// (list prices; equal when none given), largest remainder, exact to the cent.
    case split(total: ValueRule, weights: [String: Int64])
    /// Every product row gets 0.00 and one extra product carries the total.
    case plan(product: String, total: ValueRule)
}

/// A parsed mapping file: from one foreign CSV layout to the contract.
struct MappingFile: Sendable {
    var path: String
    var asOf: Day?
    var customers: [Int: ValueRule] = [:]
    var attributes: [(name: String, rule: ValueRule, kind: FieldKind?)] = []
    var products: [ProductRule] = []
    var price: PriceRule?
    var startDate: ValueRule?
    var status: String = "active"
    /// `duplicates:`; nil when not written (rows with a repeated id are rejected).
    var duplicates: DuplicatePolicy?
    /// `money:`: what the mapped amounts are (a currency or another unit); nil = unsaid.
    var moneyUnit: MoneyUnit?

    static let ruleKeys = ["column", "value", "convert", "default", "prefix", "suffix", "true", "false",
                           "months_before_as_of", "days_before_as_of", "type", "map", "map_file", "map_default", "row_number", "width", "expression"]
    static let topKeys = ["mapping", "source", "as_of", "duplicates", "money", "customers", "attributes", "subscriptions"]

    /// Parses and checks a mapping file. `header` (the source columns) lets every
    /// column reference be checked, with a did-you-mean.
    static func load(path: String, bytes: [UInt8], header: [String]) -> Result<MappingFile, ConfigFileError> {
        load(path: path, bytes: bytes, columns: SourceColumns(header: header))
    }

    /// Parses and checks a mapping file against the source's `columns` (their names, and
    /// their types for expressions).
    static func load(path: String, bytes: [UInt8], columns header: SourceColumns) -> Result<MappingFile, ConfigFileError> {
        let parsed = YAMLParser.parse(bytes: bytes, path: path)
        var r = YAMLReader(file: path)
        var m = MappingFile(path: path)
        guard parsed.diagnostics.isEmpty, let root = parsed.root else {
            var ds = parsed.diagnostics
            if ds.isEmpty { ds = [Diagnostic(file: path, range: nil, .configFileEmpty("mapping", next: "see docs/data.md"))] }
            return .failure(ConfigFileError(diagnostics: ds, source: parsed.source))
        }
        var sawVersion = false, sawCustomers = false
        for (key, keyNode, value) in r.pairs(root, "the mapping file", allowed: topKeys) {
            switch key {
            case "mapping":
                sawVersion = true
                if r.text(value, "mapping") != "1" { r.error(value, .configVersion("mapping", key: "mapping")) }
            case "source":
                for (k, _, v) in r.pairs(value, "source", allowed: ["format"]) where k == "format" {
                    if let f = r.text(v, "format"), f != "csv" { r.error(v, .mappingFormat(f)) }
                }
            case "as_of":
                if let t = r.text(value, "as_of") {
                    if let d = Day(iso: t) { m.asOf = d } else { r.error(value, .configInvalidDate("as_of", found: t)) }
                }
            case "money":
                m.moneyUnit = r.moneyUnit(value, in: "the mapping file")
            case "duplicates":
                guard let t = r.text(value, "duplicates") else { continue }
                if let p = DuplicatePolicy(rawValue: t) { m.duplicates = p } else {
                    let all = DuplicatePolicy.allCases.map(\.rawValue)
                    let suggestion = DidYouMean.suggest(t, among: all).map { "; did you mean '\($0)'?" } ?? ""
                    r.error(value, .mappingDuplicates(all, found: t, suggestion: suggestion))
                }
            case "customers":
                sawCustomers = true
                var written: Set<String> = []
                for (field, _, ruleNode) in r.pairs(value, "customers", allowed: TableLayout.customers.columns) {
                    written.insert(field)
                    guard let slot = TableLayout.customers.slot(of: field) else { continue }
                    if let rule = parseRule(ruleNode, "customers.\(field)", header: header, target: target(of: field), reader: &r) { m.customers[slot] = rule }
                }
                let missing = TableLayout.customers.columns.enumerated().filter { TableLayout.customers.required[$0.offset] && !written.contains($0.element) }
                if !missing.isEmpty {
                    r.error(keyNode, .mappingMissingFields(missing.map(\.element)))
                }
            case "attributes":
                for (name, nameNode, ruleNode) in r.pairs(value, "attributes", allowed: nil) {
                    if TableLayout.customers.columns.contains(name) || Schema.derivedFields.contains(where: { $0.name == name }) {
                        r.error(nameNode, .attributeShadowsField(name, fix: "map it under customers instead"))
                        continue
                    }
                    if ReservedNames.derived.contains(name) {
                        r.error(nameNode, .attributeDerivedName(name, taken: ReservedNames.derived.sorted().joined(separator: ", "), phrase: "that is derived"))
                        continue
                    }
                    var kind: FieldKind?
                    if let pairs = ruleNode.pairs, let t = pairs.first(where: { $0.key.scalar?.value == "type" }) {
                        switch t.value.scalar?.value {
                        case "number": kind = .number(scale: 2)
                        case "integer": kind = .number(scale: 0)
                        case "boolean": kind = .boolean
                        case "date": kind = .date
                        case "text": kind = .string
                        default: r.error(t.value, .mappingAttributeType)
                        }
                    }
                    if let rule = parseRule(ruleNode, "attributes.\(name)", header: header, target: target(of: kind), reader: &r) { m.attributes.append((name, rule, kind)) }
                }
            case "subscriptions":
                parseSubscriptions(value, into: &m, header: header, reader: &r)
            default:
                break
            }
        }
        if !sawVersion { r.error(nil, .configMissingVersion("mapping", key: "mapping")) }
        if !sawCustomers { r.error(nil, .mappingMissingCustomers) }
        // Rules that count back from the as-of date are checked when ingesting: --as-of may give it.
        if r.diagnostics.isEmpty { return .success(m) }
        return .failure(ConfigFileError(diagnostics: r.diagnostics, source: parsed.source, sourceFile: path))
    }

    /// `{ column: X, convert: money, default: 0 }`, `{ value: Retail }`, or a bare
    /// scalar standing for `{ value: … }`.
    static func parseRule(_ node: YAMLNode, _ what: String, header: SourceColumns, target: ExpressionTarget, reader r: inout YAMLReader) -> ValueRule? {
        if let s = node.scalar {
            // A bare scalar stands for `{ value: … }`.
            guard let source = valueSource(node, s, what, target: target, header: header, reader: &r) else { return nil }
            return ValueRule(source: source, node: node)
        }
        let before = r.diagnostics.count
        let pairs = r.pairs(node, what, allowed: ruleKeys)
        guard node.pairs != nil else { return nil }
        var rule = ValueRule(source: .fixed(nil), node: node)
        var sources = 0
        var mapNode: (key: YAMLNode, value: YAMLNode)?, mapFileNode: (key: YAMLNode, value: YAMLNode)?
        var mapDefault: (key: YAMLNode, value: String?)?, widthNode: (key: YAMLNode, value: YAMLNode)?
        // Expressions are checked once `convert:` (which decides what they must give) is read.
        var expressionNode: (node: YAMLNode, implicit: Bool)?
        for (key, keyNode, v) in pairs {
            switch key {
            case "column":
                sources += 1
                if let c = r.text(v, "column") {
                    checkColumn(c, v, header: header, reader: &r)
                    rule.source = .column(c)
                }
            case "value":
                sources += 1
                rule.source = .fixed(v.scalar.map { $0.isNull ? nil : $0.value } ?? nil)
                if v.scalar == nil { r.error(v, .expectedShape("value", expected: "a single value", found: v.shapeDescription)) }
                if let s = v.scalar, case .fixed = reading(s, file: r.file) {} else if v.scalar != nil { expressionNode = (v, true) }
            case "expression":
                sources += 1
                if let s = v.scalar, !s.value.trimmingASCIIWhitespace().isEmpty { expressionNode = (v, false) } else {
                    let found = v.scalar != nil ? "it is empty" : "found \(v.shapeDescription)"
                    r.error(v, .mappingNotExpression(found: found))
                }
            case "months_before_as_of", "days_before_as_of":
                sources += 1
                guard let t = r.text(v, key) else { continue }
                if let n = Int(t) {
                    rule.source = .beforeAsOf(months: key.hasPrefix("months"), column: nil, amount: n)
                } else {
                    checkColumn(t, v, header: header, reader: &r)
                    rule.source = .beforeAsOf(months: key.hasPrefix("months"), column: t, amount: 0)
                }
            case "convert":
                guard let t = r.text(v, "convert") else { continue }
                if let c = ValueRule.Conversion(rawValue: t) { rule.conversion = c } else {
                    let all = ValueRule.Conversion.allCases.map(\.rawValue)
                    let choices = DidYouMean.suggest(t, among: all).map { "; did you mean '\($0)'?" } ?? "; expected one of: " + all.joined(separator: ", ")
                    r.error(v, .mappingConversion(t, choices: choices))
                }
            case "row_number":
                sources += 1
                guard let t = r.text(v, "row_number") else { continue }
                if t == "true" { rule.source = .rowNumber(width: 0) } else {
                    r.error(v, .mappingRowNumber(found: t))
                }
            case "width": widthNode = (keyNode, v)
            case "map": mapNode = (keyNode, v)
            case "map_file": mapFileNode = (keyNode, v)
            case "map_default":
                guard let s = v.scalar else { r.error(v, .expectedShape("map_default", expected: "a single value", found: v.shapeDescription)); continue }
                mapDefault = (keyNode, s.isNull ? nil : s.value)
            case "default": rule.defaultValue = v.scalar.flatMap { $0.isNull ? nil : $0.value }
            case "prefix": rule.prefix = r.text(v, "prefix") ?? ""
            case "suffix": rule.suffix = r.text(v, "suffix") ?? ""
            case "true": rule.trueWords = r.texts(v, "true")
            case "false": rule.falseWords = r.texts(v, "false")
            default: break  // "type" is read by the caller
            }
        }
        if sources != 1 {
            // A misspelt key was already reported; one message is enough.
            if r.diagnostics.count > before { return nil }
            r.error(node, .mappingRuleSources(what))
            return nil
        }
        if let (v, implicit) = expressionNode, let s = v.scalar {
            let wanted: ExpressionTarget
            switch rule.conversion {
            case .money: wanted = .money
            case .integer: wanted = .integer
            case .boolean: wanted = .any
            case .text: wanted = target
            }
            if implicit {
                guard let source = valueSource(v, s, what, target: wanted, header: header, reader: &r) else { return nil }
                rule.source = source
            } else {
                let expr: Expr?
                switch RowExpression.parse(s, file: r.file) {
                case (let e?, _): expr = e
                case (nil, let problems): problems.forEach { r.append($0) }; expr = nil
                }
                guard let expr, let checked = checkExpression(expr, v, what, target: wanted, implicit: false, columns: header, reader: &r) else { return nil }
                rule.source = .expression(checked)
            }
        }
        if let widthNode {
            if case .rowNumber = rule.source, let t = r.text(widthNode.value, "width") {
                if let w = Int(t), w >= 1, w <= 18 { rule.source = .rowNumber(width: w) } else {
                    r.error(widthNode.value, .mappingWidth(found: t))
                }
            } else if case .rowNumber = rule.source {} else {
                r.error(widthNode.key, .mappingWidthWithoutRowNumber(what))
            }
        }
        let hasColumn: Bool
        if case .column = rule.source { hasColumn = true } else { hasColumn = false }
        if let mapNode, let mapFileNode {
            r.error(mapFileNode.key, .mappingMapTwice(what, mapLine: mapNode.key.range.start.line))
        } else if let (keyNode, v) = mapNode ?? mapFileNode {
            if !hasColumn {
                r.error(keyNode, .mappingMapWithoutColumn(what, key: mapNode != nil ? "map" : "map_file"))
            } else {
                let origin = "\(DataSource.displayName(r.file)):\(keyNode.range.start.line):\(keyNode.range.start.column)"
                let labels = mapNode != nil ? lookupTable(v, what, reader: &r) : lookupFile(v, what, mappingPath: r.file, reader: &r)
                if let labels { rule.lookup = Lookup(labels: labels, fallback: mapDefault.map { $0.value }, origin: origin) }
            }
        } else if let mapDefault {
            r.error(mapDefault.key, .mappingDefaultWithoutMap(what))
        }
        return rule
    }

    /// `map: { 1: Pay as you go, 2: Contractual }`: codes and labels, trimmed codes.
    static func lookupTable(_ node: YAMLNode, _ what: String, reader r: inout YAMLReader) -> [String: String?]? {
        let before = r.diagnostics.count
        var out: [String: String?] = [:]
        for (code, _, v) in r.pairs(node, "\(what).map", allowed: nil) {
            guard let s = v.scalar else { r.error(v, .expectedShape("the label of code '\(code)'", expected: "a single value", found: v.shapeDescription)); continue }
            out[code.trimmingASCIIWhitespace()] = .some(s.isNull ? nil : s.value)
        }
        if r.diagnostics.count == before, out.isEmpty { r.error(node, .mappingEmptyMap(what)) }
        return r.diagnostics.count == before ? out : nil
    }

    /// `map_file: plans.csv`: a CSV file beside the mapping with a header and two
    /// columns, code and label. Its problems are reported at their place in that file.
    static func lookupFile(_ node: YAMLNode, _ what: String, mappingPath: String, reader r: inout YAMLReader) -> [String: String?]? {
        guard let name = r.text(node, "map_file") else { return nil }
        let path: String
        if name.hasPrefix("/") { path = name } else if let slash = mappingPath.lastIndex(of: "/") {
            path = String(mappingPath[...slash]) + name
        } else { path = name }
        let before = r.diagnostics.count
        func at(_ line: Int, _ column: Int, _ message: DiagnosticMessage) {
            let start = SourceLocation(line: line, column: column)
            r.append(Diagnostic(file: path, range: SourceRange(start: start, end: SourceLocation(line: line, column: column + 1)), message))
        }
        var out: [String: String?] = [:]
        var firstLine: [String: Int] = [:]
        do {
            let stream = try CSVRecordStream(path: path, chunkSize: 1 << 16)
            switch stream.readHeader(file: path) {
            case .success(let header?) where header.count == 2: break
            case .success(let header?):
                at(1, 1, .mapFileColumns(found: header.count))
                return nil
            case .success(nil):
                r.error(node, .mapFileEmpty(name))
                return nil
            case .failure(let e):
                at(e.line ?? 1, e.column ?? 1, .mapFileProblem(e.message))
                return nil
            }
            try stream.forEachRecord(file: path) { row in
                switch row {
                case .unreadable(let rejection, _):
                    at(rejection.line, rejection.column, .mapFileProblem(rejection.message))
                case .record(let cells, let positions, let line, _):
                    guard cells.count == 2, positions.count == 2 else { return }
                    let code = cells[0].trimmingASCIIWhitespace()
                    if code.isEmpty {
                        at(positions[0].line, positions[0].column, .mapFileBlankCode)
                    } else if let first = firstLine[code] {
                        at(positions[0].line, positions[0].column, .mapFileCodeTwice(code, firstLine: first))
                    } else {
                        firstLine[code] = line
                        out[code] = .some(cells[1])
                    }
                }
            }
        } catch let e as DataFileError {
            r.error(node, .mapFileUnreadable(name, reason: e.message))
            return nil
        } catch {
            r.error(node, .mapFileUnreadable(name, reason: nil))
            return nil
        }
        if r.diagnostics.count == before, out.isEmpty { r.error(node, .mapFileNoCodes(name)) }
        return r.diagnostics.count == before ? out : nil
    }


    /// The source of a `value:` (or bare) scalar: fixed, or an expression (see `reading`).
    static func valueSource(_ node: YAMLNode, _ s: YAMLScalar, _ what: String, target: ExpressionTarget, header: SourceColumns,
                            reader r: inout YAMLReader) -> ValueRule.Source? {
        switch reading(s, file: r.file) {
        case .fixed:
            return .fixed(s.isNull ? nil : s.value)
        case .broken(let problems):
            for d in problems {
                // Inside `{ … }` a comma ends the value: `{ value: round(x, 2) }` arrives cut.
                let cut = s.value.filter { $0 == "(" }.count > s.value.filter { $0 == ")" }.count
                let hint = cut ? "; if this is inside { … }, a comma there ends the value: write the rule on lines of its own, or quote it as expression: \"…\""
                    : "; to give a fixed text, quote it: \"\(s.value)\""
                r.append(Diagnostic(file: d.file, range: d.range, severity: d.severity, code: d.code, message: d.message + hint))
            }
            return nil
        case .expression(let expr):
            return checkExpression(expr, node, what, target: target, implicit: true, columns: header, reader: &r).map { .expression($0) }
        }
    }

    /// What a contract field's mapped value must be.
    static func target(of field: String) -> ExpressionTarget {
        switch Schema.contractFields.first(where: { $0.name == field })?.kind {
        case .number(let s)?: s == 0 ? .integer : .money
        case .boolean?: .boolean
        case .date?: .date
        default: .any
        }
    }

    /// What an attribute's mapped value must be, by its `type:`.
    static func target(of kind: FieldKind?) -> ExpressionTarget {
        switch kind {
        case .number(let s)?: s == 0 ? .integer : .money
        case .boolean?: .boolean
        case .date?: .date
        default: .any
        }
    }

    static func checkColumn(_ name: String, _ node: YAMLNode, header columns: SourceColumns, reader r: inout YAMLReader) {
        let header = columns.header
        guard !header.contains(name) else { return }
        var detail = DidYouMean.suggest(name, among: header).map { "; did you mean \(ColumnName.shown($0))?" } ?? "; its columns are: " + header.map(ColumnName.shown).joined(separator: ", ")
        if (header + [name]).contains(where: ColumnName.hasHiddenSpace) { detail += " (· marks a space, → a tab)" }
        r.error(node, .mappingUnknownColumn(ColumnName.shown(name), detail: detail))
    }

    static func parseSubscriptions(_ node: YAMLNode, into m: inout MappingFile, header: SourceColumns, reader r: inout YAMLReader) {
        for (key, _, v) in r.pairs(node, "subscriptions", allowed: ["products", "price", "start_date", "status"]) {
            switch key {
            case "products":
                for (name, _, cond) in r.pairs(v, "products", allowed: nil) {
                    var column: String?, values: [String] = []
                    for (k, _, x) in r.pairs(cond, "products.\(name)", allowed: ["column", "when"]) {
                        if k == "column", let c = r.text(x, "column") { checkColumn(c, x, header: header, reader: &r); column = c }
                        if k == "when" { values = r.texts(x, "when") }
                    }
                    guard let column else { r.error(cond, .mappingProductColumn(name)); continue }
                    if values.isEmpty { values = ["yes", "true", "1"] }
                    m.products.append(ProductRule(name: name, column: column, values: values.map { $0.lowercased() }, node: cond))
                }
            case "price":
                let pairs = r.pairs(v, "price", allowed: ["fixed", "split", "plan"])
                guard pairs.count == 1, let (kind, _, spec) = pairs.first else {
                    if v.pairs != nil { r.error(v, .mappingPriceKind) }
                    continue
                }
                switch kind {
                case "fixed":
                    m.price = .fixed(prices(spec, "price.fixed", reader: &r))
                case "split":
                    var total: ValueRule?, weights: [String: Int64] = [:], sawTotal = false
                    for (k, _, x) in r.pairs(spec, "price.split", allowed: ["total", "weights"]) {
                        if k == "total" { sawTotal = true; total = parseRule(x, "price.split.total", header: header, target: .money, reader: &r) }
                        if k == "weights" { weights = prices(x, "price.split.weights", reader: &r) }
                    }
                    if let total { m.price = .split(total: total, weights: weights) } else if !sawTotal { r.error(spec, .mappingSplitTotal) }
                case "plan":
                    var product: String?, total: ValueRule?, sawTotal = false
                    for (k, _, x) in r.pairs(spec, "price.plan", allowed: ["product", "total"]) {
                        if k == "product" { product = r.text(x, "product") }
                        if k == "total" { sawTotal = true; total = parseRule(x, "price.plan.total", header: header, target: .money, reader: &r) }
                    }
                    if let product, let total { m.price = .plan(product: product, total: total) } else if product == nil || !sawTotal {
                        r.error(spec, .mappingPlanKeys)
                    }
                default: break
                }
            case "start_date":
                m.startDate = parseRule(v, "subscriptions.start_date", header: header, target: .date, reader: &r)
            case "status":
                if let s = r.text(v, "status") {
                    if Array(s.utf8).withUnsafeBufferPointer({ SubscriptionTableBuilder.status($0) }) == nil {
                        r.error(v, .mappingStatus(found: s))
                    } else { m.status = s }
                }
            default: break
            }
        }
        if !m.products.isEmpty, m.price == nil {
            r.error(node, .mappingSubscriptionsPrice)
        }
        if case .fixed(let p)? = m.price {
            for product in m.products where p[product.name] == nil {
                r.error(product.node, .mappingMissingPrice(product.name))
            }
        }
    }

    /// `{ Product: 12.50, … }` in cents.
    static func prices(_ node: YAMLNode, _ what: String, reader r: inout YAMLReader) -> [String: Int64] {
        var out: [String: Int64] = [:]
        for (name, _, v) in r.pairs(node, what, allowed: nil) {
            guard let t = r.text(v, "\(what).\(name)") else { continue }
            var bytes = Array(t.utf8)
            switch bytes.withUnsafeMutableBufferPointer({ FieldParsers.decimal(UnsafeBufferPointer($0)) }) {
            case .success(let cents): out[name] = cents
            case .failure: r.error(v, .mappingAmount("\(what).\(name)", found: t))
            }
        }
        return out
    }
}
