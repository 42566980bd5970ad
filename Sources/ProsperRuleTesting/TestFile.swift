import ProsperModel
import ProsperRules

/// One test file (`rules/tests/*.yaml`) as read: the rules it tests, the field values
/// every customer starts from and its cases. Positions are kept for every value so a
/// failing case and a bad name are reported at their line.
public struct TestFile: Sendable {
    /// The path as given.
    public let path: String
    /// Rule files or folders, resolved against the test file's folder (default: `..`).
    public let rules: [String]
    /// Where `rules:` is written (for problems with the rule set), nil when defaulted.
    public let rulesRange: SourceRange?
    /// The as-of date of every customer of the file (`as_of:`, default `TestFile.defaultAsOf`).
    public let asOf: Day
    /// `defaults:`, applied before each case's `customer:`.
    public let defaults: [FieldValue]
    public let cases: [TestCase]

    /// The as-of date when a file gives none: fixed, so results never depend on the day
    /// the tests run.
    public static let defaultAsOf = Day(number: 20_484) // 2026-01-31
}

/// A customer field as written in a test file, already checked against the field's kind.
public struct FieldValue: Sendable {
    public let name: String
    public let value: Value
    /// The value's position (the key's when the value is empty).
    public let range: SourceRange
    /// The positions of a list's items (`products`).
    public var itemRanges: [SourceRange] = []
}

/// One threshold override of a case (`set:`).
public struct ThresholdSetting: Sendable {
    public let name: String
    /// As written, read like `--set name=value`.
    public let text: String
    public let range: SourceRange
    /// Where the threshold's name is written.
    public let keyRange: SourceRange
}

/// One `cases:` entry.
public struct TestCase: Sendable {
    public let name: String
    /// Where the case starts (its `- name:` line): how failures are located.
    public let location: SourceLocation
    public let customer: [FieldValue]
    public let settings: [ThresholdSetting]
    public let expectations: [Expectation]
}

/// One `expect:` entry.
public struct Expectation: Sendable {
    public enum Key: String, CaseIterable, Sendable {
        case segment, eligible, level, score, signals, offer, offers
        /// The MRR the customer's offers add (value − replaced, summed), in cents.
        case addedMRR = "added_mrr"
    }
    public let key: Key
    /// `segment`, `level`, `offer`: one text (`none` for no level / no offer); `signals`,
    /// `offers`: a list of texts; `eligible`: a boolean; `score`: a number; `added_mrr`:
    /// an amount (scale 2).
    public let value: Value
    public let range: SourceRange
    /// Ranges of the items of a list value, for problems with one name.
    public let itemRanges: [SourceRange]
}
