import Testing
@testable import ProsperAnalytics

/// The bundle module's hand-written table against a Dictionary: the same sets, counts
/// and sums, across growth, colliding keys and the top bit.
@Suite struct MaskTallyTests {
    static let shapes: [(String, [UInt64])] = [
        ("one key", Array(repeating: 0b101, count: 50)),
        ("growth", (1...5000).map { UInt64($0) }),
        ("high bits", (0..<64).map { UInt64(1) << UInt64($0) } + [UInt64.max, UInt64.max - 1]),
        ("same low bits", (1...300).map { UInt64($0) << 40 }),
    ]

    @Test(arguments: shapes)
    func equalsDictionary(_ name: String, _ keys: [UInt64]) {
        var tally = MaskTally()
        var reference: [UInt64: (Int, Int64)] = [:]
        for (i, k) in keys.enumerated() {
            let v = Int64(i % 97) * 100 + 1
            tally.add(k, v)
            let cur = reference[k] ?? (0, 0)
            reference[k] = (cur.0 + 1, cur.1 + v)
        }
        #expect(tally.count == reference.count, "\(name)")
        let got = tally.entries.sorted { $0.key < $1.key }
        let want = reference.sorted { $0.key < $1.key }
        #expect(got.map(\.key) == want.map(\.key), "\(name)")
        #expect(got.map(\.customers) == want.map(\.value.0), "\(name)")
        #expect(got.map(\.mrr) == want.map(\.value.1), "\(name)")
    }
}
