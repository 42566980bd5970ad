import ProsperModel

/// Loads rule files: reads them with libyaml, checks their structure, parses and
/// type-checks every expression, and reports every problem at its file, line and
/// column. Nothing runs on customers until loading succeeded.
public struct RuleLoader {
    /// The fields rules may name (contract, derived and any custom attributes).
    public var schema: Schema
    /// `--set name=value` overrides, applied to every file that has the threshold.
    public var overrides: [String: String]
    /// Known product names for warnings (default: the reference catalogue).
    public var products: [String]
    /// The project's catalogue: the list price of a product an upsell file does not
    /// price under `prices:` (the file's own price wins).
    package var catalogue: [CatalogueProduct] = []
    /// Where files are read from: the file system by default, or texts in memory
    /// (``RuleFileSource/memory(_:)``); `segments:` references are looked up here too.
    package var files: RuleFileSource = .fileSystem

    /// Every problem found so far, and the texts of the files read (for rendering).
    package internal(set) var diagnostics = DiagnosticBag()
    package internal(set) var sources: [String: SourceText] = [:]
    var segmentCache: [String: SegmentRules?] = [:]
    var usedOverrides: Set<String> = []
    /// Set in the loader that reads the file a `segments:` reference names: it stops at
    /// `kind:`, so a reference to a file that is not a segments file is one error, never
    /// a loop of loads (a file naming itself, two files naming each other, …).
    var segmentsOnly = false
    /// The kind of the file loaded when `segmentsOnly` stopped at it.
    var stoppedAtKind: KindNode?

    public static let catalogue = ["Accounting", "Expenses", "Inventory", "Invoicing", "Payments", "Payroll", "Tax Filing", "Time Tracking"]
    static let commonKeys = ["kind", "name", "description", "version", "thresholds", "fields", "segments"]

    public init(schema: Schema = .contract, overrides: [String: String] = [:], products: [String] = RuleLoader.catalogue) {
        self.schema = schema
        self.overrides = overrides
        self.products = products
    }

    /// Loads one file; nil when it has errors (all reported in `diagnostics`).
    /// The file is read through ``files`` (the file system unless set otherwise).
    public mutating func load(path: String) -> RuleFile? {
        let bytes: [UInt8]
        switch files.read(path, YAMLLimits().maxBytes) {
        case .success(let b): bytes = b
        case .failure(let m):
            diagnostics.add(Diagnostic(file: path, range: nil, m))
            return nil
        }
        guard let root = parse(bytes: bytes, path: path) else { return nil }
        return interpret(root, path: path)
    }

    /// Loads a rule file from its text; nil when it has errors (all reported in
    /// `diagnostics`). `path` only names the file: diagnostics and `sources` use it, and a
    /// `segments:` reference (or the default `segments.yaml`) is resolved beside it
    /// through ``files``. The result and the diagnostics are those of ``load(path:)`` on
    /// a file holding the same bytes.
    ///
    /// ```swift
    /// var loader = RuleLoader()
    /// let file = loader.load(text: "kind: churn\nsignals:\n  - name: quiet\n    when: logins_30d == 0\n",
    ///                        path: "churn.yaml")
    /// for d in loader.diagnostics.items { … }   // e.g. churn.yaml:4:11
    /// ```
    public mutating func load(text: String, path: String) -> RuleFile? {
        let bytes = Array(text.utf8)
        let limit = YAMLLimits().maxBytes
        if bytes.count > limit {
            diagnostics.add(Diagnostic(file: path, range: nil, .fileTooLarge(bytes: bytes.count, limit: limit)))
            return nil
        }
        guard let root = parse(bytes: bytes, path: path) else { return nil }
        return interpret(root, path: path)
    }

    /// Reports overrides that matched no threshold in any loaded file.
    public mutating func reportUnusedOverrides(knownThresholds: [String]) {
        for name in overrides.keys.sorted() where !usedOverrides.contains(name) {
            var hint = Suggestion.phrase(for: name, in: knownThresholds)
            if hint.isEmpty {
                let names = Array(Set(knownThresholds)).sorted()
                hint = names.isEmpty ? "; these rules have no thresholds" : "; the thresholds are: " + names.joined(separator: ", ")
            }
            diagnostics.add(Diagnostic(file: "--set", range: nil, .thresholdOverrideUnknown(name, suggestion: hint)))
        }
    }

    // MARK: Reading

    mutating func parse(bytes: [UInt8], path: String) -> YAMLNode? {
        let result = files.parseCache?.parse(bytes: bytes, path: path) ?? YAMLParser.parse(bytes: bytes, path: path)
        sources[path] = result.source
        diagnostics.add(contentsOf: result.diagnostics)
        guard let root = result.root else {
            if result.diagnostics.isEmpty { diagnostics.add(Diagnostic(file: path, range: nil, .emptyFile)) }
            return nil
        }
        return root
    }

    mutating func interpret(_ root: YAMLNode, path: String) -> RuleFile? {
        let before = diagnostics.items.filter { $0.severity == .error }.count
        guard let map = MappingReader(root, context: "a rule file", file: path, diagnostics: &diagnostics) else { return nil }
        guard let kindNode = map.required("kind", file: path, diagnostics: &diagnostics),
              let kindText = MappingReader.text(kindNode, what: "kind", file: path, diagnostics: &diagnostics) else { return nil }
        guard let kind = RuleKind(rawValue: kindText) else {
            diagnostics.error(path, kindNode.range, .unknownKind(kindText, suggestion: Suggestion.phrase(for: kindText, in: RuleKind.allCases.map(\.rawValue))))
            return nil
        }
        if segmentsOnly, kind != .segments {
            stoppedAtKind = KindNode(kind: kind, node: kindNode)
            return nil
        }
        let header = readHeader(map, kind: kind, path: path)
        var context = FileContext(path: path, reader: ExpressionReader(file: path, environment: NameEnvironment(schema: schema, withSegment: false)))
        context.reader.environment.products = products
        let result: RuleFile?
        switch kind {
        case .segments:
            map.checkKeys(Self.commonKeys.filter { $0 != "segments" } + ["segments", "otherwise", "table"], file: path, diagnostics: &diagnostics)
            readDefinitions(map, &context)
            result = readSegments(map, header, &context).map(RuleFile.segments)
        case .churn, .upsell, .analytics:
            let specific: [String]
            switch kind {
            case .churn: specific = ["eligible", "signals", "levels", "table"]
            case .upsell: specific = ["strategy", "recommendations", "prices", "table"]
            default: specific = ["where", "loyalty", "revenue", "bundles", "profitability"]
            }
            map.checkKeys(Self.commonKeys + specific, file: path, diagnostics: &diagnostics)
            let segments = segmentsFor(map, path: path)
            context.segments = segments
            context.reader.environment = NameEnvironment(schema: schema, withSegment: segments != nil)
            context.reader.environment.products = products
            context.reader.environment.segments = segments?.names ?? []
            readDefinitions(map, &context)
            switch kind {
            case .churn: result = readChurn(map, header, &context).map(RuleFile.churn)
            case .upsell: result = readUpsell(map, header, &context).map(RuleFile.upsell)
            default: result = readAnalytics(map, header, &context).map(RuleFile.analytics)
            }
        }
        let after = diagnostics.items.filter { $0.severity == .error }.count
        return after == before ? result : nil
    }

    /// A file's `kind:`, and where it is written.
    struct KindNode {
        let kind: RuleKind
        let node: YAMLNode
    }

    /// A `table:` read and checked, with its analysis (overlaps, gaps).
    struct AnalysedTable {
        let table: DecisionTable
        let analysis: DecisionTableAnalysis
    }

    /// An entry of a list of named mappings (`signals`, `recommendations`, `segments`, `tiers`).
    struct NamedEntry {
        let name: String
        let map: MappingReader
        let nameNode: YAMLNode
    }

    /// A churn signal as read (from `signals:` or a table row), before its weight is scaled.
    struct SignalEntry {
        let name: String
        let when: CheckedCondition
        let weight: Value
        let weightNode: YAMLNode
        let reason: ReasonTemplate?
        let nameRange: SourceRange
    }

    /// A churn level as read, before its minimum is scaled.
    struct LevelEntry {
        let name: String
        let minimum: Value
    }

    /// An offer's `value:`: a fixed amount in cents, or an expression computing it.
    struct OfferValue {
        var amount: Int64?
        var expression: CheckedExpression?
    }

    /// An offer's `replaces:`: the products replaced, and where the list is written.
    struct OfferReplaces {
        var products: [String] = []
        var range: SourceRange?
    }

    struct FileContext {
        let path: String
        var reader: ExpressionReader
        var thresholds: [Threshold] = []
        var fields: [DerivedField] = []
        var segments: SegmentRules?
    }

    mutating func readHeader(_ map: MappingReader, kind: RuleKind, path: String) -> RuleFileHeader {
        var name = String(path.split(separator: "/").last ?? Substring(path))
        for ext in [".yaml", ".yml"] where name.hasSuffix(ext) { name.removeLast(ext.count) }
        if let n = map.value("name"), let t = MappingReader.text(n, what: "name", file: path, diagnostics: &diagnostics) { name = t }
        var description: String?
        if let d = map.value("description") { description = MappingReader.text(d, what: "description", file: path, diagnostics: &diagnostics) }
        var version: String?
        if let v = map.value("version") {
            if let s = v.scalar, !s.value.isEmpty, s.value.count <= 40 { version = s.value } else {
                diagnostics.error(path, v.range, .invalidVersion(v.shapeDescription))
            }
        }
        return RuleFileHeader(kind: kind, name: name, description: description, version: version, path: path)
    }

    /// `thresholds` and `fields`, in that order (fields may use thresholds and earlier fields).
    mutating func readDefinitions(_ map: MappingReader, _ c: inout FileContext) {
        let path = c.path
        var defined: [String: Int] = [:]
        if let t = map.value("thresholds"), let tm = MappingReader(t, context: "thresholds", file: path, diagnostics: &diagnostics) {
            for p in tm.pairs {
                guard let name = p.key.scalar?.value, validName(name, p.key, path) else { continue }
                if c.reader.environment.fields[name] != nil {
                    diagnostics.error(path, p.key.range, .nameShadowsField(name, what: "threshold"))
                    continue
                }
                if p.value.pairs != nil {
                    readDataThreshold(name, p, map, &c)
                    defined[name] = p.key.range.start.line
                    continue
                }
                guard var value = ScalarValue.threshold(p.value) else {
                    if let text = p.value.scalar?.value, p.value.scalar?.style == .plain, let problem = ScalarValue.numberProblem(text) {
                        diagnostics.error(path, p.value.range, .thresholdNumberProblem(name, problem: problem.text))
                    } else {
                        diagnostics.error(path, p.value.range, .invalidThreshold(name))
                    }
                    continue
                }
                if let text = overrides[name] {
                    usedOverrides.insert(name)
                    if case .list = value, let v = ScalarValue.list(text), ScalarValue.compatible(value, v) {
                        value = v
                    } else if let v = ScalarValue.parse(text, quoted: false), ScalarValue.compatible(value, v) {
                        value = v
                    } else if case .string = value, !text.isEmpty {
                        value = .string(text)
                    } else {
                        diagnostics.add(Diagnostic(file: "--set", range: nil, .thresholdOverrideType(name, expected: value.type.description, found: text)))
                    }
                }
                defined[name] = p.key.range.start.line
                c.thresholds.append(Threshold(name: name, value: value, range: p.key.range))
                c.reader.environment.thresholds[name] = value
            }
        }
        if let f = map.value("fields"), let fm = MappingReader(f, context: "fields", file: path, diagnostics: &diagnostics) {
            for p in fm.pairs {
                guard let name = p.key.scalar?.value, validName(name, p.key, path) else { continue }
                if c.reader.environment.fields[name] != nil {
                    diagnostics.error(path, p.key.range, .nameShadowsField(name, what: "field"))
                    continue
                }
                if let line = defined[name] {
                    diagnostics.error(path, p.key.range, .duplicateDefinition(name, firstLine: line))
                    continue
                }
                guard let e = c.reader.expression(p.value, diagnostics: &diagnostics) else { continue }
                defined[name] = p.key.range.start.line
                c.fields.append(DerivedField(name: name, expression: e))
                c.reader.environment.derived[name] = e.typed
            }
        }
    }

    /// A threshold computed from the data (`{ quantile: 0.9, of: mrr }`); `--set` makes it
    /// a constant (a number).
    mutating func readDataThreshold(_ name: String, _ p: YAMLPair, _ map: MappingReader, _ c: inout FileContext) {
        let fieldNames = map.value("fields")?.pairs?.compactMap { $0.key.scalar?.value } ?? []
        guard let t = DataThresholdReader.read(name: name, key: p.key, value: p.value, fields: fieldNames, reader: c.reader, diagnostics: &diagnostics) else { return }
        if let text = overrides[name] {
            usedOverrides.insert(name)
            guard let v = ScalarValue.parse(text, quoted: false), case .number = v else {
                diagnostics.add(Diagnostic(file: "--set", range: nil, .thresholdOverrideType(name, expected: "a number", found: text)))
                return
            }
            c.thresholds.append(Threshold(name: name, value: v, range: p.key.range))
            c.reader.environment.thresholds[name] = v
            return
        }
        c.thresholds.append(Threshold(name: name, value: .null, range: p.key.range, computed: t))
        c.reader.environment.dataThresholds[name] = t
    }

    mutating func validName(_ name: String, _ node: YAMLNode, _ path: String) -> Bool {
        let ok = name.utf8.first.map { ($0 >= 65 && $0 <= 90) || ($0 >= 97 && $0 <= 122) } ?? false
            && name.utf8.allSatisfy { ($0 >= 65 && $0 <= 90) || ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) || $0 == 95 }
            && Keyword(rawValue: name) == nil && name != "as_of"
        if !ok { diagnostics.error(path, node.range, .invalidName(name)) }
        return ok
    }

    /// A `table:`, read, checked and analysed (see DecisionTable*.swift).
    mutating func readTable(_ node: YAMLNode, outputs: [String], required: [String], policies: [HitPolicy], gaps: Bool,
                                    _ c: inout FileContext) -> AnalysedTable? {
        var reader = DecisionTableReader(path: c.path, reader: c.reader, allowedOutputs: outputs, requiredOutputs: required, policies: policies)
        reader.files = files
        let table = reader.read(node, diagnostics: &diagnostics)
        for (k, v) in reader.sources { sources[k] = v }
        guard let table else { return nil }
        return AnalysedTable(table: table, analysis: DecisionTableDesugar.analyse(table, gaps: gaps, path: c.path, diagnostics: &diagnostics))
    }

    /// A list of mappings with a unique `name` each.
    mutating func namedEntries(_ list: YAMLNode, what: String, keys: [String], required: [String], path: String) -> [NamedEntry] {
        guard let items = list.items else {
            diagnostics.error(path, list.range, .expectedShape("'\(what)'", expected: "a list of entries starting with '- name:'", found: list.shapeDescription))
            return []
        }
        if items.isEmpty { diagnostics.error(path, list.range, .emptyList("'\(what)'")) }
        var out: [NamedEntry] = []
        var seen: [String: Int] = [:]
        for item in items {
            guard let m = MappingReader(item, context: "an entry of '\(what)'", file: path, diagnostics: &diagnostics) else { continue }
            m.checkKeys(keys, file: path, diagnostics: &diagnostics)
            var missing = false
            for k in required where m.required(k, file: path, diagnostics: &diagnostics) == nil { missing = true }
            guard !missing, let nameNode = m.value("name"), let name = MappingReader.text(nameNode, what: "name", file: path, diagnostics: &diagnostics) else { continue }
            if let line = seen[name] {
                diagnostics.error(path, nameNode.range, .duplicateRuleName(name, firstLine: line))
                continue
            }
            seen[name] = nameNode.range.start.line
            out.append(NamedEntry(name: name, map: m, nameNode: nameNode))
        }
        return out
    }

    /// Most signals, levels or recommendations in one file.
    static let maxEntries = 64
}
