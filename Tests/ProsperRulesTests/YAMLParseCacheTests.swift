import Testing
@testable import ProsperRules

/// `sweep` checks one rule file per combination of thresholds from documents parsed once;
/// a check through the cache must give exactly what a fresh check gives, and a file whose
/// bytes changed must be parsed again.
@Suite struct YAMLParseCacheTests {
    /// Everything a check gives: the files (whole) and the diagnostics, rendered.
    static func summary(_ r: RuleCheckResult) -> String {
        canonical(r.files) + "\n" + r.diagnostics.map(\.description).joined(separator: "\n")
    }

    /// Every stored value of `value`, recursively, with the entries of dictionaries and
    /// sets sorted (their own order differs from one instance to the next).
    static func canonical(_ value: Any) -> String {
        let mirror = Mirror(reflecting: value)
        if mirror.children.isEmpty { return String(describing: value) }
        let parts = mirror.children.map { ($0.label.map { $0 + ": " } ?? "") + canonical($0.value) }
        switch mirror.displayStyle {
        case .dictionary?, .set?: return "{" + parts.sorted().joined(separator: ", ") + "}"
        default: return String(describing: mirror.subjectType) + "(" + parts.joined(separator: ", ") + ")"
        }
    }

    static let overrides: [[String: String]] = [
        [:], ["inactive_days": "30"], ["high_value_mrr": "70", "inactive_days": "90"], ["no_such_threshold": "1"], ["inactive_days": "soon"],
    ]

    @Test(arguments: ["rules/churn.yaml", "rules/upsell.yaml", "rules/segments.yaml"])
    func cachedChecksEqualFreshOnes(file: String) {
        let path = Fixtures.repositoryRoot + "/" + file
        let cache = YAMLParseCache()
        for sets in Self.overrides {
            let fresh = RuleSetChecker.check(paths: [path], overrides: sets)
            // Twice through the cache: the first parses, the second reuses.
            for round in 0..<2 {
                let cached = RuleSetChecker.check(paths: [path], overrides: sets, parseCache: cache)
                let same = Self.summary(cached) == Self.summary(fresh)
                #expect(same, "\(file) with \(sets), round \(round)")
                #expect(cached.sources.keys.sorted() == fresh.sources.keys.sorted())
            }
        }
    }

    /// Errors found while parsing come back from the cache too, at their lines.
    @Test func parseErrorsAreKept() {
        let dir = TempFolder()
        defer { dir.remove() }
        let path = dir.write("churn.yaml", "kind: churn\nsignals:\n  - name: a\n    when: [unclosed\n")
        let cache = YAMLParseCache()
        let fresh = RuleSetChecker.check(paths: [path])
        let cached = RuleSetChecker.check(paths: [path], parseCache: cache), again = RuleSetChecker.check(paths: [path], parseCache: cache)
        #expect(fresh.hasErrors)
        #expect(Self.summary(cached) == Self.summary(fresh) && Self.summary(again) == Self.summary(fresh))
    }

    /// Changed bytes under the same path are parsed again, never served stale.
    @Test func changedBytesAreParsedAgain() {
        let cache = YAMLParseCache()
        let a = cache.parse(bytes: Array("kind: churn\nname: first\n".utf8), path: "x.yaml")
        let b = cache.parse(bytes: Array("kind: churn\nname: second\n".utf8), path: "x.yaml")
        #expect(a.source.text.contains("first") && b.source.text.contains("second"))
        let c = cache.parse(bytes: Array("kind: churn\nname: second\n".utf8), path: "y.yaml")
        #expect(c.source.path == "y.yaml")
    }
}
