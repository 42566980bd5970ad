import ProsperModel
import ProsperRules

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Decision tables against the same logic written as `when:` rules (issue 12): a
/// 20-row segments table over three inputs, each row its own segment, and the 20
/// `when:` segments an analyst would write for it; then the same 20 rows giving only 5
/// segments (4 rows each), which the loader joins with `or` and, where a later row of a
/// segment overlaps an earlier row of a segment placed after it, `and not (…)`.
enum TableBench {
    /// Head-count bands and industry groups: band × group is a partition, and each
    /// combination has two rows, `users >= 10` first, then any number of users, so the
    /// two rows of a combination overlap and rows of different combinations do not.
    static let bands: [(cell: String, when: String)] = [
        ("< 5", "employees < 5"), ("[5..20)", "employees >= 5 and employees < 20"),
        ("[20..100)", "employees >= 20 and employees < 100"), ("[100..500)", "employees >= 100 and employees < 500"),
        (">= 500", "employees >= 500"),
    ]
    static let groups = [#""Retail", "Construction", "Professional Services", "Healthcare""#,
                         #""Restaurants", "Technology", "Manufacturing", "Nonprofit""#]

    /// The 20 rows: (employees cell, industry cell, users cell, the same as a condition).
    static var rows: [(String, String, String, String)] {
        var out: [(String, String, String, String)] = []
        for b in bands {
            for g in groups {
                out.append((b.cell, g, ">= 10", "\(b.when) and industry in [\(g)] and users >= 10"))
                out.append((b.cell, g, "-", "\(b.when) and industry in [\(g)]"))
            }
        }
        return out
    }

    /// The worst case for `and not (…)`: 20 nested rows (`employees >= 475`, `>= 450`, …,
    /// `>= 0`, each a superset of the rows before it) giving 4 segments in turn, so every
    /// later row of a segment excludes the earlier rows of the segments placed after it.
    static var cascade: [(String, String, String, String)] {
        (0..<20).map { r in (">= \((19 - r) * 25)", "-", "-", "employees >= \((19 - r) * 25)") }
    }

    static func segmentName(_ r: Int, distinct: Bool, groups: Int = 5) -> String {
        distinct ? "S\(r + 1 < 10 ? "0" : "")\(r + 1)" : "G\(r % groups + 1)"
    }

    static func tableYAML(_ rows: [(String, String, String, String)], distinct: Bool, groups: Int = 5) -> String {
        var s = "kind: segments\nname: Bench table\ntable:\n  inputs: [employees, industry, users]\n  outputs: [segment]\n  hit: first\n  rows:\n"
        for (r, row) in rows.enumerated() {
            let industry = row.1 == "-" ? "\"-\"" : "'\(row.1)'"
            s += "    - [\"\(row.0)\", \(industry), \"\(row.2)\", \(segmentName(r, distinct: distinct, groups: groups))]\n"
        }
        return s
    }

    static func whenYAML(_ rows: [(String, String, String, String)]) -> String {
        var s = "kind: segments\nname: Bench when\nsegments:\n"
        for (r, row) in rows.enumerated() {
            s += "  - name: \(segmentName(r, distinct: true))\n    when: '\(row.3)'\n"
        }
        return s
    }

    /// Writes `text` to `dir/name` and loads it as a segments file.
    static func load(_ text: String, _ dir: String, _ name: String) -> SegmentRules {
        let path = dir + "/" + name
        guard let f = fopen(path, "w") else { print("cannot write \(path)"); exit(1) }
        fputs(text, f)
        fclose(f)
        let check = RuleSetChecker.check(paths: [path])
        unlink(path)
        guard !check.hasErrors, case .segments(let rules)? = check.files.first else {
            print("the benchmark's \(name) does not load:")
            for d in check.diagnostics { print(DiagnosticRenderer.render(d, source: nil)) }
            exit(1)
        }
        return rules
    }

    struct Result {
        var table: Double, when: Double, grouped: Double
        var andNot: Int, segments: Int
    }

    /// Times, over `data`: the 20-row table (one segment per row), the same rows as
    /// `when:` segments, and the table with its rows giving `groups` segments in turn;
    /// checks first that all three assign every customer the same first row.
    static func run(_ data: Dataset, rows: [(String, String, String, String)], groups: Int, runs: Int, measure: (Int, () -> Void) -> Double) -> Result {
        var template = Array("/tmp/prosper-bench-XXXXXX".utf8CString)
        guard let p = mkdtemp(&template) else { print("cannot make a temporary folder"); exit(1) }
        let dir = String(cString: p)
        let table = load(tableYAML(rows, distinct: true), dir, "table.yaml")
        let when = load(whenYAML(rows), dir, "when.yaml")
        let grouped = load(tableYAML(rows, distinct: false, groups: groups), dir, "grouped.yaml")
        rmdir(dir)
        func assign(_ r: SegmentRules) -> SegmentAssignment {
            do { return try SegmentEngine.assign(r, to: data, split: false) } catch { print(DiagnosticRenderer.render(error, source: nil)); exit(1) }
        }
        func names(_ a: SegmentAssignment) -> [String] {
            guard let codes = a.column.codes?.pointer else { missing("segment codes") }
            let dictionary = a.column.dictionary
            return (0..<data.count).map { i in
                let k = Int(codes[i])
                return k >= 0 && k < dictionary.count ? dictionary[k] : ""
            }
        }
        var a = assign(table), b = assign(when), c = assign(grouped)
        let tableNames = names(a)
        guard tableNames == names(b) else {
            print("MISMATCH: the 20-row table and the 20 when: segments disagree")
            exit(1)
        }
        // The 5-segment table: every customer's segment is its first matching row's.
        let grouped20 = tableNames.map { n -> String in
            guard let r = Int(n.dropFirst()) else { return "" }
            return segmentName(r - 1, distinct: false, groups: groups)
        }
        guard names(c) == grouped20 else {
            print("MISMATCH: the \(groups)-segment table does not give each customer its first row's segment")
            exit(1)
        }
        let tTable = measure(runs) { a = assign(table) }
        let tWhen = measure(runs) { b = assign(when) }
        let tGrouped = measure(runs) { c = assign(grouped) }
        let andNot = grouped.segments.reduce(0) { n, s in n + s.when.source.text.ranges(of: " and not (").count }
        return Result(table: tTable, when: tWhen, grouped: tGrouped, andNot: andNot, segments: grouped.segments.count)
    }
}
