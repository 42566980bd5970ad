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
    public var catalogue: [CatalogueProduct] = []
    /// Where files are read from: the file system by default, or texts in memory
    /// (``RuleFileSource/memory(_:)``); `segments:` references are looked up here too.
    public var files: RuleFileSource = .fileSystem

    /// Every problem found so far, and the texts of the files read (for rendering).
    public private(set) var diagnostics = DiagnosticBag()
    public private(set) var sources: [String: SourceText] = [:]
    private var segmentCache: [String: SegmentRules?] = [:]
    private var usedOverrides: Set<String> = []
    /// Set in the loader that reads the file a `segments:` reference names: it stops at
    /// `kind:`, so a reference to a file that is not a segments file is one error, never
    /// a loop of loads (a file naming itself, two files naming each other, …).
    private var segmentsOnly = false
    /// The kind of the file loaded when `segmentsOnly` stopped at it.
    private var stoppedAtKind: (kind: RuleKind, node: YAMLNode)?

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

    private mutating func parse(bytes: [UInt8], path: String) -> YAMLNode? {
        let result = YAMLParser.parse(bytes: bytes, path: path)
        sources[path] = result.source
        diagnostics.add(contentsOf: result.diagnostics)
        guard let root = result.root else {
            if result.diagnostics.isEmpty { diagnostics.add(Diagnostic(file: path, range: nil, .emptyFile)) }
            return nil
        }
        return root
    }

    private mutating func interpret(_ root: YAMLNode, path: String) -> RuleFile? {
        let before = diagnostics.items.filter { $0.severity == .error }.count
        guard let map = MappingReader(root, context: "a rule file", file: path, diagnostics: &diagnostics) else { return nil }
        guard let kindNode = map.required("kind", file: path, diagnostics: &diagnostics),
              let kindText = MappingReader.text(kindNode, what: "kind", file: path, diagnostics: &diagnostics) else { return nil }
        guard let kind = RuleKind(rawValue: kindText) else {
            diagnostics.error(path, kindNode.range, .unknownKind(kindText, suggestion: Suggestion.phrase(for: kindText, in: RuleKind.allCases.map(\.rawValue))))
            return nil
        }
        if segmentsOnly, kind != .segments {
            stoppedAtKind = (kind, kindNode)
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

    struct FileContext {
        let path: String
        var reader: ExpressionReader
        var thresholds: [Threshold] = []
        var fields: [DerivedField] = []
        var segments: SegmentRules?
    }

    private mutating func readHeader(_ map: MappingReader, kind: RuleKind, path: String) -> RuleFileHeader {
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
    private mutating func readDefinitions(_ map: MappingReader, _ c: inout FileContext) {
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
    private mutating func readDataThreshold(_ name: String, _ p: YAMLPair, _ map: MappingReader, _ c: inout FileContext) {
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

    private mutating func validName(_ name: String, _ node: YAMLNode, _ path: String) -> Bool {
        let ok = name.utf8.first.map { ($0 >= 65 && $0 <= 90) || ($0 >= 97 && $0 <= 122) } ?? false
            && name.utf8.allSatisfy { ($0 >= 65 && $0 <= 90) || ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) || $0 == 95 }
            && Keyword(rawValue: name) == nil && name != "as_of"
        if !ok { diagnostics.error(path, node.range, .invalidName(name)) }
        return ok
    }

    // MARK: Segments

    private mutating func segmentsFor(_ map: MappingReader, path: String) -> SegmentRules? {
        let dir = FileBytes.directory(of: path)
        var target = FileBytes.join(dir, "segments.yaml")
        var explicit: YAMLNode?
        if let s = map.value("segments") {
            guard let rel = MappingReader.text(s, what: "segments", file: path, diagnostics: &diagnostics) else { return nil }
            target = rel.hasPrefix("/") ? rel : FileBytes.join(dir, rel)
            explicit = s
        }
        if files.sameFile(target, path) {
            // The file names itself (or is itself the default segments.yaml).
            if let explicit {
                diagnostics.error(path, explicit.range, .segmentsCycle([path, path]))
            } else if let kindNode = map.value("kind") {
                diagnostics.error(path, kindNode.range, .segmentsDefaultKind(kindNode.scalar?.value ?? ""))
            }
            return nil
        }
        if let cached = segmentCache[target] { return cached }
        guard files.exists(target) else {
            if let explicit { diagnostics.error(path, explicit.range, .segmentsFileMissing(target)) }
            segmentCache[target] = .some(nil)
            return nil
        }
        segmentCache[target] = .some(nil)
        var sub = RuleLoader(schema: schema, overrides: overrides, products: products)
        sub.catalogue = catalogue
        sub.files = files
        sub.segmentsOnly = true
        let file = sub.load(path: target)
        for (k, v) in sub.sources { sources[k] = v }
        usedOverrides.formUnion(sub.usedOverrides)
        var result: SegmentRules?
        if let (kind, kindNode) = sub.stoppedAtKind {
            if let explicit {
                if let chain = Self.referenceLoop(from: path, to: target, files: files) {
                    diagnostics.error(path, explicit.range, .segmentsCycle(chain))
                } else {
                    diagnostics.error(path, explicit.range, .segmentsFileKind(target, kind: kind.rawValue))
                }
            } else {
                // The default segments.yaml is some other kind: one error, at its `kind:`.
                diagnostics.error(target, kindNode.range, .segmentsDefaultKind(kind.rawValue))
            }
        } else if case .segments(let s)? = file {
            result = s
        } else {
            // Its own problems are reported when that file is checked; point at the reference.
            diagnostics.add(contentsOf: sub.diagnostics.items.filter { $0.file == target })
        }
        segmentCache[target] = .some(result)
        return result
    }

    /// Most `segments:` references followed to name a loop in a message.
    static let maxReferenceChain = 16

    /// The chain `from → to → …` when following the `segments:` references of files that
    /// are not segments files comes back to a file already in it; nil when it ends.
    /// Each file is only parsed (never interpreted), at most `maxReferenceChain` of them.
    static func referenceLoop(from: String, to: String, files: RuleFileSource = .fileSystem) -> [String]? {
        func value(_ key: String, _ root: YAMLNode) -> String? { root.pairs?.first { $0.key.scalar?.value == key }?.value.scalar?.value }
        var chain = [from, to]
        var current = to
        for _ in 0..<maxReferenceChain {
            guard case .success(let bytes) = files.read(current, YAMLLimits().maxBytes),
                  let root = YAMLParser.parse(bytes: bytes, path: current).root,
                  let kind = value("kind", root), kind != RuleKind.segments.rawValue else { return nil }
            let dir = FileBytes.directory(of: current)
            var next = FileBytes.join(dir, "segments.yaml")
            if let rel = value("segments", root) { next = rel.hasPrefix("/") ? rel : FileBytes.join(dir, rel) }
            guard files.exists(next) else { return nil }
            chain.append(next)
            if chain.dropLast().contains(where: { files.sameFile($0, next) }) { return chain }
            current = next
        }
        return nil
    }

    private mutating func readSegments(_ map: MappingReader, _ header: RuleFileHeader, _ c: inout FileContext) -> SegmentRules? {
        let path = c.path
        let tableNode = map.value("table")
        let list = tableNode == nil ? map.required("segments", file: path, diagnostics: &diagnostics) : map.value("segments")
        guard list != nil || tableNode != nil else { return nil }
        let entries = list.map { namedEntries($0, what: "segments", keys: ["name", "when"], required: ["name", "when"], path: path) } ?? []
        var segments: [SegmentRules.Segment] = []
        var catchAll: String?
        for (name, entry, nameNode) in entries {
            guard let whenNode = entry.value("when"), let when = c.reader.condition(whenNode, what: "the condition of segment '\(name)'", diagnostics: &diagnostics) else { continue }
            if let earlier = catchAll {
                diagnostics.add(Diagnostic(file: path, range: nameNode.range, .shadowedByEarlier("segment '\(name)'", by: "segment '\(earlier)'")))
            } else if StaticAnalysis.alwaysHolds(when.typed) {
                catchAll = name
            }
            segments.append(.init(name: name, when: when, nameRange: nameNode.range))
        }
        if let tableNode {
            // A decision table's rows come after the `segments:` entries (docs: "Decision tables").
            let table = readTable(tableNode, outputs: ["segment"], required: ["segment"], policies: [.first, .unique, .priority], gaps: map.value("otherwise") == nil, &c)
            if let (t, a) = table {
                var taken: [String: Int] = [:]
                for (name, _, node) in entries { taken[name] = node.range.start.line }
                let rows = DecisionTableDesugar.segments(t, a, reader: c.reader, taken: taken, diagnostics: &diagnostics)
                if catchAll == nil, let all = rows.first(where: { StaticAnalysis.alwaysHolds($0.when.typed) }) { catchAll = all.name }
                segments += rows
            }
        }
        var otherwise: String?
        let otherwiseNode = map.value("otherwise")
        if let o = otherwiseNode {
            otherwise = MappingReader.text(o, what: "otherwise", file: path, diagnostics: &diagnostics)
            if let o2 = otherwise, let dup = segments.first(where: { $0.name == o2 }) {
                diagnostics.error(path, o.range, .duplicateRuleName(o2, firstLine: entries.first { $0.0 == o2 }?.2.range.start.line ?? dup.nameRange?.start.line ?? 0))
            }
            if let earlier = catchAll {
                diagnostics.add(Diagnostic(file: path, range: o.range, .shadowedByEarlier("'otherwise'", by: "segment '\(earlier)'")))
            }
        }
        return SegmentRules(header: header, thresholds: c.thresholds, fields: c.fields, segments: segments, otherwise: otherwise, otherwiseRange: otherwiseNode?.range)
    }

    /// A `table:`, read, checked and analysed (see DecisionTable*.swift).
    private mutating func readTable(_ node: YAMLNode, outputs: [String], required: [String], policies: [HitPolicy], gaps: Bool,
                                    _ c: inout FileContext) -> (DecisionTable, DecisionTableAnalysis)? {
        var reader = DecisionTableReader(path: c.path, reader: c.reader, allowedOutputs: outputs, requiredOutputs: required, policies: policies)
        reader.files = files
        let table = reader.read(node, diagnostics: &diagnostics)
        for (k, v) in reader.sources { sources[k] = v }
        guard let table else { return nil }
        return (table, DecisionTableDesugar.analyse(table, gaps: gaps, path: c.path, diagnostics: &diagnostics))
    }

    /// A list of mappings with a unique `name` each.
    private mutating func namedEntries(_ list: YAMLNode, what: String, keys: [String], required: [String], path: String) -> [(String, MappingReader, YAMLNode)] {
        guard let items = list.items else {
            diagnostics.error(path, list.range, .expectedShape("'\(what)'", expected: "a list of entries starting with '- name:'", found: list.shapeDescription))
            return []
        }
        if items.isEmpty { diagnostics.error(path, list.range, .emptyList("'\(what)'")) }
        var out: [(String, MappingReader, YAMLNode)] = []
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
            out.append((name, m, nameNode))
        }
        return out
    }

    // MARK: Churn

    private mutating func readChurn(_ map: MappingReader, _ header: RuleFileHeader, _ c: inout FileContext) -> ChurnRules? {
        let path = c.path
        var eligible: CheckedCondition?
        if let e = map.value("eligible") { eligible = c.reader.condition(e, what: "'eligible'", diagnostics: &diagnostics) }
        var signals: [(String, CheckedCondition, Value, YAMLNode, ReasonTemplate?, SourceRange)] = []
        if map.value("table") != nil, map.value("signals") == nil {
            // The signals come from the table alone.
        } else if let list = map.required("signals", file: path, diagnostics: &diagnostics) {
            for (name, entry, nameNode) in namedEntries(list, what: "signals", keys: ["name", "when", "weight", "reason"], required: ["name", "when"], path: path) {
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
                if let when { signals.append((name, when, weight, weightNode, reason, nameNode.range)) }
            }
        }
        if let tableNode = map.value("table"), let (t, _) = readTable(tableNode, outputs: ["signal", "weight", "reason"], required: ["signal"], policies: [.collect, .unique], gaps: false, &c) {
            var taken: [String: Int] = [:]
            for s in signals where taken[s.0] == nil { taken[s.0] = s.5.start.line }
            signals += DecisionTableDesugar.signals(t, reader: c.reader, taken: taken, diagnostics: &diagnostics)
        }
        var levels: [(String, Value)] = []
        if let l = map.required("levels", file: path, diagnostics: &diagnostics), let lm = MappingReader(l, context: "levels", file: path, diagnostics: &diagnostics) {
            if lm.pairs.isEmpty { diagnostics.error(path, l.range, .noLevels) }
            for p in lm.pairs {
                guard let name = p.key.scalar?.value else { continue }
                guard let v = Self.score(p.value) else {
                    diagnostics.error(path, p.value.range, .invalidScore(p.value.scalar?.value ?? p.value.shapeDescription, what: "the minimum score of level '\(name)'"))
                    continue
                }
                levels.append((name, v))
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
        let all = signals.map(\.2) + levels.map(\.1)
        let scale = all.map { v -> Int in if case .number(_, let s) = v { return s } else { return 0 } }.max() ?? 0
        func scaled(_ v: Value) -> Int64 {
            guard case .number(let x, let s) = v else { return 0 }
            return Decimal64.rescaleSaturating(x, by: Decimal64.power(scale - s))
        }
        let total = signals.reduce(Int64(0)) { Decimal64.add($0, scaled($1.2)) ?? Int64.max }
        let sortedLevels = levels.map { ChurnRules.Level(name: $0.0, minimum: scaled($0.1)) }.sorted { $0.minimum > $1.minimum }
        if let top = sortedLevels.first, top.minimum > total, !signals.isEmpty, let node = map.value("levels") {
            diagnostics.add(Diagnostic(file: path, range: node.range, .neverMatches("level '\(top.name)' (needs \(Decimal64.format(top.minimum, scale: scale)), all weights add up to \(Decimal64.format(total, scale: scale)))")))
        }
        return ChurnRules(header: header, thresholds: c.thresholds, fields: c.fields, eligible: eligible,
                          signals: signals.map { .init(name: $0.0, when: $0.1, weight: scaled($0.2), reason: $0.4, nameRange: $0.5) },
                          levels: sortedLevels, weightScale: scale, segments: c.segments)
    }

    /// The usual level names a level name is compared with.
    static let usualLevels = ["high", "medium", "low"]

    /// The usual level name `name` is a near miss of (edit distance 1 or 2, ignoring
    /// case), nil when it is one of them or not close to any: level names stay free.
    static func levelNearMiss(_ name: String) -> String? {
        let w = Array(name.lowercased().unicodeScalars)
        guard w.count <= Suggestion.maxLength else { return nil }
        var best: (String, Int)?
        for usual in usualLevels {
            let u = Array(usual.unicodeScalars)
            if w == u { return nil }
            if let d = Suggestion.distance(w, u, limit: 2), d > 0, best.map({ d < $0.1 }) ?? true { best = (usual, d) }
        }
        return best?.0
    }

    /// Largest list price in `prices:` (cents): one million a month.
    static let maxListPrice: Int64 = 100_000_000

    /// Most signals, levels or recommendations in one file.
    static let maxEntries = 64
    /// Largest weight or level minimum: 64 weights of this size still add up exactly.
    static let maxScore: Int64 = 1_000_000

    /// A weight or level minimum: a plain number from 0 to `maxScore`.
    static func score(_ node: YAMLNode) -> Value? {
        guard let s = node.scalar, s.style == .plain, case .number(let v, let sc)? = ScalarValue.number(s.value),
              v >= 0, Decimal64.compare(v, sc, maxScore, 0) <= 0 else { return nil }
        return .number(v, scale: sc)
    }

    // MARK: Upsell

    private mutating func readUpsell(_ map: MappingReader, _ header: RuleFileHeader, _ c: inout FileContext) -> UpsellRules? {
        let path = c.path
        var strategy = UpsellRules.Strategy.first
        if let s = map.value("strategy"), let t = MappingReader.text(s, what: "strategy", file: path, diagnostics: &diagnostics) {
            if let v = UpsellRules.Strategy(rawValue: t) { strategy = v } else {
                diagnostics.error(path, s.range, .invalidStrategy(t, suggestion: Suggestion.phrase(for: t, in: ["first", "all"])))
            }
        }
        var prices: [String: Int64] = [:]
        var seatPrices: [String: Int64] = [:]
        for p in catalogue {
            prices[p.name] = p.listPrice
            if let seat = p.perSeat { seatPrices[p.name] = seat }
        }
        if let pn = map.value("prices"), let pm = MappingReader(pn, context: "prices", file: path, diagnostics: &diagnostics) {
            for p in pm.pairs {
                guard let product = p.key.scalar?.value else { continue }
                guard let s = p.value.scalar, s.style == .plain, let cents = Money.parseScaled(Array(s.value.utf8)[...], scale: 2),
                      cents >= 0, cents <= Self.maxListPrice else {
                    diagnostics.error(path, p.value.range, .invalidListPrice(product, found: p.value.scalar?.value ?? p.value.shapeDescription))
                    continue
                }
                prices[product] = cents
                seatPrices[product] = nil  // the file's price is the whole price
            }
        }
        let known = Set(products).union(prices.keys)
        var recs: [UpsellRules.Recommendation] = []
        let recommendationsNode = map.value("table") != nil && map.value("recommendations") == nil ? nil : map.required("recommendations", file: path, diagnostics: &diagnostics)
        if let list = recommendationsNode {
            for (name, entry, nameNode) in namedEntries(list, what: "recommendations", keys: ["name", "when", "recommend", "action", "value", "replaces", "reason"], required: ["name", "when"], path: path) {
                let when = entry.value("when").flatMap { c.reader.condition($0, what: "the condition of recommendation '\(name)'", diagnostics: &diagnostics) }
                // An offer is a product (`recommend:`) or an action (`action:`, optional `value:`).
                let productNode = entry.value("recommend"), actionNode = entry.value("action")
                if productNode != nil, let actionNode {
                    diagnostics.error(path, actionNode.range, .offerTwice)
                    continue
                }
                guard let pNode = productNode ?? actionNode else {
                    diagnostics.error(path, nameNode.range, .offerMissing(name))
                    continue
                }
                let isAction = actionNode != nil
                guard let product = MappingReader.text(pNode, what: isAction ? "action" : "recommend", file: path, diagnostics: &diagnostics) else { continue }
                var value: Int64?
                var valueExpression: CheckedExpression?
                if let v = entry.value("value") {
                    (value, valueExpression) = offerValue(v, rule: name, offer: product, isAction: isAction, &c)
                }
                let (replaced, replacesRange) = entry.value("replaces").map { offerReplaces($0, offer: isAction ? nil : product, known: known, path: path) } ?? ([], nil)
                if isAction {
                    if known.contains(product) { diagnostics.add(Diagnostic(file: path, range: pNode.range, .actionNamesProduct(product))) }
                } else {
                    if !known.isEmpty, !known.contains(product) {
                        diagnostics.add(Diagnostic(file: path, range: pNode.range, .unknownProduct(product, suggestion: Suggestion.phrase(for: product, in: known))))
                    }
                    if let when, Self.requiresOwning(when.typed, product) {
                        diagnostics.error(path, pNode.range, .recommendsOwnedProduct(product))
                    }
                }
                let reason = entry.value("reason").flatMap { c.reader.reason($0, diagnostics: &diagnostics) }
                if let when {
                    recs.append(.init(name: name, when: when, product: product, reason: reason, isAction: isAction, value: value, valueExpression: valueExpression,
                                      replaces: replaced, replacesRange: replacesRange, offerRange: pNode.range, nameRange: nameNode.range))
                }
            }
        }
        if let tableNode = map.value("table"),
           let (t, _) = readTable(tableNode, outputs: ["recommend", "action", "reason", "value"], required: ["recommend", "action"], policies: HitPolicy.allCases, gaps: false, &c) {
            if (t.hit == .collect && strategy == .first) || ((t.hit == .first || t.hit == .priority) && strategy == .all) {
                diagnostics.error(path, t.hitRange, .tableHitForStrategy(t.hit.rawValue, strategy: strategy.rawValue))
            }
            recs += DecisionTableDesugar.recommendations(t, reader: c.reader, known: known, diagnostics: &diagnostics)
        }
        if recs.count > Self.maxEntries, let node = map.value("recommendations") ?? map.value("table") {
            diagnostics.error(path, node.range, .tooManyEntries("recommendations", limit: Self.maxEntries))
        }
        return UpsellRules(header: header, thresholds: c.thresholds, fields: c.fields, strategy: strategy, recommendations: recs, prices: prices, segments: c.segments,
                           seatPrices: seatPrices, catalogueProducts: catalogue.map(\.name))
    }

    /// An offer's `value:`: a plain amount (cents, exactly as before expressions), or an
    /// expression over the customer checked as money (a number with at most 2 decimals).
    private mutating func offerValue(_ v: YAMLNode, rule: String, offer: String, isAction: Bool, _ c: inout FileContext) -> (Int64?, CheckedExpression?) {
        let path = c.path
        // A plain number is an amount: 0 to 1,000,000.00 with at most 2 decimals.
        if let s = v.scalar, s.style == .plain, ScalarValue.number(s.value) != nil {
            if let cents = Money.parseScaled(Array(s.value.utf8)[...], scale: 2), cents >= 0, cents <= Self.maxListPrice { return (cents, nil) }
            diagnostics.error(path, v.range, isAction ? .invalidActionValue(offer, found: s.value) : .invalidOfferValue(offer, found: s.value))
            return (nil, nil)
        }
        guard v.scalar != nil else {
            diagnostics.error(path, v.range, isAction ? .invalidActionValue(offer, found: v.shapeDescription) : .invalidOfferValue(offer, found: v.shapeDescription))
            return (nil, nil)
        }
        guard let e = c.reader.expression(v, diagnostics: &diagnostics) else { return (nil, nil) }
        let whole = e.source.range(Span(0, e.source.text.utf8.count))
        switch e.typed.type {
        case .number(let scale) where scale > 2:
            diagnostics.error(path, whole, .offerValueScale(rule, scale: scale))
            return (nil, nil)
        case .number, .null:
            return (nil, e)
        default:
            diagnostics.error(path, whole, .offerValueNotNumber(rule, found: e.typed.type.description))
            return (nil, nil)
        }
    }

    /// `replaces:`: one product name or a list of them, none the offered product itself.
    private mutating func offerReplaces(_ node: YAMLNode, offer: String?, known: Set<String>, path: String) -> ([String], SourceRange?) {
        let nodes = node.items ?? [node]
        var out: [String] = []
        for n in nodes {
            guard let s = n.scalar, !s.value.isEmpty else {
                diagnostics.error(path, n.range, .expectedShape("'replaces:'", expected: "a product name or a list of product names", found: n.shapeDescription))
                continue
            }
            let name = s.value
            if let offer, ExactText.equal(name, offer) {
                diagnostics.error(path, n.range, .replacesOffered(name))
                continue
            }
            if out.contains(where: { ExactText.equal($0, name) }) {
                diagnostics.error(path, n.range, .replacesTwice(name))
                continue
            }
            if !known.isEmpty, !known.contains(name) {
                diagnostics.add(Diagnostic(file: path, range: n.range, .unknownProduct(name, suggestion: Suggestion.phrase(for: name, in: known))))
            }
            out.append(name)
        }
        return (out, node.range)
    }

    /// True when the condition can only hold for customers who have `product`.
    static func requiresOwning(_ e: TypedExpr, _ product: String) -> Bool {
        var seen: Set<ObjectIdentifier> = []
        return requiresOwning(e, product, &seen)
    }

    /// `seen`: derived fields already looked at (each once; one that said yes ends the walk).
    private static func requiresOwning(_ e: TypedExpr, _ product: String, _ seen: inout Set<ObjectIdentifier>) -> Bool {
        switch e.node {
        case .and(let a, let b): return requiresOwning(a, product, &seen) || requiresOwning(b, product, &seen)
        case .membership(let item, let list, false):
            if case .string(let p)? = item.constant, p == product, case .field("products") = list.node { return true }
            return false
        case .derived(_, let inner):
            guard seen.insert(ObjectIdentifier(inner)).inserted else { return false }
            return requiresOwning(inner, product, &seen)
        default: return false
        }
    }

    // MARK: Analytics

    private mutating func readAnalytics(_ map: MappingReader, _ header: RuleFileHeader, _ c: inout FileContext) -> AnalyticsRules? {
        let path = c.path
        var filter: CheckedCondition?
        if let w = map.value("where") { filter = c.reader.condition(w, what: "'where'", diagnostics: &diagnostics) }
        var tiers: [AnalyticsRules.Tier] = []
        var otherwise = "Other"
        if let l = map.value("loyalty"), let lm = MappingReader(l, context: "loyalty", file: path, diagnostics: &diagnostics) {
            lm.checkKeys(["tiers", "otherwise"], file: path, diagnostics: &diagnostics)
            if let t = lm.value("tiers") {
                var catchAll: String?
                for (name, entry, nameNode) in namedEntries(t, what: "tiers", keys: ["name", "when"], required: ["name", "when"], path: path) {
                    guard let whenNode = entry.value("when"), let when = c.reader.condition(whenNode, what: "the condition of tier '\(name)'", diagnostics: &diagnostics) else { continue }
                    if let earlier = catchAll {
                        diagnostics.add(Diagnostic(file: path, range: nameNode.range, .shadowedByEarlier("tier '\(name)'", by: "tier '\(earlier)'")))
                    } else if StaticAnalysis.alwaysHolds(when.typed) {
                        catchAll = name
                    }
                    tiers.append(.init(name: name, when: when))
                }
            }
            if let o = lm.value("otherwise"), let t = MappingReader.text(o, what: "otherwise", file: path, diagnostics: &diagnostics) { otherwise = t }
        }
        let groupable = groupableNames(c)
        var revenueBy = ["product", c.segments != nil ? "segment" : "industry"]
        if let r = map.value("revenue"), let rm = MappingReader(r, context: "revenue", file: path, diagnostics: &diagnostics) {
            rm.checkKeys(["by"], file: path, diagnostics: &diagnostics)
            if let by = rm.value("by") {
                revenueBy = []
                for n in by.items ?? [by] {
                    guard let name = MappingReader.text(n, what: "by", file: path, diagnostics: &diagnostics) else { continue }
                    if revenueBy.contains(name) {
                        diagnostics.error(path, n.range, .duplicateDefinition(name, firstLine: by.range.start.line))
                    } else if revenueBy.count == 2 {
                        diagnostics.error(path, n.range, .revenueGroupedTwice)
                    } else if groupable.contains(name) { revenueBy.append(name) } else {
                        diagnostics.error(path, n.range, groupingProblem(name, groupable, c))
                    }
                }
            }
        }
        var top = 3, minCustomers = 1, pairTop = 10
        if let b = map.value("bundles"), let bm = MappingReader(b, context: "bundles", file: path, diagnostics: &diagnostics) {
            bm.checkKeys(["top", "min_customers", "pairs"], file: path, diagnostics: &diagnostics)
            if let t = bm.value("top"), let v = MappingReader.positiveInt(t, what: "top", file: path, diagnostics: &diagnostics) { top = v }
            if let t = bm.value("min_customers"), let v = MappingReader.positiveInt(t, what: "min_customers", file: path, diagnostics: &diagnostics) { minCustomers = v }
            if let t = bm.value("pairs"), let v = MappingReader.positiveInt(t, what: "pairs", file: path, diagnostics: &diagnostics) { pairTop = v }
        }
        var profitBy = c.segments != nil ? "segment" : "industry"
        if let p = map.value("profitability"), let pm = MappingReader(p, context: "profitability", file: path, diagnostics: &diagnostics) {
            pm.checkKeys(["by"], file: path, diagnostics: &diagnostics)
            if let by = pm.value("by"), let name = MappingReader.text(by, what: "by", file: path, diagnostics: &diagnostics) {
                if groupable.contains(name), name != "product" { profitBy = name } else {
                    diagnostics.error(path, by.range, groupingProblem(name, groupable, c))
                }
            }
        }
        return AnalyticsRules(header: header, thresholds: c.thresholds, fields: c.fields, filter: filter, tiers: tiers, tierOtherwise: otherwise,
                              revenueBy: revenueBy, bundleTop: top, bundleMinCustomers: minCustomers, pairTop: pairTop, profitabilityBy: profitBy, segments: c.segments)
    }

    /// Why `name` cannot be a grouping: a money or decimal field, or an unknown name.
    private func groupingProblem(_ name: String, _ groupable: [String], _ c: FileContext) -> DiagnosticMessage {
        if let d = c.reader.environment.derived[name] {
            return .groupingDerivedNotText(name, type: "\(d.type)")
        }
        if case .number(let scale)? = c.reader.environment.fields[name]?.type, scale > 0 {
            return .groupingAmount(name)
        }
        return .invalidGrouping(name, suggestion: Suggestion.phrase(for: name, in: groupable))
    }

    private func groupableNames(_ c: FileContext) -> [String] {
        var names = ["product", "loyalty_tier"]
        for (name, f) in c.reader.environment.fields.sorted(by: { $0.key < $1.key }) {
            switch f.type {
            case .string, .boolean, .number(scale: 0), .date: names.append(name)
            default: break
            }
        }
        // Derived fields giving text: computed per customer, then grouped like a text field.
        for (name, d) in c.reader.environment.derived.sorted(by: { $0.key < $1.key }) where d.type == .string { names.append(name) }
        return names
    }
}
