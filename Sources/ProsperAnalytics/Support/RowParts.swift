import ProsperModel

/// The rows of a data set cut into a few contiguous parts, for a per-customer pass whose
/// partial results merge in row order (a module's tallies after its rule program ran).
///
/// Measured: the tallies of the churn and upsell modules were one thread's work after
/// their programs ran on two, 10–20 ms each at 1M customers, and the last thing a
/// cached `report` or a two-folder `compare` waited for.
enum RowParts {
    /// Below this many rows one pass is cheaper than handing work to another thread.
    static let minimumRows = 1 << 16
    /// At most this many parts: more than the cores, so a thread that finishes its other
    /// work early takes a part.
    static let maximumParts = 4

    /// `count` rows as 1 to `maximumParts` ascending, contiguous, non-empty ranges of
    /// at least `minimumRows` rows each when there are two or more (none for no rows).
    static func ranges(_ count: Int, minimumRows: Int = RowParts.minimumRows) -> [Range<Int>] {
        guard count > 0 else { return [] }
        let parts = min(maximumParts, max(1, count / max(minimumRows, 1)))
        return (0..<parts).map { k in (count * k / parts)..<(count * (k + 1) / parts) }
    }

    /// `body` on each part (on all cores), the results in row order.
    static func map<T>(_ count: Int, minimumRows: Int = RowParts.minimumRows, _ body: (Range<Int>) -> T) -> [T] {
        let parts = ranges(count, minimumRows: minimumRows)
        return IndexedRuns.results(count: parts.count, parallel: parts.count > 1) { body(parts[$0]) }
    }
}
