import ProsperModel
import ProsperRules

/// The report's `data_thresholds` meta entry: every threshold computed from the data,
/// with the value it took (one record per group with `by:`). Shared by the in-process
/// report and the SQL engines' (which read the values back from their queries).
package enum DataThresholdRecords {
    /// The files whose thresholds are listed, in listing order: each file after the
    /// segments file it reads, every path once.
    package static func ordered(_ files: [RuleFile]) -> [RuleFile] {
        var ordered: [RuleFile] = []
        for f in files {
            if let s = f.segments, !ordered.contains(where: { $0.header.path == s.header.path }) { ordered.append(.segments(s)) }
            if !ordered.contains(where: { $0.header.path == f.header.path }) { ordered.append(f) }
        }
        return ordered
    }

    /// The records of one threshold of `file`, groups in byte order.
    package static func records(file: String, _ t: DataThreshold, groups: [DataThresholdValues.Group]) -> [[Cell.Field]] {
        groups.sorted { ExactText.less($0.label ?? "", $1.label ?? "") }.map { g in
            var value = Cell.null
            if case .number(let n, let s) = g.value { value = .decimal(n, scale: s) }
            return [.init("file", .text(file)), .init("threshold", .text(t.name)), .init("definition", .text(t.definition)),
                    .init("group", g.label.map(Cell.text) ?? .null), .init("customers", .integer(Int64(g.count))), .init("value", value)]
        }
    }

    /// The records of `files` computed in-process; `columns(file)` are the columns the
    /// file's rules ran on (so each value is the one computed for the run). Faults
    /// become notes.
    static func build(_ files: [RuleFile], columns: (RuleFile) -> BoundColumns) throws(Diagnostic) -> (records: [[Cell.Field]], notes: [String]) {
        var records: [[Cell.Field]] = []
        var notes: [String] = []
        for f in ordered(files) {
            for t in f.dataThresholds {
                let v: DataThresholdValues
                do { v = try columns(f).values(of: t) } catch {
                    throw Diagnostic(file: f.header.path, range: t.range, .binding("threshold '\(t.name)': \(error.description)"))
                }
                notes += v.faults.map(\.description)
                records += Self.records(file: f.header.path, t, groups: v.groups)
            }
        }
        return (records, notes)
    }
}
