import ProsperRules

extension TestRun {
    /// The run as JSON (`--format json`): counts, every case with its status, its
    /// mismatches and (failing) trace, the problems that kept tests from running, and
    /// the coverage when measured. Same input, same bytes.
    package func renderJSON() -> String {
        var top: [(String, JSONValue)] = [
            ("passed", .integer(Int64(passed))),
            ("failed", .integer(Int64(failed))),
            ("errors", .integer(Int64(diagnostics.filter { $0.severity == .error }.count))),
        ]
        top.append(("cases", .array(results.map { r in
            var o: [(String, JSONValue)] = [
                ("file", .string(r.file)), ("line", .integer(Int64(r.location.line))), ("name", .string(r.name)),
                ("status", .string(r.passed ? "passed" : "failed")),
            ]
            if !r.passed {
                o.append(("mismatches", .array(r.mismatches.map {
                    .object([("key", .string($0.key)), ("expected", .string($0.expected)), ("actual", .string($0.actual))])
                })))
                o.append(("trace", .array(r.trace.map(JSONValue.string))))
            }
            return .object(o)
        })))
        top.append(("problems", .array(diagnostics.map { d in
            var o: [(String, JSONValue)] = [("file", .string(d.file))]
            if let r = d.range { o += [("line", .integer(Int64(r.start.line))), ("column", .integer(Int64(r.start.column)))] }
            o += [("severity", .string(d.severity.rawValue)), ("code", .string(d.code)), ("message", .string(d.message))]
            return .object(o)
        })))
        if let c = coverage {
            top.append(("coverage", .object([
                ("covered", .integer(Int64(c.covered))), ("total", .integer(Int64(c.total))),
                ("percent", .string(RuleCoverage.percent(c.permille))),
                ("gaps", .array(c.items.filter { $0.hits == 0 }.map { i in
                    .object([("file", .string(i.file)), ("line", .integer(Int64(i.location.line))), ("column", .integer(Int64(i.location.column))),
                             ("kind", .string(i.kind.rawValue)), ("gap", .string(i.gap))])
                })),
                ("unreachable", .array(c.unreachable.map { i in
                    .object([("file", .string(i.file)), ("line", .integer(Int64(i.location.line))), ("column", .integer(Int64(i.location.column))),
                             ("kind", .string(i.kind.rawValue)), ("note", .string(i.gap))])
                })),
            ])))
        }
        return JSONValue.object(top).rendered()
    }
}
