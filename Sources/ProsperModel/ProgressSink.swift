/// Receives the progress of long work (ingesting files, seeding, sweeping thresholds)
/// so that a program can show it. The libraries never print: they call a sink when one
/// is given and do nothing otherwise.
///
/// Calls are cheap and rare: a phase starts, then `advance(rows:)` once per chunk of
/// work (a read buffer of a data file, a block of seeded rows, one sweep combination),
/// never once per row. A sink can be called from several threads at once (the two CSV
/// files of a data set are read in parallel), so implementations must be thread-safe.
///
/// ```swift
/// final class Counter: ProgressSink, @unchecked Sendable {
///     var rows = 0   // guard with a lock when the work runs on several threads
///     func phase(_ name: String, total: Int?, unit: String) { print(name) }
///     func advance(rows: Int) { self.rows += rows }
/// }
/// var options = IngestOptions()
/// options.progress = Counter()
/// ```
package protocol ProgressSink: AnyObject, Sendable {
    /// A new phase begins, e.g. `ingest data/customers.csv`. `total` is the number of
    /// units the phase will count when it is known in advance (sweep combinations,
    /// seeded customers), else nil; `unit` names them ("rows", "combinations").
    func phase(_ name: String, total: Int?, unit: String)

    /// `rows` more units of the current phase are done (a count since the last call,
    /// never negative). Summed over a phase, the calls give the phase's total.
    func advance(rows: Int)
}

extension ProgressSink {
    /// A phase that counts rows.
    package func phase(_ name: String, total: Int? = nil) { phase(name, total: total, unit: "rows") }
}
