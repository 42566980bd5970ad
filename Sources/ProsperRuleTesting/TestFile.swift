import ProsperModel
import ProsperRules

/// One test file (`rules/tests/*.yaml`) as read: the rules it tests, the field values
/// every customer starts from and its cases. Positions are kept for every value so a
/// failing case and a bad name are reported at their line.
package struct TestFile: Sendable {
    /// The path as given.
    package let path: String
    /// Rule files or folders, resolved against the test file's folder (default: `..`).
    package let rules: [String]
    /// Where `rules:` is written (for problems with the rule set), nil when defaulted.
    package let rulesRange: SourceRange?
    /// The as-of date of every customer of the file (`as_of:`, default `TestFile.defaultAsOf`).
    package let asOf: Day
    /// `defaults:`, applied before each case's `customer:`.
    package let defaults: [FieldValue]
    package let cases: [TestCase]

    /// The as-of date when a file gives none: fixed, so results never depend on the day
    /// the tests run.
    package static let defaultAsOf = Day(number: 20_484) // 2026-01-31
}

/// A customer field as written in a test file, already checked against the field's kind.
package struct FieldValue: Sendable {
    package let name: String
    package let value: Value
    /// The value's position (the key's when the value is empty).
    package let range: SourceRange
    /// The positions of a list's items (`products`).
    package var itemRanges: [SourceRange] = []
}

/// One threshold override of a case (`set:`).
package struct ThresholdSetting: Sendable {
    package let name: String
    /// As written, read like `--set name=value`.
    package let text: String
    package let range: SourceRange
    /// Where the threshold's name is written.
    package let keyRange: SourceRange
}

/// One `cases:` entry.
package struct TestCase: Sendable {
    package let name: String
    /// Where the case starts (its `- name:` line): how failures are located.
    package let location: SourceLocation
    package let customer: [FieldValue]
    package let settings: [ThresholdSetting]
    package let expectations: [Expectation]
}

/// One `expect:` entry.
package struct Expectation: Sendable {
    package enum Key: String, CaseIterable, Sendable {
        case segment, eligible, level, score, signals, offer, offers
        /// The MRR the customer's offers add (value − replaced, summed), in cents.
        case addedMRR = "added_mrr"
    }
    package let key: Key
    /// `segment`, `level`, `offer`: one text (`none` for no level / no offer); `signals`,
    /// `offers`: a list of texts; `eligible`: a boolean; `score`: a number; `added_mrr`:
    /// an amount (scale 2).
    package let value: Value
    package let range: SourceRange
    /// Ranges of the items of a list value, for problems with one name.
    package let itemRanges: [SourceRange]
}
