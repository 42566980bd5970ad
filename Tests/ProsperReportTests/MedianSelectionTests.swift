import ProsperModel
import Testing
@testable import ProsperAnalytics

/// The median by selection equals the median by sorting, on the shapes that break naive
/// quickselects: runs of equal values, sorted and reversed input, organ pipes, two values.
@Suite struct MedianSelectionTests {
    static func sortedMedian(_ v: [Int64]) -> Int64? {
        guard !v.isEmpty else { return nil }
        let s = v.sorted()
        return s.count % 2 == 1 ? s[s.count / 2] : Money.average(s[s.count / 2 - 1] + s[s.count / 2], count: 2)
    }

    static let cases: [(String, [Int64])] = [
        ("empty", []),
        ("one", [4200]),
        ("two, half up", [100, 101]),
        ("two equal", [5, 5]),
        ("odd", [9, 1, 5]),
        ("even", [4, 1, 3, 2]),
        ("all equal", Array(repeating: 1999, count: 1001)),
        ("sorted", (0..<1000).map { Int64($0) }),
        ("reversed", (0..<1001).reversed().map { Int64($0) }),
        ("organ pipe", (0..<500).map { Int64($0) } + (0..<500).reversed().map { Int64($0) }),
        ("two values", (0..<999).map { Int64($0 % 2) * 5000 }),
        ("zeros and one", Array(repeating: 0, count: 600) + [7]),
        ("negative", [-300, -100, -200, -400]),
    ]

    @Test(arguments: cases)
    func equalsSorting(_ name: String, _ values: [Int64]) {
        var v = values
        #expect(MedianSelection.median(&v) == Self.sortedMedian(values), "\(name)")
        #expect(v.sorted() == values.sorted(), "\(name): the values are only reordered")
    }

    @Test func randomInputsAgreeWithSorting() {
        var rng = SplitMix(seed: 20261201)
        for round in 0..<300 {
            let n = Int(rng.next() % 400) + 1
            let spread = [3, 50, 1_000_000][round % 3]
            let values = (0..<n).map { _ in Int64(rng.next() % UInt64(spread)) }
            var v = values
            #expect(MedianSelection.median(&v) == Self.sortedMedian(values), "round \(round)")
            for rank in [0, n / 3, n - 1] {
                var w = values
                #expect(MedianSelection.select(&w, rank: rank) == values.sorted()[rank])
            }
        }
    }
}

/// A small deterministic generator for this target's randomised tests (the same values
/// on every platform, unlike a seeded system generator).
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    /// A value in `0 ..< n` (n > 0).
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
