import ProsperAnalytics
import ProsperModel
import ProsperRules

/// The `segment` column of every segments definition a rule set uses, each computed
/// once. Every rule file reads `segment` from its own definition (its `segments:`
/// reference, or the segments.yaml next to it), never from another file's: a churn
/// file and an upsell file of one folder may group customers differently.
struct SegmentColumns {
    let dataset: Dataset
    /// Bound columns per segments file path.
    private var byPath: [String: BoundColumns] = [:]
    /// The dataset's own columns, shared by every file without a segments definition (so
    /// the thresholds computed from the data, and the product facts, are computed once
    /// for all of them; the facts also for the files with one).
    let plain: BoundColumns
    /// Segment notes (customers in no segment, faults), in the order of the files.
    private(set) var notes: [String] = []
    /// Data-relative warnings of the segments files (`DataFindings`), in file order.
    private(set) var findings: [Diagnostic] = []

    init(dataset: Dataset, files: [RuleFile]) throws(Diagnostic) {
        self.dataset = dataset
        self.plain = BoundColumns(dataset: dataset)
        var distinct: [SegmentRules] = []
        for f in files {
            if let s = Self.segments(of: f), !distinct.contains(where: { $0.header.path == s.header.path }) { distinct.append(s) }
        }
        for s in distinct {
            let a = try SegmentEngine.assign(s, to: dataset)
            byPath[s.header.path] = plain.with(extra: ["segment": .string(a.column)])
            var own: [String] = []
            if a.unmatchedCount > 0 {
                own.append("\(a.unmatchedCount) customers match no segment and the segments file has no 'otherwise': \(a.unmatched.joined(separator: ", "))")
            }
            own += a.faults.map(\.description)
            findings += DataFindings.segments(s, a, customers: dataset.count) + DataFindings.constantFields(.segments(s), dataset: dataset)
            // With several segments files, each note names its file.
            notes += distinct.count > 1 ? own.map { "\(s.header.path): \($0)" } : own
        }
    }

    /// The segments definition `file` reads `segment` from (a segments file: itself).
    static func segments(of file: RuleFile) -> SegmentRules? { file.segments }

    /// The columns `file` reads: the dataset's, with its own `segment` when it has one.
    func columns(for file: RuleFile) -> BoundColumns {
        Self.segments(of: file).flatMap { byPath[$0.header.path] } ?? plain
    }

    /// The modules' context for `file`.
    func context(for file: RuleFile) -> AnalyticsContext {
        AnalyticsContext(dataset: dataset, columns: columns(for: file), included: nil)
    }
}
