import ProsperModel
import ProsperRules

/// The report's `data_thresholds` meta entry: every threshold computed from the data,
/// with the value it took (one record per group with `by:`).
enum DataThresholdRecords {
    /// The records of `files` (and the segments files they read), in file order; empty
    /// when no file has such a threshold. `columns(file)` are the columns the file's rules
    /// ran on (so each value is the one computed for the run). Faults become notes.
    static func build(_ files: [RuleFile], columns: (RuleFile) -> BoundColumns) throws(Diagnostic) -> (records: [[Cell.Field]], notes: [String]) {
        var ordered: [RuleFile] = []
        for f in files {
            if let s = f.segments, !ordered.contains(where: { $0.header.path == s.header.path }) { ordered.append(.segments(s)) }
            if !ordered.contains(where: { $0.header.path == f.header.path }) { ordered.append(f) }
        }
        var records: [[Cell.Field]] = []
        var notes: [String] = []
        for f in ordered {
            for t in f.dataThresholds {
                let v: DataThresholdValues
                do { v = try columns(f).values(of: t) } catch {
                    throw Diagnostic(file: f.header.path, range: t.range, code: "binding", message: "threshold '\(t.name)': \(error.description)")
                }
                notes += v.faults.map(\.description)
                for g in v.groups {
                    var value = Cell.null
                    if case .number(let n, let s) = g.value { value = .decimal(n, scale: s) }
                    records.append([.init("file", .text(f.header.path)), .init("threshold", .text(t.name)), .init("definition", .text(t.definition)),
                                    .init("group", g.label.map(Cell.text) ?? .null), .init("customers", .integer(Int64(g.count))), .init("value", value)])
                }
            }
        }
        return (records, notes)
    }
}
