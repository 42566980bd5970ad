import ProsperRules

/// A sweep row's customers and MRR per cell `alerted × 3 + outcome` (outcome `stayed` 0,
/// `churned` 1, `unknown` 2), computed 64 customers to a word from the packed condition
/// masks.
///
/// Written for speed (measured, 100-combination sweep at 1M customers: a score array, an
/// alert array and a tally of every customer per combination took 64 % of the CPU, held
/// up by memory, since a byte mask per condition did not stay in cache): a word of alerts
/// is a function of the signal and eligibility words; only the alerted customers' MRR is
/// read; the other cells are the outcome totals, computed once (`Totals`), minus the
/// alerted ones (wrapping, so the figures equal direct sums, as `ChurnProgram` would).
struct AlertTally {
    /// Customers per cell.
    var counts = [Int](repeating: 0, count: 6)
    /// MRR per cell (wrapping sums of cents).
    var mrr = [Int64](repeating: 0, count: 6)

    /// Customers and MRR per outcome over every customer, and the outcomes packed a bit
    /// per customer: the same for each combination.
    struct Totals {
        fileprivate var counts = [Int](repeating: 0, count: 3)
        fileprivate var mrr = [Int64](repeating: 0, count: 3)
        /// Bits of customers who stayed and who churned; nil without outcomes.
        fileprivate var stayed: [UInt64]?, churned: [UInt64]?
        /// Customers counted: the shortest of the dataset, MRR and outcome columns.
        let count: Int

        /// `state` nil: every customer's outcome is `unknown`.
        init(state: [UInt8]?, mrr: UnsafeBufferPointer<Int64>, count: Int) {
            let n = max(0, min(count, mrr.count, state?.count ?? Int.max))
            self.count = n
            guard let state else {
                counts[2] = n
                for i in 0..<n { self.mrr[2] &+= mrr[i] }
                return
            }
            // Per word of 64 customers, in locals and with selects, not a branch or an
            // array write per customer (the outcome is data: one thread's 18 ms at 1M).
            var stayed = [UInt64](repeating: 0, count: (n + 63) / 64), churned = stayed
            var c0 = 0, c1 = 0, m0: Int64 = 0, m1: Int64 = 0, all: Int64 = 0
            state.withUnsafeBufferPointer { st in
                for w in 0..<stayed.count {
                    var s0: UInt64 = 0, s1: UInt64 = 0
                    let start = w << 6, end = min(start + 64, n)
                    for i in start..<end {
                        let s = st[i], m = mrr[i]
                        let isStayed = s == 0, isChurned = s == 1
                        s0 |= UInt64(isStayed ? 1 : 0) << UInt64(i - start)
                        s1 |= UInt64(isChurned ? 1 : 0) << UInt64(i - start)
                        m0 &+= isStayed ? m : 0
                        m1 &+= isChurned ? m : 0
                        all &+= m
                    }
                    stayed[w] = s0
                    churned[w] = s1
                    c0 += s0.nonzeroBitCount
                    c1 += s1.nonzeroBitCount
                }
            }
            // Any other state (unknown, or out of range) counts as unknown.
            counts = [c0, c1, n - c0 - c1]
            self.mrr = [m0, m1, all &- m0 &- m1]
            self.stayed = stayed
            self.churned = churned
        }
    }

    /// Signals at most for which a word of alerts is a multiplexer tree over the truth
    /// table of signal subsets (2^k - 1 word operations); above, customer by customer.
    static let treeSignals = 7

    /// Alerted customers and their MRR per outcome over some words of customers: sums
    /// of parts (wrapping) are the sums of the whole.
    struct Alerted {
        var stayed = 0, churned = 0, all = 0
        var stayedMRR: Int64 = 0, churnedMRR: Int64 = 0, allMRR: Int64 = 0

        mutating func add(_ o: Alerted) {
            stayed &+= o.stayed; churned &+= o.churned; all &+= o.all
            stayedMRR &+= o.stayedMRR; churnedMRR &+= o.churnedMRR; allMRR &+= o.allMRR
        }
    }

    /// The cells of the combination whose masks are `masks`.
    init(_ masks: ChurnAlertMasks, mrr: UnsafeBufferPointer<Int64>, totals: Totals) {
        self.init(Self.alerted(masks, words: 0..<(totals.count + 63) / 64, mrr: mrr, totals: totals), totals: totals)
    }

    /// The cells from the alerted customers' sums over every word.
    init(_ a: Alerted, totals: Totals) {
        let cells = [a.stayed, a.churned, a.all &- a.stayed &- a.churned]
        let sums = [a.stayedMRR, a.churnedMRR, a.allMRR &- a.stayedMRR &- a.churnedMRR]
        for s in 0..<3 {
            counts[3 + s] = cells[s]
            counts[s] = totals.counts[s] &- cells[s]
            self.mrr[3 + s] = sums[s]
            self.mrr[s] = totals.mrr[s] &- sums[s]
        }
    }

    /// The alerted customers of words `words` (customers `64 × words`, clamped to
    /// `totals.count`) and their MRR.
    static func alerted(_ masks: ChurnAlertMasks, words: Range<Int>, mrr: UnsafeBufferPointer<Int64>, totals: Totals) -> Alerted {
        var out = Alerted()
        let n = totals.count
        let range = words.clamped(to: 0..<(n + 63) / 64)
        guard let lowest = masks.lowest, !range.isEmpty, mrr.count >= n, let m = mrr.baseAddress else { return out }
        let alerts = Self.alertWords(masks, lowest: lowest, count: n, words: range)
        if let stayedBits = totals.stayed, let churnedBits = totals.churned {
            for (j, word) in alerts.enumerated() where word != 0 {
                let w = range.lowerBound + j
                let stayed = w < stayedBits.count ? stayedBits[w] : 0, churned = w < churnedBits.count ? churnedBits[w] : 0
                out.stayed &+= (word & stayed).nonzeroBitCount
                out.churned &+= (word & churned).nonzeroBitCount
                out.all &+= word.nonzeroBitCount
                let v = m + w * 64
                var rest = word
                while rest != 0 {
                    let t = UInt64(rest.trailingZeroBitCount)
                    let cents = v[Int(t)]
                    out.allMRR &+= cents
                    out.stayedMRR &+= cents & (0 &- Int64(truncatingIfNeeded: (stayed >> t) & 1))
                    out.churnedMRR &+= cents & (0 &- Int64(truncatingIfNeeded: (churned >> t) & 1))
                    rest &= rest &- 1
                }
            }
        } else {
            var sum: Int64 = 0, customers = 0
            alerts.withUnsafeBufferPointer { ab in
                for j in 0..<ab.count where ab[j] != 0 {
                    let v = m + (range.lowerBound + j) * 64
                    var rest = ab[j]
                    customers &+= rest.nonzeroBitCount
                    while rest != 0 {
                        sum &+= v[rest.trailingZeroBitCount]
                        rest &= rest &- 1
                    }
                }
            }
            out.all = customers
            out.allMRR = sum
        }
        return out
    }

    /// A bit per customer of words `words` (of customers `0..<count`) with an alert:
    /// eligible, and the weights of its signals (wrapping sums, so their order does not
    /// matter) reach `lowest`. A mask shorter than `count` reads 0 past its end.
    static func alertWords(_ masks: ChurnAlertMasks, lowest: Int64, count: Int, words: Range<Int>) -> [UInt64] {
        let all = (count + 63) / 64
        let range = words.clamped(to: 0..<all), first = range.lowerBound
        let wordCount = range.count
        let k = masks.signals.count
        // The words of every signal, signal j at `j * wordCount`, padded with zeros.
        var signalWords = [UInt64](repeating: 0, count: k * wordCount)
        signalWords.withUnsafeMutableBufferPointer { sb in
            for (j, signal) in masks.signals.enumerated() {
                let words = signal.mask.words
                for w in range where w < words.count { sb[j * wordCount + w - first] = words[w] }
            }
        }
        var out = [UInt64](repeating: masks.eligible == nil ? ~0 : 0, count: wordCount)
        if let eligible = masks.eligible?.words {
            for w in range where w < eligible.count { out[w - first] = eligible[w] }
        }
        if count % 64 != 0, range.upperBound == all, wordCount > 0 { out[wordCount - 1] &= (1 << UInt64(count % 64)) &- 1 }
        let weights = masks.signals.map(\.weight)
        out.withUnsafeMutableBufferPointer { ob in
            signalWords.withUnsafeBufferPointer { sb in
                if k <= Self.treeSignals {
                    // leaves[σ]: all ones when the signals of subset σ (bit j = signal j)
                    // reach `lowest`.
                    let leafCount = 1 << k
                    var leaves = [UInt64](repeating: 0, count: leafCount)
                    for subset in 0..<leafCount {
                        var score: Int64 = 0
                        for j in 0..<k where subset & (1 << j) != 0 { score &+= weights[j] }
                        leaves[subset] = score >= lowest ? ~0 : 0
                    }
                    withUnsafeTemporaryAllocation(of: UInt64.self, capacity: leafCount) { tree in
                        leaves.withUnsafeBufferPointer { lb in
                            for w in 0..<wordCount where ob[w] != 0 {
                                for i in 0..<leafCount { tree[i] = lb[i] }
                                // Fold the highest signal first: tree[σ] chooses between σ
                                // with and without signal j by that signal's word.
                                var width = leafCount
                                for j in stride(from: k - 1, through: 0, by: -1) {
                                    width >>= 1
                                    let s = sb[j * wordCount + w]
                                    for i in 0..<width { tree[i] = (s & tree[i | width]) | (~s & tree[i]) }
                                }
                                ob[w] &= tree[0]
                            }
                        }
                    }
                } else {
                    for w in 0..<wordCount where ob[w] != 0 {
                        var word = ob[w], keep: UInt64 = 0
                        while word != 0 {
                            let t = UInt64(word.trailingZeroBitCount)
                            var score: Int64 = 0
                            for j in 0..<k { score &+= weights[j] & (0 &- Int64(truncatingIfNeeded: (sb[j * wordCount + w] >> t) & 1)) }
                            if score >= lowest { keep |= 1 << t }
                            word &= word &- 1
                        }
                        ob[w] = keep
                    }
                }
            }
        }
        return out
    }
}
