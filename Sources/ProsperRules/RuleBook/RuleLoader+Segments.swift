import ProsperModel

/// Segments files, and the `segments:` reference (or the `segments.yaml` beside a file)
/// that gives a churn, upsell or analytics file its segments.
extension RuleLoader {
    mutating func segmentsFor(_ map: MappingReader, path: String) -> SegmentRules? {
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
        if let stopped = sub.stoppedAtKind {
            let kind = stopped.kind, kindNode = stopped.node
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

    mutating func readSegments(_ map: MappingReader, _ header: RuleFileHeader, _ c: inout FileContext) -> SegmentRules? {
        let path = c.path
        let tableNode = map.value("table")
        let list = tableNode == nil ? map.required("segments", file: path, diagnostics: &diagnostics) : map.value("segments")
        guard list != nil || tableNode != nil else { return nil }
        let entries = list.map { namedEntries($0, what: "segments", keys: ["name", "when"], required: ["name", "when"], path: path) } ?? []
        var segments: [SegmentRules.Segment] = []
        var catchAll: String?
        for e in entries {
            let name = e.name, entry = e.map, nameNode = e.nameNode
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
            if let table {
                var taken: [String: Int] = [:]
                for e in entries { taken[e.name] = e.nameNode.range.start.line }
                let rows = DecisionTableDesugar.segments(table.table, table.analysis, reader: c.reader, taken: taken, diagnostics: &diagnostics)
                if catchAll == nil, let all = rows.first(where: { StaticAnalysis.alwaysHolds($0.when.typed) }) { catchAll = all.name }
                segments += rows
            }
        }
        var otherwise: String?
        let otherwiseNode = map.value("otherwise")
        if let o = otherwiseNode {
            otherwise = MappingReader.text(o, what: "otherwise", file: path, diagnostics: &diagnostics)
            if let o2 = otherwise, let dup = segments.first(where: { $0.name == o2 }) {
                diagnostics.error(path, o.range, .duplicateRuleName(o2, firstLine: entries.first { $0.name == o2 }?.nameNode.range.start.line ?? dup.nameRange?.start.line ?? 0))
            }
            if let earlier = catchAll {
                diagnostics.add(Diagnostic(file: path, range: o.range, .shadowedByEarlier("'otherwise'", by: "segment '\(earlier)'")))
            }
        }
        return SegmentRules(header: header, thresholds: c.thresholds, fields: c.fields, segments: segments, otherwise: otherwise, otherwiseRange: otherwiseNode?.range)
    }
}
