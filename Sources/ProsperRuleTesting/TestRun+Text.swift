import ProsperRules

extension TestRun {
    /// The runner's text output: each failing case at file:line with expected vs actual
    /// and the trace of that customer, then (`verbose`) every passing case, the coverage
    /// gaps when measured, and the summary line `N passed, M failed`. Problems that kept
    /// tests from running are rendered separately (`DiagnosticRenderer`).
    package func renderText(verbose: Bool = false, coverageGaps: Bool = true) -> String {
        var out = ""
        for r in results {
            if r.passed {
                if verbose { out += "PASS \(r.file):\(r.location.line): \(r.name)\n" }
                continue
            }
            out += "FAIL \(r.file):\(r.location.line): \(r.name)\n"
            let width = r.mismatches.map(\.key.count).max() ?? 0
            for m in r.mismatches {
                let pad = String(repeating: " ", count: max(0, width - m.key.count))
                out += "  \(m.key):\(pad) expected \(m.expected), got \(m.actual)\n"
            }
            if !r.trace.isEmpty {
                out += "  trace:\n"
                for line in r.trace { out += line.isEmpty ? "\n" : "    \(line)\n" }
            }
        }
        if let coverage { out += coverage.renderText(gaps: coverageGaps) }
        out += "\(passed) passed, \(failed) failed\n"
        return out
    }
}

extension RuleCoverage {
    /// `coverage: 40 of 42 (95.2 %)` and one line per gap, at its file:line:column.
    package func renderText(gaps: Bool = true) -> String {
        var out = "coverage: \(covered) of \(total) (\(RuleCoverage.percent(permille)) %)\n"
        for i in items where i.hits == 0 && gaps {
            out += "  \(i.file):\(i.location.line):\(i.location.column): \(i.gap)\n"
        }
        for i in unreachable {
            out += "  \(i.file):\(i.location.line):\(i.location.column): note: \(i.gap)\n"
        }
        return out
    }

    /// `952` → `95.2`.
    static func percent(_ permille: Int) -> String { "\(permille / 10).\(permille % 10)" }

    /// The LCOV tracefile: one record per rule file, a `DA` line per segment, signal,
    /// level and recommendation (hits: cases; several items on one line: the fewest) and
    /// a `BRDA` per eligibility direction and per side of every `and`/`or`, true and false.
    package func renderLCOV() -> String {
        var out = ""
        var files: [String] = []
        for i in items where !files.contains(i.file) { files.append(i.file) }
        for f in files {
            let mine = items.filter { $0.file == f }
            out += "TN:\nSF:\(f)\n"
            var lines: [(Int, Int)] = []
            for i in mine where i.branch == nil {
                if let k = lines.firstIndex(where: { $0.0 == i.location.line }) { lines[k].1 = min(lines[k].1, i.hits) } else { lines.append((i.location.line, i.hits)) }
            }
            let branches = mine.filter { $0.branch != nil }
            for b in branches {
                guard let br = b.branch else { continue }
                out += "BRDA:\(b.location.line),\(br.block),\(br.branch),\(b.hits > 0 ? String(b.hits) : "-")\n"
            }
            out += "BRF:\(branches.count)\nBRH:\(branches.filter { $0.hits > 0 }.count)\n"
            for (line, hits) in lines.sorted(by: { $0.0 < $1.0 }) { out += "DA:\(line),\(hits)\n" }
            out += "LF:\(lines.count)\nLH:\(lines.filter { $0.1 > 0 }.count)\nend_of_record\n"
        }
        return out
    }
}
