import Testing
@testable import ProsperRules

/// The exact definitions of the statistics a threshold computed from the data can take
/// (docs/rules-language.md, "Thresholds computed from the data"): nearest-rank quantile
/// k = ceil(q·N) with exact decimal q, mean rounded half away from zero, min, max.
@Suite struct DataThresholdStatisticTests {
    struct Row: CustomStringConvertible, Sendable {
        let statistic: DataThreshold.Statistic
        let values: [Int64]
        let scale: Int
        let target: Int
        let expected: Int64?
        let note: String
        var description: String { note }
    }

    static func q(_ n: Int64, _ s: Int) -> DataThreshold.Statistic { .quantile(numerator: n, scale: s) }

    static let rows: [Row] = [
        Row(statistic: q(5, 1), values: [3, 1, 2], scale: 0, target: 0, expected: 2, note: "median of an odd count: the middle"),
        Row(statistic: q(5, 1), values: [4, 1, 3, 2], scale: 0, target: 0, expected: 2, note: "median of an even count: the lower middle (ceil(2) = 2nd)"),
        Row(statistic: q(7, 1), values: Array(1...10), scale: 0, target: 0, expected: 7, note: "0.7 × 10 is exactly 7 (a float gives 7.000000000000001)"),
        Row(statistic: q(1, 1), values: Array(1...10), scale: 0, target: 0, expected: 1, note: "0.1 × 10 = 1: the first"),
        Row(statistic: q(11, 2), values: Array(1...10), scale: 0, target: 0, expected: 2, note: "0.11 × 10 = 1.1: the 2nd"),
        Row(statistic: q(999_999, 6), values: [5, 9, 7], scale: 0, target: 0, expected: 9, note: "q just below 1: the maximum"),
        Row(statistic: q(1, 6), values: [5, 9, 7], scale: 0, target: 0, expected: 5, note: "q just above 0: the minimum"),
        Row(statistic: q(9, 1), values: [7000, 7000, 7000, 100], scale: 2, target: 2, expected: 7000, note: "ties"),
        Row(statistic: q(5, 1), values: [42], scale: 0, target: 0, expected: 42, note: "one value"),
        Row(statistic: q(5, 1), values: [], scale: 0, target: 0, expected: nil, note: "no value: null"),
        Row(statistic: .mean, values: [1, 2], scale: 0, target: 2, expected: 150, note: "mean of whole numbers has 2 decimals"),
        Row(statistic: .mean, values: [1, 2], scale: 2, target: 2, expected: 2, note: "0.015 rounds half away from zero to 0.02"),
        Row(statistic: .mean, values: [-1, -2], scale: 2, target: 2, expected: -2, note: "-0.015 rounds half away from zero to -0.02"),
        Row(statistic: .mean, values: [1, 1, 2], scale: 2, target: 2, expected: 1, note: "0.01333 rounds down to 0.01"),
        Row(statistic: .mean, values: [.max, .max], scale: 2, target: 2, expected: .max, note: "the sum does not overflow"),
        Row(statistic: .mean, values: [.max / 10], scale: 0, target: 2, expected: nil, note: "a mean too large for 2 decimals: no value (a fault)"),
        Row(statistic: .min, values: [3, -1, 2], scale: 0, target: 0, expected: -1, note: "min"),
        Row(statistic: .max, values: [3, -1, 2], scale: 0, target: 0, expected: 3, note: "max"),
    ]

    @Test(arguments: rows)
    func statistic(_ row: Row) {
        var values = row.values
        let got = DataThresholdValues.statistic(row.statistic, of: &values, scale: row.scale, to: row.target)
        if row.note.hasPrefix("a mean too large") {
            #expect(got == nil)
        } else if row.values.isEmpty {
            #expect(got == .some(nil))
        } else {
            #expect(got == .some(row.expected), "\(row.note)")
        }
    }
}
