import ProsperModel

/// How the default as-of date is chosen from the data, deterministically and without
/// letting one outlier move it (docs/data.md, "The as-of date"):
///
/// 1. the reference is the k-th latest last_active_date of the accepted customers, with
///    k = 2 + n / 1000 (the second latest below 1,000 customers; about the 99.9th
///    percentile above);
/// 2. the as-of date is the latest last_active_date that is at most
///    `IngestLimits.activityOutlierDays` days after the reference;
/// 3. later dates are outliers: kept, but warned about with their position.
///
/// Linear: one counting pass over the day numbers (they lie in the supported date range).
enum AsOfChoice {
    struct Choice {
        let asOf: Int32
        /// Customers whose last_active_date is after `asOf`.
        let after: Int
    }

    /// The default as-of date of `lastActive` (nil when empty).
    static func choose(_ lastActive: UnsafeBufferPointer<Int32>) -> Choice? {
        guard !lastActive.isEmpty else { return nil }
        let histogram = counts(lastActive)
        let low = IngestLimits.earliestDate.number
        let k = 2 + lastActive.count / 1000
        var seen = 0, reference = histogram.count - 1
        for d in stride(from: histogram.count - 1, through: 0, by: -1) where histogram[d] > 0 {
            seen += histogram[d]
            reference = d
            if seen >= min(k, lastActive.count) { break }
        }
        var asOf = reference
        let limit = min(histogram.count - 1, reference + Int(IngestLimits.activityOutlierDays))
        for d in stride(from: limit, to: reference, by: -1) where histogram[d] > 0 { asOf = d; break }
        var after = 0
        for d in (asOf + 1)..<max(asOf + 1, histogram.count) { after += histogram[d] }
        return Choice(asOf: low + Int32(asOf), after: after)
    }

    /// Customers whose date in `days` is after `asOf`.
    static func countAfter(_ days: UnsafeBufferPointer<Int32>, _ asOf: Int32) -> Int {
        var n = 0
        for d in days where d != Day.nullNumber && d > asOf { n += 1 }
        return n
    }

    /// Values per day of the supported range (values outside it are clamped; ingestion
    /// rejects them, so none occur).
    private static func counts(_ days: UnsafeBufferPointer<Int32>) -> [Int] {
        let low = IngestLimits.earliestDate.number, high = IngestLimits.latestDate.number
        var histogram = [Int](repeating: 0, count: Int(high - low) + 1)
        for d in days where d != Day.nullNumber {
            histogram[Int(min(max(d, low), high) - low)] += 1
        }
        return histogram
    }
}
