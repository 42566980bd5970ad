import Foundation
import ProsperRules
import Testing
@testable import ProsperSQL

/// Every pattern of `Fixtures/regex/cases.tsv` on every text of it (the cross product,
/// so each pattern meets line breaks, non-ASCII letters, the empty text, …), answered by
/// the in-process engine and by the real engines running the translation:
///
/// - PostgreSQL, `text ~ pattern` with the pattern as `SQLDialect.postgres.stringLiteral`
///   (one psql run), when `PROSPER_TEST_POSTGRES_URL` is set (password in `PGPASSWORD`).
///   Texts holding U+0000 are left out: PostgreSQL text cannot hold it.
/// - Java, `Pattern.compile(p).matcher(t).find(0)` as Spark's `rlike` runs it
///   (`Fixtures/regex/RegexFind.java`, one `java` run), when `java` is on PATH.
///
/// - DuckDB, `regexp_matches(text, pattern)` with the pattern as
///   `SQLDialect.postgres.stringLiteral` (`Fixtures/regex/regex_duckdb.py`), when the
///   package's `.bench/venv` has duckdb (`.ci/run` installs it). Patterns refused for
///   DuckDB (`\b`, `\B`, RE2's limits) are left out.
///
/// A missing engine skips its test with a message, and fails it under `CI=true`.
@Suite struct RegexDifferentialTests {
    struct Pair {
        let pattern: Int
        let text: Int
    }

    static let patterns: [String] = distinct(RegexFixtures.cases.map(\.pattern))
    static let texts: [String] = distinct(RegexFixtures.cases.map(\.text))
    static let pairs: [Pair] = patterns.indices.flatMap { p in texts.indices.map { Pair(pattern: p, text: $0) } }

    static func distinct(_ xs: [String]) -> [String] {
        var seen = Set<String>()
        return xs.filter { seen.insert($0).inserted }
    }

    /// The in-process answers, by pair.
    static func expected() throws -> [Bool] {
        let matchers = try patterns.map { try RegexMatcher(pattern: $0) }
        return pairs.map { matchers[$0.pattern].matches(texts[$0.text]) }
    }

    static func translations(_ d: RegexTranslation.Flavor) -> [String]? {
        var out: [String] = []
        for p in patterns {
            guard case .success(let t) = RegexTranslation.translate(p, for: d) else { return nil }
            out.append(t)
        }
        return out
    }

    /// The package root: this file is `Tests/ProsperSQLTests/RegexDifferentialTests.swift`.
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// The venv python that has duckdb, as `.ci/run` and the workload differential test make it.
    static var duckdbPython: String? {
        let python = packageRoot.appendingPathComponent(".bench/venv/bin/python").path
        guard FileManager.default.isExecutableFile(atPath: python),
              let r = try? RegexEngines.run(python, ["-c", "import duckdb"], stdin: ""), r.status == 0 else { return nil }
        return python
    }

    @Test(.enabled(if: duckdbPython != nil || RegexEngines.isCI, "create .bench/venv with duckdb (python3 -m venv .bench/venv && .bench/venv/bin/pip install duckdb) to run the matches() translations in DuckDB"))
    func duckdbAgrees() throws {
        guard let python = Self.duckdbPython else {
            Issue.record("CI=true but .bench/venv has no duckdb: DuckDB must run the matches() translations")
            return
        }
        let expected = try Self.expected()
        var input = ""
        var translatedPatterns: [Int] = []
        for (i, p) in Self.patterns.enumerated() {
            switch RegexTranslation.translate(p, for: .duckdb) {
            case .success(let t):
                translatedPatterns.append(i)
                input += "p\t" + RegexFixtures.hex(SQLDialect.postgres.stringLiteral(t)) + "\n"
            case .failure(let r):
                // Refused for DuckDB: word boundaries, RE2's nested-count and program limits.
                #expect(r.code == "regex-not-portable", "\(p.debugDescription) refused for DuckDB: \(r.message)")
            }
        }
        for t in Self.texts { input += "t\t" + RegexFixtures.hex(t) + "\n" }
        let script = RegexFixtures.folder.appendingPathComponent("regex_duckdb.py").path
        let r = try RegexEngines.run(python, [script], stdin: input)
        try #require(r.status == 0, "the DuckDB script failed: \(r.stderr.suffix(2000))")
        let lines = r.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        var answers: [Int: String] = [:]
        var line = 0
        let texts = Self.texts.count
        for (k, pair) in Self.pairs.enumerated() {
            guard let slot = translatedPatterns.firstIndex(of: pair.pattern) else { continue }
            line = slot * texts + pair.text
            if line < lines.count { answers[k] = String(lines[line]) }
        }
        Self.compare("DuckDB", answers, expected, skipped: (Self.patterns.count - translatedPatterns.count) * texts)
    }

    /// Compares the engine's answers with ours; records every difference.
    static func compare(_ engine: String, _ answers: [Int: String], _ expected: [Bool], skipped: Int) {
        var differences = 0
        for (k, pair) in pairs.enumerated() {
            guard let a = answers[k] else { continue }
            let ours = expected[k] ? "1" : "0"
            if a != ours {
                differences += 1
                if differences <= 20 {
                    Issue.record("\(engine): \(patterns[pair.pattern].debugDescription) on \(texts[pair.text].debugDescription): ours \(ours), \(engine) \(a)")
                }
            }
        }
        #expect(differences == 0, "\(differences) of \(answers.count) answers differ in \(engine)")
        #expect(answers.count + skipped == pairs.count, "\(engine) answered \(answers.count) of \(pairs.count - skipped) pairs")
        print("regex differential: \(answers.count) pattern/text pairs (\(patterns.count) patterns × \(texts.count) texts, \(skipped) left out) ran in \(engine); \(differences) differ")
    }

    static var postgresURL: String? {
        let v = ProcessInfo.processInfo.environment["PROSPER_TEST_POSTGRES_URL"] ?? ""
        return v.isEmpty ? nil : v
    }

    @Test(.enabled(if: postgresURL != nil || RegexEngines.isCI, "set PROSPER_TEST_POSTGRES_URL=postgresql://user@host:port/db (and PGPASSWORD) to run the matches() translations in PostgreSQL"))
    func postgresAgrees() throws {
        guard let url = Self.postgresURL else {
            Issue.record("CI=true but PROSPER_TEST_POSTGRES_URL is not set: PostgreSQL must run the matches() translations")
            return
        }
        guard let psql = RegexEngines.which("psql") else {
            Issue.record("psql is not on PATH")
            return
        }
        let translated = try #require(Self.translations(.postgres))
        let expected = try Self.expected()
        // One function call per pair, so a pattern PostgreSQL refuses shows as an answer.
        var sql = """
        CREATE FUNCTION pg_temp.m(t text, p text) RETURNS text LANGUAGE plpgsql AS $f$
        BEGIN RETURN CASE WHEN t ~ p THEN '1' ELSE '0' END;
        EXCEPTION WHEN others THEN RETURN 'E' || replace(SQLERRM, E'\\n', ' ');
        END $f$;
        SELECT k || '|' || pg_temp.m(t.v, p.v) FROM (VALUES

        """
        var patternRows: [String] = []
        for (i, t) in translated.enumerated() { patternRows.append("(\(i), \(SQLDialect.postgres.stringLiteral(t)))") }
        var textRows: [String] = []
        var skipped = Set<Int>()
        for (i, t) in Self.texts.enumerated() {
            if t.unicodeScalars.contains("\u{0}") { skipped.insert(i); continue }
            textRows.append("(\(i), convert_from(decode('\(RegexFixtures.hex(t))', 'hex'), 'UTF8'))")
        }
        var pairRows: [String] = []
        for (k, pair) in Self.pairs.enumerated() where !skipped.contains(pair.text) {
            pairRows.append("(\(k), \(pair.pattern), \(pair.text))")
        }
        sql += pairRows.joined(separator: ",\n")
        sql += "\n) AS c(k, p, t)\nJOIN (VALUES\n" + patternRows.joined(separator: ",\n") + "\n) AS p(i, v) ON p.i = c.p\n"
        sql += "JOIN (VALUES\n" + textRows.joined(separator: ",\n") + "\n) AS t(i, v) ON t.i = c.t\nORDER BY k;\n"
        let r = try RegexEngines.run(psql, [url, "-X", "-A", "-t", "-q", "-v", "ON_ERROR_STOP=1", "-f", "-"], stdin: sql)
        try #require(r.status == 0, "psql failed: \(r.stderr.prefix(2000))")
        var answers: [Int: String] = [:]
        for line in r.stdout.split(separator: "\n") {
            let f = line.split(separator: "|", maxSplits: 1)
            guard f.count == 2, let k = Int(f[0]) else { continue }
            answers[k] = String(f[1])
        }
        let left = Self.pairs.filter { skipped.contains($0.text) }.count
        Self.compare("PostgreSQL", answers, expected, skipped: left)
    }

    static var java: String? {
        if let home = ProcessInfo.processInfo.environment["JAVA_HOME"], !home.isEmpty,
           FileManager.default.isExecutableFile(atPath: home + "/bin/java") {
            return home + "/bin/java"
        }
        return RegexEngines.which("java")
    }

    @Test(.enabled(if: java != nil || RegexEngines.isCI, "install a JDK (java 17 or later on PATH or JAVA_HOME) to run the matches() translations in Java as Spark's rlike does"))
    func javaAgrees() throws {
        guard let java = Self.java else {
            Issue.record("CI=true but java is not on PATH: Java must run the Spark matches() translations")
            return
        }
        let translated = try #require(Self.translations(.spark))
        let expected = try Self.expected()
        var input = ""
        for t in translated { input += "p\t" + RegexFixtures.hex(t) + "\n" }
        for t in Self.texts { input += "t\t" + RegexFixtures.hex(t) + "\n" }
        for pair in Self.pairs { input += "c\t\(pair.pattern)\t\(pair.text)\n" }
        let source = RegexFixtures.folder.appendingPathComponent("RegexFind.java").path
        let r = try RegexEngines.run(java, [source], stdin: input)
        try #require(r.status == 0, "java failed: \(r.stderr.prefix(2000))")
        var answers: [Int: String] = [:]
        for (k, line) in r.stdout.split(separator: "\n", omittingEmptySubsequences: false).enumerated() where k < Self.pairs.count {
            answers[k] = String(line)
        }
        Self.compare("Java", answers, expected, skipped: 0)
    }

    /// A repeated alternation of single characters is written as one class: Java loops
    /// over a class but recurses once per repetition of a group, so `(a|b)*` on a text of
    /// 20,000 characters overflows its stack (a failed Spark task) unless merged.
    @Test(.enabled(if: java != nil || RegexEngines.isCI, "install a JDK (java on PATH or JAVA_HOME) to run the matches() translations in Java"))
    func javaRunsRepeatedAlternationsOnLongTexts() throws {
        guard let java = Self.java else {
            Issue.record("CI=true but java is not on PATH")
            return
        }
        let patterns = ["^(a|b)*$", "^(a|[bc]|\\d|\\s)+$", "(?i)^(x|a|b)*$"]
        let text = String(repeating: "ab", count: 10_000)
        var input = ""
        for p in patterns {
            guard case .success(let t) = RegexTranslation.translate(p, for: .spark) else {
                Issue.record("\(p) refused for Spark")
                return
            }
            #expect(try RegexMatcher(pattern: p).matches(text))
            input += "p\t" + RegexFixtures.hex(t) + "\n"
        }
        input += "t\t" + RegexFixtures.hex(text) + "\n"
        for k in patterns.indices { input += "c\t\(k)\t0\n" }
        let r = try RegexEngines.run(java, [RegexFixtures.folder.appendingPathComponent("RegexFind.java").path], stdin: input)
        try #require(r.status == 0, "java failed: \(r.stderr.prefix(2000))")
        #expect(r.stdout == String(repeating: "1\n", count: patterns.count))
    }
}
