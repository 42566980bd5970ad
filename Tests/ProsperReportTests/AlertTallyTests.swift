@testable import ProsperAnalytics
import ProsperRules
import Testing

/// `AlertTally` (a sweep row's cells, 64 customers to a word) against the plain
/// customer-by-customer computation, and `PackedMask` against bit-by-bit packing.
@Suite struct AlertTallyTests {
    /// The reference: every customer's score and cell, in plain arithmetic.
    static func reference(eligible: [UInt8]?, signals: [(Int64, [UInt8])], lowest: Int64?, state: [UInt8]?, mrr: [Int64]) -> (counts: [Int], mrr: [Int64]) {
        var counts = [Int](repeating: 0, count: 6), sums = [Int64](repeating: 0, count: 6)
        for i in 0..<min(mrr.count, state?.count ?? Int.max) {
            var score: Int64 = 0
            for (w, m) in signals where i < m.count && m[i] == 1 { score &+= w }
            let isEligible = eligible.map { i < $0.count && $0[i] == 1 } ?? true
            let alerted = lowest.map { isEligible && score >= $0 } ?? false
            let cell = (alerted ? 3 : 0) + Int(min(state?[i] ?? 2, 2))
            counts[cell] += 1
            sums[cell] &+= mrr[i]
        }
        return (counts, sums)
    }

    @Test(arguments: [
        // (customers, signals, with eligible, with outcomes, short masks)
        (0, 3, true, false, false), (1, 1, true, true, false), (63, 3, true, true, false), (64, 2, false, false, false),
        (65, 3, true, true, true), (1000, 0, true, false, false), (1000, 3, true, false, false), (1000, 3, true, true, false),
        (1000, 7, false, true, true), (1000, 8, true, true, false), (777, 12, true, false, true), (4097, 5, true, true, true),
    ])
    func equalsCustomerByCustomer(_ n: Int, _ k: Int, _ withEligible: Bool, _ withOutcomes: Bool, _ short: Bool) {
        var mix = SplitMix(seed: UInt64(n * 131 + k * 7 + (withEligible ? 1 : 0) + (withOutcomes ? 2 : 0)))
        func bytes(_ count: Int, density: Int) -> [UInt8] { (0..<count).map { _ in mix.below(100) < density ? 1 : 0 } }
        let eligible = withEligible ? bytes(short ? max(0, n - 70) : n, density: 60) : nil
        var signals: [(Int64, [UInt8])] = []
        for j in 0..<k {
            let weight: Int64 = j == 2 ? -1 : (j == 4 ? Int64.max : Int64(1 + mix.below(4)))
            signals.append((weight, bytes(short && j == 1 ? max(0, n / 2) : n, density: 10 + mix.below(60))))
        }
        let state: [UInt8]? = withOutcomes ? (0..<n).map { _ in UInt8(mix.below(4)) } : nil
        let mrr: [Int64] = (0..<n).map { i in i % 97 == 5 ? Int64.max - Int64(i) : Int64(mix.below(100_000)) }
        let packed = ChurnAlertMasks(eligible: eligible.map { PackedMask(bytes: $0) },
                                     signals: signals.map { ($0.0, PackedMask(bytes: $0.1)) }, lowest: 2)
        for lowest: Int64? in [2, nil, Int64.min, 0, 5] {
            let masks = ChurnAlertMasks(eligible: packed.eligible, signals: packed.signals, lowest: lowest)
            let tally = mrr.withUnsafeBufferPointer { mb in
                AlertTally(masks, mrr: mb, totals: AlertTally.Totals(state: state, mrr: mb, count: n))
            }
            let expected = Self.reference(eligible: eligible, signals: signals, lowest: lowest, state: state, mrr: mrr)
            #expect(tally.counts == expected.counts, "n \(n) k \(k) lowest \(String(describing: lowest))")
            #expect(tally.mrr == expected.mrr, "n \(n) k \(k) lowest \(String(describing: lowest))")
            // Summed from word ranges of 1, 3 and 17 words (as `SweepRunner` sums blocks),
            // the last one partial: the same cells.
            for width in [1, 3, 17] {
                let tallied = mrr.withUnsafeBufferPointer { mb -> AlertTally in
                    let totals = AlertTally.Totals(state: state, mrr: mb, count: n)
                    var sum = AlertTally.Alerted()
                    for lo in stride(from: 0, to: (n + 63) / 64, by: width) {
                        sum.add(AlertTally.alerted(masks, words: lo ..< lo + width, mrr: mb, totals: totals))
                    }
                    return AlertTally(sum, totals: totals)
                }
                #expect(tallied.counts == expected.counts && tallied.mrr == expected.mrr, "n \(n) k \(k) blocks of \(width) words")
            }
        }
    }

    /// Every byte pattern at every offset within a word, and lengths around word ends.
    @Test func packingEqualsBitByBit() {
        var mix = SplitMix(seed: 7)
        for n in [0, 1, 7, 8, 9, 63, 64, 65, 127, 128, 129, 2000] {
            let bytes: [UInt8] = (0..<n).map { _ in UInt8(mix.below(2)) }
            let packed = PackedMask(bytes: bytes)
            #expect(packed.words.count == (n + 63) / 64)
            for i in 0..<n { #expect(packed[i] == (bytes[i] == 1)) }
            #expect(!packed[n] && !packed[-1])
            if let last = packed.words.last, n % 64 != 0 { #expect(last >> UInt64(n % 64) == 0, "bits past the end are 0") }
        }
        for pattern in 0..<256 {
            for offset in 0..<8 {
                var bytes = [UInt8](repeating: 0, count: 8 * offset)
                bytes += (0..<8).map { UInt8((pattern >> $0) & 1) }
                let packed = PackedMask(bytes: bytes)
                #expect(packed.words[offset * 8 / 64] >> UInt64((offset * 8) % 64) & 0xFF == UInt64(pattern))
            }
        }
        // Only the low bit of a byte counts.
        #expect(PackedMask(bytes: [3, 2, 255, 254]).words == [0b0101])
    }
}
