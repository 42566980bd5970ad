import ProsperModel

/// One input row as the table builders see it, whatever the file format: the bytes of
/// each contract slot and where each value sits in the file.
protocol RowFields {
    /// The value of `slot`; nil when the file has no such column or the value is null.
    func value(_ slot: Int) -> UnsafeBufferPointer<UInt8>?
    /// The value of custom column `c` (in the builder's custom column order).
    func custom(_ c: Int) -> UnsafeBufferPointer<UInt8>?
    /// 1-based line and column of slot's value, or of the row when the value is missing.
    func position(_ slot: Int) -> (line: Int, column: Int)
    /// 1-based line and column of custom column `c`'s value.
    func customPosition(_ c: Int) -> (line: Int, column: Int)
    /// Where the row starts (may scan the line: for messages only).
    var rowPosition: (line: Int, column: Int) { get }
    /// The line the row starts on (cheap).
    var rowLine: Int { get }
    /// The row as it was read (for the rejects file).
    var rawRecord: UnsafeBufferPointer<UInt8> { get }
    /// Whether the 8 bytes after the value of `slot` can be read (they are not part of
    /// it): the parsers may then load it a word at a time (`FieldParsers.integer(_:readableBeyond:)`).
    func readableBeyond(_ slot: Int) -> Bool
}

extension RowFields {
    func readableBeyond(_ slot: Int) -> Bool { false }
}

/// Rejection messages for field problems.
enum ProblemText {
    static func message(_ p: FieldProblem, _ bytes: UnsafeBufferPointer<UInt8>?) -> (RejectionReason, String) {
        let q = bytes.map(quoted) ?? "null"
        switch p {
        case .empty: return (.emptyRequired, "required value is empty")
        case .notInteger: return (.notInteger, "expected a whole number, got \(q)")
        case .belowMinimum(let m, let v): return (.outOfRange, "must be at least \(m), got \(v)")
        case .outOfRange(let r, let v): return (.outOfRange, "must be between \(r.lowerBound) and \(r.upperBound), got \(v)")
        case .notDate: return (.notDate, "expected a date YYYY-MM-DD, got \(q)")
        case .impossibleDate: return (.impossibleDate, "impossible date \(q)")
        case .notBoolean: return (.notBoolean, "expected true or false, got \(q)")
        case .notMoney: return (.notMoney, "expected an amount such as 12.50, got \(q)")
        case .negativeMoney: return (.negativeMoney, "negative amount \(q)")
        case .tooManyDecimals: return (.tooManyDecimals, "more than 2 decimal places in \(q)")
        case .tooLong(let max, let length):
            return (.textTooLong, "text of \(length) characters is longer than the maximum of \(max): \(q)")
        case .aboveMaximum(let m, let v): return (.outOfRange, "must be at most \(m), got \(v)")
        case .amountTooLarge(let m):
            return (.amountTooLarge, "\(q) is more than the maximum monthly price of \(Money.plain(m))")
        case .dateOutOfRange:
            return (.dateOutOfRange, "\(q) is outside the supported dates \(IngestLimits.earliestDate) to \(IngestLimits.latestDate)")
        case .invalidUTF8(let b): return (.invalidUTF8, "invalid UTF-8 (byte 0x\(hex(b)))")
        case .unknownStatus:
            var m = "unknown status \(q), expected active or cancelled"
            if let bytes, let guess = DidYouMean.suggest(String(decoding: bytes, as: UTF8.self), among: ["active", "cancelled"]) {
                m += " (did you mean '\(guess)'?)"
            }
            return (.unknownStatus, m)
        }
    }

    static func hex(_ b: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return String([digits[Int(b >> 4)], digits[Int(b & 15)]])
    }
}
