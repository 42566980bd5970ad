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
                           "months_before_as_of", "days_before_as_of", "type", "map", "map_file", "map_default", "row_number", "width"]
    static let topKeys = ["mapping", "source", "as_of", "duplicates", "money", "customers", "attributes", "subscriptions"]

    /// Parses and checks a mapping file. `header` (the source columns) lets every
    /// column reference be checked, with a did-you-mean.
    static func load(path: String, bytes: [UInt8], header: [String]) -> Result<MappingFile, ConfigFileError> {
        let parsed = YAMLParser.parse(bytes: bytes, path: path)
        var r = YAMLReader(file: path)
        var m = MappingFile(path: path)
        guard parsed.diagnostics.isEmpty, let root = parsed.root else {
            var ds = parsed.diagnostics
            if ds.isEmpty { ds = [Diagnostic(file: path, range: nil, code: "empty-file", message: "the mapping file is empty; see docs/data.md")] }
            return .failure(ConfigFileError(diagnostics: ds, source: parsed.source))
        }
        var sawVersion = false, sawCustomers = false
        for (key, keyNode, value) in r.pairs(root, "the mapping file", allowed: topKeys) {
            switch key {
            case "mapping":
                sawVersion = true
                if r.text(value, "mapping") != "1" { r.error(value, "bad-version", "this version of prosper-rules reads mapping files of version 1 ('mapping: 1')") }
            case "source":
                for (k, _, v) in r.pairs(value, "source", allowed: ["format"]) where k == "format" {
                    if let f = r.text(v, "format"), f != "csv" { r.error(v, "bad-format", "source format '\(f)' is not supported; mapping files read csv") }
                }
            case "as_of":
                if let t = r.text(value, "as_of") {
                    if let d = Day(iso: t) { m.asOf = d } else { r.error(value, "bad-date", "as_of must be a date YYYY-MM-DD, found '\(t)'") }
                }
            case "money":
                m.moneyUnit = r.moneyUnit(value, in: "the mapping file")
            case "duplicates":
                guard let t = r.text(value, "duplicates") else { continue }
                if let p = DuplicatePolicy(rawValue: t) { m.duplicates = p } else {
                    let all = DuplicatePolicy.allCases.map(\.rawValue)
                    var message = "duplicates must be one of \(all.joined(separator: ", ")), found '\(t)'"
                    if let g = DidYouMean.suggest(t, among: all) { message += "; did you mean '\(g)'?" }
                    r.error(value, "bad-duplicates", message)
                }
            case "customers":
                sawCustomers = true
                var written: Set<String> = []
                for (field, _, ruleNode) in r.pairs(value, "customers", allowed: TableLayout.customers.columns) {
                    written.insert(field)
                    guard let slot = TableLayout.customers.slot(of: field) else { continue }
                    if let rule = parseRule(ruleNode, "customers.\(field)", header: header, reader: &r) { m.customers[slot] = rule }
                }
                let missing = TableLayout.customers.columns.enumerated().filter { TableLayout.customers.required[$0.offset] && !written.contains($0.element) }
                if !missing.isEmpty {
                    r.error(keyNode, "missing-field", "customers has no rule for the contract field\(missing.count == 1 ? "" : "s") "
                        + missing.map { "'\($0.element)'" }.joined(separator: ", ") + "; map a column or give a fixed value")
                }
            case "attributes":
                for (name, nameNode, ruleNode) in r.pairs(value, "attributes", allowed: nil) {
                    if TableLayout.customers.columns.contains(name) || Schema.derivedFields.contains(where: { $0.name == name }) {
                        r.error(nameNode, "attribute-shadows-field", "attribute '\(name)' has the name of a contract field; map it under customers instead")
                        continue
                    }
                    if ReservedNames.derived.contains(name) {
                        r.error(nameNode, "attribute-shadows-field", "attribute '\(name)' has a name that is derived (\(ReservedNames.derived.sorted().joined(separator: ", "))); choose another name")
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
                        default: r.error(t.value, "bad-type", "type must be one of number, integer, boolean, date, text")
                        }
                    }
                    if let rule = parseRule(ruleNode, "attributes.\(name)", header: header, reader: &r) { m.attributes.append((name, rule, kind)) }
                }
            case "subscriptions":
                parseSubscriptions(value, into: &m, header: header, reader: &r)
            default:
                break
            }
        }
        if !sawVersion { r.error(nil, "missing-key", "the mapping file needs 'mapping: 1' (the format version)") }
        if !sawCustomers { r.error(nil, "missing-key", "the mapping file needs a 'customers:' section") }
        // Rules that count back from the as-of date are checked when ingesting: --as-of may give it.
        if r.diagnostics.isEmpty { return .success(m) }
        return .failure(ConfigFileError(diagnostics: r.diagnostics, source: parsed.source, sourceFile: path))
    }

    /// `{ column: X, convert: money, default: 0 }`, `{ value: Retail }`, or a bare
    /// scalar standing for `{ value: … }`.
    static func parseRule(_ node: YAMLNode, _ what: String, header: [String], reader r: inout YAMLReader) -> ValueRule? {
        if let s = node.scalar { return ValueRule(source: .fixed(s.isNull ? nil : s.value), node: node) }
        let before = r.diagnostics.count
        let pairs = r.pairs(node, what, allowed: ruleKeys)
        guard node.pairs != nil else { return nil }
        var rule = ValueRule(source: .fixed(nil), node: node)
        var sources = 0
        var mapNode: (key: YAMLNode, value: YAMLNode)?, mapFileNode: (key: YAMLNode, value: YAMLNode)?
        var mapDefault: (key: YAMLNode, value: String?)?, widthNode: (key: YAMLNode, value: YAMLNode)?
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
                if v.scalar == nil { r.error(v, "expected-value", "value must be a single value, found \(v.shapeDescription)") }
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
                    var message = "unknown conversion '\(t)'; expected one of: " + ValueRule.Conversion.allCases.map(\.rawValue).joined(separator: ", ")
                    if let g = DidYouMean.suggest(t, among: ValueRule.Conversion.allCases.map(\.rawValue)) { message = "unknown conversion '\(t)'; did you mean '\(g)'?" }
                    r.error(v, "unknown-conversion", message)
                }
            case "row_number":
                sources += 1
                guard let t = r.text(v, "row_number") else { continue }
                if t == "true" { rule.source = .rowNumber(width: 0) } else {
                    r.error(v, "bad-row-number", "row_number must be 'true' (the 1-based number of the data row), found '\(t)'")
                }
            case "width": widthNode = (keyNode, v)
            case "map": mapNode = (keyNode, v)
            case "map_file": mapFileNode = (keyNode, v)
            case "map_default":
                guard let s = v.scalar else { r.error(v, "expected-value", "map_default must be a single value, found \(v.shapeDescription)"); continue }
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
            r.error(node, "bad-rule", "\(what) needs exactly one of column, value, months_before_as_of, days_before_as_of, row_number")
            return nil
        }
        if let widthNode {
            if case .rowNumber = rule.source, let t = r.text(widthNode.value, "width") {
                if let w = Int(t), w >= 1, w <= 18 { rule.source = .rowNumber(width: w) } else {
                    r.error(widthNode.value, "bad-width", "width must be a whole number from 1 to 18 (the digits of the zero-padded row number), found '\(t)'")
                }
            } else if case .rowNumber = rule.source {} else {
                r.error(widthNode.key, "width-without-row-number", "width pads a row number; \(what) has no 'row_number: true'")
            }
        }
        let hasColumn: Bool
        if case .column = rule.source { hasColumn = true } else { hasColumn = false }
        if let mapNode, let mapFileNode {
            r.error(mapFileNode.key, "map-twice", "\(what) has both map (line \(mapNode.key.range.start.line)) and map_file; give one of them")
        } else if let (keyNode, v) = mapNode ?? mapFileNode {
            if !hasColumn {
                r.error(keyNode, "map-without-column", "\(what): \(mapNode != nil ? "map" : "map_file") translates the codes of a source column; add 'column:'")
            } else {
                let origin = "\(DataSource.displayName(r.file)):\(keyNode.range.start.line):\(keyNode.range.start.column)"
                let labels = mapNode != nil ? lookupTable(v, what, reader: &r) : lookupFile(v, what, mappingPath: r.file, reader: &r)
                if let labels { rule.lookup = Lookup(labels: labels, fallback: mapDefault.map { $0.value }, origin: origin) }
            }
        } else if let mapDefault {
            r.error(mapDefault.key, "map-default-without-map", "map_default is the label for codes a map does not list; \(what) has no map or map_file")
        }
        return rule
    }

    /// `map: { 1: Pay as you go, 2: Contractual }`: codes and labels, trimmed codes.
    static func lookupTable(_ node: YAMLNode, _ what: String, reader r: inout YAMLReader) -> [String: String?]? {
        let before = r.diagnostics.count
        var out: [String: String?] = [:]
        for (code, _, v) in r.pairs(node, "\(what).map", allowed: nil) {
            guard let s = v.scalar else { r.error(v, "expected-value", "the label of code '\(code)' must be a single value, found \(v.shapeDescription)"); continue }
            out[code.trimmingASCIIWhitespace()] = .some(s.isNull ? nil : s.value)
        }
        if r.diagnostics.count == before, out.isEmpty { r.error(node, "empty-map", "\(what).map lists no codes; write 'code: label' pairs") }
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
        func at(_ line: Int, _ column: Int, _ code: String, _ message: String) {
            let start = SourceLocation(line: line, column: column)
            r.append(Diagnostic(file: path, range: SourceRange(start: start, end: SourceLocation(line: line, column: column + 1)), code: code, message: message))
        }
        var out: [String: String?] = [:]
        var firstLine: [String: Int] = [:]
        do {
            let stream = try CSVRecordStream(path: path, chunkSize: 1 << 16)
            switch stream.readHeader(file: path) {
            case .success(let header?) where header.count == 2: break
            case .success(let header?):
                at(1, 1, "bad-map-file", "a map file has two columns, code and label (with a header row); found \(header.count)")
                return nil
            case .success(nil):
                r.error(node, "bad-map-file", "the map file '\(name)' is empty; expected a header row and then code,label rows")
                return nil
            case .failure(let e):
                at(e.line ?? 1, e.column ?? 1, "bad-map-file", e.message)
                return nil
            }
            try stream.forEachRecord(file: path) { row in
                switch row {
                case .unreadable(let rejection, _):
                    at(rejection.line, rejection.column, "bad-map-file", rejection.message)
                case .record(let cells, let positions, let line, _):
                    guard cells.count == 2, positions.count == 2 else { return }
                    let code = cells[0].trimmingASCIIWhitespace()
                    if code.isEmpty {
                        at(positions[0].line, positions[0].column, "bad-map-file", "a blank code is never looked up (a blank cell takes 'default:'); remove this row")
                    } else if let first = firstLine[code] {
                        at(positions[0].line, positions[0].column, "bad-map-file", "code '\(VisibleText.of(code))' appears twice (first on line \(first))")
                    } else {
                        firstLine[code] = line
                        out[code] = .some(cells[1])
                    }
                }
            }
        } catch let e as DataFileError {
            r.error(node, "bad-map-file", "cannot read the map file '\(name)': \(e.message)")
            return nil
        } catch {
            r.error(node, "bad-map-file", "cannot read the map file '\(name)'")
            return nil
        }
        if r.diagnostics.count == before, out.isEmpty { r.error(node, "bad-map-file", "the map file '\(name)' lists no codes") }
        return r.diagnostics.count == before ? out : nil
    }


    static func checkColumn(_ name: String, _ node: YAMLNode, header: [String], reader r: inout YAMLReader) {
        guard !header.contains(name) else { return }
        var message = "the source has no column \(ColumnName.shown(name))"
        if let g = DidYouMean.suggest(name, among: header) { message += "; did you mean \(ColumnName.shown(g))?" } else {
            message += "; its columns are: " + header.map(ColumnName.shown).joined(separator: ", ")
        }
        if (header + [name]).contains(where: ColumnName.hasHiddenSpace) { message += " (· marks a space, → a tab)" }
        r.error(node, "unknown-column", message)
    }

    static func parseSubscriptions(_ node: YAMLNode, into m: inout MappingFile, header: [String], reader r: inout YAMLReader) {
        for (key, _, v) in r.pairs(node, "subscriptions", allowed: ["products", "price", "start_date", "status"]) {
            switch key {
            case "products":
                for (name, _, cond) in r.pairs(v, "products", allowed: nil) {
                    var column: String?, values: [String] = []
                    for (k, _, x) in r.pairs(cond, "products.\(name)", allowed: ["column", "when"]) {
                        if k == "column", let c = r.text(x, "column") { checkColumn(c, x, header: header, reader: &r); column = c }
                        if k == "when" { values = r.texts(x, "when") }
                    }
                    guard let column else { r.error(cond, "missing-key", "products.\(name) needs 'column'"); continue }
                    if values.isEmpty { values = ["yes", "true", "1"] }
                    m.products.append(ProductRule(name: name, column: column, values: values.map { $0.lowercased() }, node: cond))
                }
            case "price":
                let pairs = r.pairs(v, "price", allowed: ["fixed", "split", "plan"])
                guard pairs.count == 1, let (kind, _, spec) = pairs.first else {
                    if v.pairs != nil { r.error(v, "bad-price", "price needs exactly one of fixed, split, plan") }
                    continue
                }
                switch kind {
                case "fixed":
                    m.price = .fixed(prices(spec, "price.fixed", reader: &r))
                case "split":
                    var total: ValueRule?, weights: [String: Int64] = [:]
                    for (k, _, x) in r.pairs(spec, "price.split", allowed: ["total", "weights"]) {
                        if k == "total" { total = parseRule(x, "price.split.total", header: header, reader: &r) }
                        if k == "weights" { weights = prices(x, "price.split.weights", reader: &r) }
                    }
                    if let total { m.price = .split(total: total, weights: weights) } else { r.error(spec, "missing-key", "price.split needs 'total'") }
                case "plan":
                    var product: String?, total: ValueRule?
                    for (k, _, x) in r.pairs(spec, "price.plan", allowed: ["product", "total"]) {
                        if k == "product" { product = r.text(x, "product") }
                        if k == "total" { total = parseRule(x, "price.plan.total", header: header, reader: &r) }
                    }
                    if let product, let total { m.price = .plan(product: product, total: total) } else {
                        r.error(spec, "missing-key", "price.plan needs 'product' and 'total'")
                    }
                default: break
                }
            case "start_date":
                m.startDate = parseRule(v, "subscriptions.start_date", header: header, reader: &r)
            case "status":
                if let s = r.text(v, "status") {
                    if Array(s.utf8).withUnsafeBufferPointer({ SubscriptionTableBuilder.status($0) }) == nil {
                        r.error(v, "bad-status", "status must be active or cancelled, found '\(s)'")
                    } else { m.status = s }
                }
            default: break
            }
        }
        if !m.products.isEmpty, m.price == nil {
            r.error(node, "missing-key", "subscriptions needs 'price' (fixed, split or plan) to give the products a monthly price")
        }
        if case .fixed(let p)? = m.price {
            for product in m.products where p[product.name] == nil {
                r.error(product.node, "missing-price", "price.fixed has no price for '\(product.name)'")
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
            case .failure: r.error(v, "bad-amount", "\(what).\(name) must be an amount >= 0 with at most 2 decimals, found '\(t)'")
            }
        }
        return out
    }
}
