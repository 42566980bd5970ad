import Foundation
import Testing
@testable import ProsperRules

/// Rules loaded from text (`RuleLoader.load(text:path:)`) and from texts in memory
/// (`RuleFileSource.memory`, `RuleSetChecker.check(texts:)`) give exactly what the same
/// bytes give on disk: the same rule file and the same diagnostics at the same places.
@Suite struct RulesFromTextTests {
    /// The single-file fixtures whose bytes are text (a `String` cannot hold invalid UTF-8).
    static let badFiles: [String] = {
        let root = Fixtures.directory + "/bad"
        let all = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
        return all.filter { $0.hasSuffix(".yaml") }.sorted().filter { text(root + "/" + $0) != nil }
    }()

    static func text(_ path: String) -> String? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return String(data: data, encoding: .utf8)
    }

    /// Everything a load gives, in one comparable text: the file (dumped) and every
    /// diagnostic rendered with its source excerpt.
    static func outcome(_ file: RuleFile?, _ loader: RuleLoader) -> String {
        var out = canonical(file) + "\n"
        for d in loader.diagnostics.sorted { out += DiagnosticRenderer.render(d, source: loader.sources[d.file]) + "\n" }
        return out
    }

    /// Each `bad/` fixture and each shipped rule file of `rules/`.
    @Test(arguments: badFiles.map { "bad/" + $0 } + ["rules/churn.yaml", "rules/upsell.yaml", "rules/analytics.yaml", "rules/segments.yaml"])
    func textLoadsLikeFile(_ name: String) throws {
        let path = name.hasPrefix("rules/") ? Fixtures.repositoryRoot + "/" + name : Fixtures.directory + "/" + name
        let text = try #require(Self.text(path))
        var fromFile = RuleLoader()
        let a = fromFile.load(path: path)
        var fromText = RuleLoader()
        let b = fromText.load(text: text, path: path)
        #expect((a == nil) == (b == nil))
        #expect(Self.outcome(a, fromFile) == Self.outcome(b, fromText), "\(name): loading the text differs from loading the file")
    }

    /// Every folder fixture (segments references that loop, name a missing file or the
    /// wrong kind) and the shipped rules/ folder, checked from a dictionary of texts.
    @Test(arguments: FolderFixtureTests.names.map { "folders/" + $0 } + ["rules"])
    func memoryFolderChecksLikeDisk(_ name: String) throws {
        let root = name == "rules" ? Fixtures.repositoryRoot + "/rules" : Fixtures.directory + "/" + name
        let onDisk = RuleSetChecker.check(paths: [root])
        var texts: [String: String] = [:]
        for f in onDisk.paths { texts[f] = try #require(Self.text(f)) }
        let inMemory = RuleSetChecker.check(texts: texts)
        #expect(inMemory.paths == onDisk.paths)
        #expect(render(inMemory) == render(onDisk), "\(name): checking the texts in memory differs from checking the folder")
        #expect(Self.canonical(onDisk.files) == Self.canonical(inMemory.files))
    }

    /// A value written out whole through reflection, dictionaries and sets sorted (their
    /// order differs from one instance to the next), classes followed into.
    static func canonical(_ value: Any, depth: Int = 0) -> String {
        let mirror = Mirror(reflecting: value)
        if mirror.children.isEmpty || depth > 100 { return String(describing: value) }
        var parts = mirror.children.map { ($0.label ?? "") + ":" + canonical($0.value, depth: depth + 1) }
        if mirror.displayStyle == .dictionary || mirror.displayStyle == .set { parts.sort() }
        return "\(mirror.subjectType)(" + parts.joined(separator: ", ") + ")"
    }

    func render(_ r: RuleCheckResult) -> String {
        r.diagnostics.map { DiagnosticRenderer.render($0, source: r.sources[$0.file]) }.joined(separator: "\n")
    }

    /// A `segments:` reference to a file the dictionary does not hold is the error a
    /// missing file on disk gives, at the reference.
    @Test func missingSegmentsFileInMemory() throws {
        let churn = "kind: churn\nsegments: shared/segments.yaml\nsignals:\n  - name: quiet\n    when: logins_30d == 0\nlevels:\n  high: 1\n"
        var loader = RuleLoader()
        loader.files = .memory(["rules/other.yaml": "kind: segments\n"])
        let file = loader.load(text: churn, path: "rules/churn.yaml")
        #expect(file == nil)
        let d = try #require(loader.diagnostics.items.first)
        #expect(d.code == "segments-file-missing")
        #expect("\(d.file):\(d.range?.start.line ?? 0):\(d.range?.start.column ?? 0)" == "rules/churn.yaml:2:11")
        #expect(d.message.contains("rules/shared/segments.yaml"))

        // The same bytes on disk, under the same paths: the same rendered diagnostics.
        let folder = TempFolder()
        defer { folder.remove() }
        try FileManager.default.createDirectory(atPath: folder.path + "/rules", withIntermediateDirectories: true)
        let path = folder.write("rules/churn.yaml", churn)
        folder.write("rules/other.yaml", "kind: segments\n")
        var fromDisk = RuleLoader()
        let a = fromDisk.load(path: path)
        var fromMemory = RuleLoader()
        fromMemory.files = .memory([folder.path + "/rules/other.yaml": "kind: segments\n"])
        let b = fromMemory.load(text: churn, path: path)
        #expect(a == nil && b == nil)
        #expect(Self.outcome(a, fromDisk) == Self.outcome(b, fromMemory))
    }

    /// The segments beside a file in memory are found like `segments.yaml` on disk, also
    /// through `./` and `..` in a reference; the file system is never read.
    @Test func segmentsResolvedInMemory() throws {
        let segments = "kind: segments\nsegments:\n  - name: big\n    when: employees >= 100\notherwise: small\n"
        let churn = "kind: churn\nsegments: ../rules/./segments.yaml\nsignals:\n  - name: quiet\n    when: segment == \"big\"\nlevels:\n  high: 1\n"
        var loader = RuleLoader()
        loader.files = .memory(["rules/segments.yaml": segments])
        let loaded = loader.load(text: churn, path: "rules/churn.yaml")
        guard case .churn(let c)? = loaded else { Issue.record("not a churn file"); return }
        #expect(c.segments?.names == ["big", "small"])
        #expect(loader.diagnostics.items.isEmpty)
    }

    /// Text over the size limit is `file-too-large`, as a file of that size is.
    @Test func tooLargeText() {
        var loader = RuleLoader()
        let text = String(repeating: "#", count: YAMLLimits().maxBytes + 1)
        let file = loader.load(text: text, path: "big.yaml")
        #expect(file == nil)
        #expect(loader.diagnostics.items.map(\.code) == ["file-too-large"])
    }

    @Test(arguments: [("a/./b.yaml", "a/b.yaml"), ("a/x/../b.yaml", "a/b.yaml"), ("../a.yaml", "../a.yaml"), ("/x/../../a", "/a"), ("./", ".")])
    func normalizedPaths(_ input: String, _ expected: String) {
        #expect(RuleFileSource.normalized(input) == expected)
    }
}
