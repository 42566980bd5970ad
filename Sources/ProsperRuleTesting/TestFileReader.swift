import ProsperModel
import ProsperRules

/// Reads test files: every problem with its position and a did-you-mean, never stopping
/// at the first one. Names that depend on the rules (levels, signals, thresholds, …)
/// are checked later, by `TestRunner`, once the rules are loaded.
struct TestFileReader {
    let path: String
    let kinds: [String: (kind: FieldKind, nullable: Bool)]
    private(set) var diagnostics: [Diagnostic] = []

    static let topKeys = ["rules", "as_of", "defaults", "cases"]
    static let caseKeys = ["name", "customer", "set", "expect"]

    init(path: String, schema: Schema) {
        self.path = path
        kinds = CustomerFields.kinds(schema: schema)
    }

    /// Reads `path`; nil when the file cannot be used (the diagnostics say why).
    static func read(path: String, schema: Schema) -> (file: TestFile?, source: SourceText?, diagnostics: [Diagnostic]) {
        let bytes: [UInt8]
        switch FileBytes.read(path, limit: YAMLLimits().maxBytes) {
        case .success(let b): bytes = b
        case .failure(let m): return (nil, nil, [Diagnostic(file: path, range: nil, m)])
        }
        let parsed = YAMLParser.parse(bytes: bytes, path: path)
        guard let root = parsed.root, parsed.diagnostics.allSatisfy({ $0.severity != .error }) else {
            let ds = parsed.diagnostics.isEmpty ? [Diagnostic(file: path, range: nil, .testMissingKey("cases", in: "a test file"))] : parsed.diagnostics
            return (nil, parsed.source, ds)
        }
        var reader = TestFileReader(path: path, schema: schema)
        let file = reader.file(root)
        let ds = parsed.diagnostics + reader.diagnostics
        return (ds.contains { $0.severity == .error } ? nil : file, parsed.source, ds)
    }

    mutating func error(_ range: SourceRange?, _ m: DiagnosticMessage) {
        diagnostics.append(Diagnostic(file: path, range: range, m))
    }

    /// The pairs of a mapping, unknown (did-you-mean) and duplicate keys reported.
    mutating func pairs(_ node: YAMLNode, _ what: String, allowed: [String]?) -> [(key: String, keyNode: YAMLNode, value: YAMLNode)] {
        guard let pairs = node.pairs else {
            error(node.range, .testShape(what, expected: "a mapping (key: value lines)", found: node.shapeDescription))
            return []
        }
        var out: [(String, YAMLNode, YAMLNode)] = []
        var seen: [String: Int] = [:]
        for p in pairs {
            guard let key = p.key.scalar?.value else {
                error(p.key.range, .testShape("a key in \(what)", expected: "a plain name", found: p.key.shapeDescription))
                continue
            }
            if let first = seen[key] {
                error(p.key.range, .testDuplicateKey(key, firstLine: first))
                continue
            }
            seen[key] = p.key.range.start.line
            if let allowed, !allowed.contains(key) {
                error(p.key.range, .testUnknownKey(key, in: what, suggestion: Self.hint(key, allowed)))
                continue
            }
            out.append((key, p.key, p.value))
        }
        return out
    }

    static func hint(_ word: String, _ candidates: [String]) -> String {
        let s = Suggestion.phrase(for: word, in: candidates)
        return s.isEmpty ? "; expected one of: " + candidates.joined(separator: ", ") : s
    }

    mutating func file(_ root: YAMLNode) -> TestFile? {
        let top = pairs(root, "a test file", allowed: Self.topKeys)
        guard root.pairs != nil else { return nil }
        let dir = FileBytes.directory(of: path)
        var rules = [FileBytes.join(dir, "..")]
        var rulesRange: SourceRange?
        var asOf = TestFile.defaultAsOf
        var defaults: [FieldValue] = []
        var cases: [TestCase] = []
        var sawCases = false
        for (key, keyNode, value) in top {
            switch key {
            case "rules":
                rulesRange = value.range
                let names: [YAMLNode] = value.items ?? [value]
                var out: [String] = []
                for n in names {
                    guard let s = n.scalar, !s.isNull, !s.value.isEmpty else {
                        error(n.range, .testShape("'rules'", expected: "a rule file or folder, or a list of them", found: n.shapeDescription))
                        continue
                    }
                    out.append(s.value.hasPrefix("/") ? s.value : FileBytes.join(dir, s.value))
                }
                if !out.isEmpty { rules = out }
            case "as_of":
                if let s = value.scalar, let d = Day(iso: s.value) { asOf = d } else {
                    error(value.range, .testFieldValue("as_of", expected: "a date YYYY-MM-DD", found: CustomerFields.shape(value)))
                }
            case "defaults":
                defaults = customer(value, "'defaults'")
            case "cases":
                sawCases = true
                guard let items = value.items else {
                    error(value.range, .testShape("'cases'", expected: "a list of test cases ('- name: …')", found: value.shapeDescription))
                    continue
                }
                if items.isEmpty { error(keyNode.range, .testNoCases) }
                for item in items { if let c = testCase(item) { cases.append(c) } }
            default:
                break
            }
        }
        if !sawCases { error(SourceRange(at: root.range.start), .testMissingKey("cases", in: "a test file")) }
        return TestFile(path: path, rules: rules, rulesRange: rulesRange, asOf: asOf, defaults: defaults, cases: cases)
    }

    mutating func testCase(_ node: YAMLNode) -> TestCase? {
        let entries = pairs(node, "a test case", allowed: Self.caseKeys)
        guard node.pairs != nil else { return nil }
        var name: String?
        var customer: [FieldValue] = []
        var settings: [ThresholdSetting] = []
        var expectations: [Expectation]?
        for (key, _, value) in entries {
            switch key {
            case "name":
                if let s = value.scalar, !s.isNull { name = s.value } else {
                    error(value.range, .testShape("'name'", expected: "a text", found: value.shapeDescription))
                    name = ""
                }
            case "customer":
                customer = self.customer(value, "'customer'")
            case "set":
                for (k, kn, v) in pairs(value, "'set'", allowed: nil) {
                    if let s = v.scalar {
                        settings.append(ThresholdSetting(name: k, text: s.value, range: v.range, keyRange: kn.range))
                    } else if let items = v.items, items.allSatisfy({ $0.scalar != nil }) {
                        let text = "[" + items.compactMap { $0.scalar.map { $0.style == .plain ? $0.value : "\"" + $0.value + "\"" } }.joined(separator: ", ") + "]"
                        settings.append(ThresholdSetting(name: k, text: text, range: v.range, keyRange: kn.range))
                    } else {
                        error(kn.range, .testShape("threshold '\(k)'", expected: "a value or a list of values", found: v.shapeDescription))
                    }
                }
            case "expect":
                expectations = expect(value)
            default:
                break
            }
        }
        if name == nil { error(SourceRange(at: node.range.start), .testMissingKey("name", in: "a test case")) }
        if expectations == nil { error(SourceRange(at: node.range.start), .testMissingKey("expect", in: "a test case")) }
        return TestCase(name: name ?? "", location: node.range.start, customer: customer, settings: settings, expectations: expectations ?? [])
    }

    mutating func customer(_ node: YAMLNode, _ what: String) -> [FieldValue] {
        if let s = node.scalar, s.isNull { return [] }
        var out: [FieldValue] = []
        let names = kinds.keys.sorted()
        for (key, keyNode, value) in pairs(node, what, allowed: nil) {
            if let from = CustomerFields.computed[key] {
                error(keyNode.range, .testComputedField(key, from: from))
                continue
            }
            if key == "subscriptions", kinds[key] == nil {
                if let v = subscriptions(value, keyNode: keyNode) { out.append(v) }
                continue
            }
            guard let k = kinds[key] else {
                error(keyNode.range, .testUnknownField(key, suggestion: Suggestion.phrase(for: key, in: names + ["subscriptions"])))
                continue
            }
            switch CustomerFields.value(value, field: key, kind: k.kind, nullable: k.nullable) {
            case .value(let v):
                out.append(FieldValue(name: key, value: v, range: value.scalar?.isNull == true && value.range.start == value.range.end ? keyNode.range : value.range,
                                      itemRanges: value.items?.map(\.range) ?? []))
            case .problem(let m):
                error(value.range, m)
            }
        }
        for (a, b) in CustomerFields.conflicts {
            if out.contains(where: { $0.name == a }), let second = out.first(where: { $0.name == b }) {
                error(second.range, .testConflictingFields(a, b))
            }
        }
        return out
    }

    mutating func expect(_ node: YAMLNode) -> [Expectation] {
        var out: [Expectation] = []
        let entries = pairs(node, "'expect'", allowed: Expectation.Key.allCases.map(\.rawValue))
        if node.pairs?.isEmpty == true { error(node.range, .testShape("'expect'", expected: "at least one expectation", found: "none")) }
        for (key, _, value) in entries {
            guard let k = Expectation.Key(rawValue: key) else { continue }
            switch k {
            case .segment, .level, .offer:
                guard let s = value.scalar, !s.isNull else {
                    error(value.range, .testFieldValue(key, expected: k == .segment ? "a segment name" : "a name or none", found: CustomerFields.shape(value)))
                    continue
                }
                out.append(Expectation(key: k, value: .string(s.value), range: value.range, itemRanges: [value.range]))
            case .eligible:
                guard let s = value.scalar, s.value == "true" || s.value == "false" else {
                    error(value.range, .testFieldValue(key, expected: "true or false", found: CustomerFields.shape(value)))
                    continue
                }
                out.append(Expectation(key: k, value: .boolean(s.value == "true"), range: value.range, itemRanges: []))
            case .score:
                guard let s = value.scalar, let n = CustomerFields.number(s.value, scale: 4) else {
                    error(value.range, .testFieldValue(key, expected: "a number", found: CustomerFields.shape(value)))
                    continue
                }
                out.append(Expectation(key: k, value: .number(n, scale: 4), range: value.range, itemRanges: []))
            case .addedMRR:
                guard let s = value.scalar, let n = CustomerFields.number(s.value, scale: 2) else {
                    error(value.range, .testFieldValue(key, expected: "an amount with at most 2 decimals", found: CustomerFields.shape(value)))
                    continue
                }
                out.append(Expectation(key: k, value: .number(n, scale: 2), range: value.range, itemRanges: []))
            case .signals, .offers:
                let items: [YAMLNode]
                if let s = value.scalar, s.isNull || s.value == "none" { items = [] } else if let list = value.items { items = list } else {
                    error(value.range, .testFieldValue(key, expected: "a list of names, e.g. [\(k == .signals ? "inactive, cancel_intent" : "Payroll")], or []", found: CustomerFields.shape(value)))
                    continue
                }
                var names: [Value] = []
                var ranges: [SourceRange] = []
                for i in items {
                    guard let s = i.scalar, !s.isNull else {
                        error(i.range, .testFieldValue(key, expected: "a list of names", found: CustomerFields.shape(i)))
                        continue
                    }
                    names.append(.string(s.value))
                    ranges.append(i.range)
                }
                out.append(Expectation(key: k, value: .list(names), range: value.range, itemRanges: ranges))
            }
        }
        return out
    }
}
