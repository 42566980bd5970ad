/// "Did you mean" by edit distance, as swift-argument-parser does it.
///
/// The work is bounded whatever the input: names longer than `maxLength` get no
/// suggestion, candidates whose length differs by more than the allowed distance are
/// skipped, and the distance is computed in a band of that width with an early exit,
/// so one lookup costs O(candidates × maxLength × allowed distance) at most.
package enum Suggestion {
    /// Longest name (in Unicode scalars) that gets a suggestion; longer names and
    /// candidates are not compared.
    package static let maxLength = 64

    /// The candidate closest to `word` when it is close enough to be a likely typo.
    package static func closest(to word: String, in candidates: some Sequence<String>) -> String? {
        guard !word.unicodeScalars.dropFirst(maxLength).contains(where: { _ in true }) else { return nil }
        let w = Array(word.lowercased().unicodeScalars)
        var best: (String, Int)?
        for c in candidates where c != word {
            let length = c.unicodeScalars.count
            guard length <= maxLength else { continue }
            let limit = max(1, min(w.count, length) / 3)
            guard abs(w.count - length) <= limit else { continue }
            guard let d = distance(w, Array(c.lowercased().unicodeScalars), limit: limit) else { continue }
            if let b = best, d > b.1 || (d == b.1 && c >= b.0) { continue }
            best = (c, d)
        }
        return best?.0
    }

    /// `"; did you mean 'x'?"` or the empty string.
    package static func phrase(for word: String, in candidates: some Sequence<String>) -> String {
        guard let s = closest(to: word, in: candidates) else { return "" }
        return "; did you mean '\(s)'?"
    }

    /// Damerau–Levenshtein (optimal string alignment) distance when it is at most
    /// `limit`, else nil. Only the cells within `limit` of the diagonal are computed,
    /// and it stops as soon as a whole row exceeds `limit`.
    static func distance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar], limit: Int) -> Int? {
        guard abs(a.count - b.count) <= limit else { return nil }
        if a.isEmpty || b.isEmpty { return max(a.count, b.count) }
        let big = limit + 1
        var prev2 = [Int](repeating: big, count: b.count + 1)
        var prev = (0...b.count).map { min($0, big) }
        var cur = [Int](repeating: big, count: b.count + 1)
        for i in 1...a.count {
            let lo = max(1, i - limit), hi = min(b.count, i + limit)
            for j in 0..<lo { cur[j] = big }
            cur[0] = min(i, big)
            var rowMin = cur[0]
            if lo <= hi {
                for j in lo...hi {
                    let cost = a[i - 1] == b[j - 1] ? 0 : 1
                    var v = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
                    if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { v = min(v, prev2[j - 2] + 1) }
                    cur[j] = min(v, big)
                    rowMin = min(rowMin, cur[j])
                }
            }
            if hi < b.count { for j in (hi + 1)...b.count { cur[j] = big } }
            if rowMin > limit { return nil }
            (prev2, prev, cur) = (prev, cur, prev2)
        }
        return prev[b.count] <= limit ? prev[b.count] : nil
    }

    /// The unbounded distance (tests compare the banded one with it).
    static func distance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
        distance(a, b, limit: max(a.count, b.count)) ?? max(a.count, b.count)
    }
}
