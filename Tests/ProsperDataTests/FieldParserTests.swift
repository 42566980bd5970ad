import Testing
import ProsperModel
@testable import ProsperData

@Suite struct FieldParserTests {
    func decimal(_ s: String) -> String {
        var t = s
        return t.withUTF8 { b in
            switch FieldParsers.decimal(b) {
            case .success(let v): String(v)
            case .failure(let p): "\(p)"
            }
        }
    }

    @Test(arguments: [
        ("30.00", "3000"), ("30", "3000"), ("30.5", "3050"), ("0.01", "1"), (".5", "50"), ("-0.00", "0"),
        ("-5.00", "negativeMoney"), ("12.345", "tooManyDecimals"), ("$12", "notMoney"), ("1,234.50", "notMoney"),
        ("", "empty"), ("12.", "notMoney"), ("1e3", "notMoney"), ("99999999999999999999", "notMoney"),
    ])
    func money(text: String, expected: String) {
        #expect(decimal(text) == expected)
    }

    /// The fast path for `digits.dd` and the general parser agree: amounts of every width
    /// up to the 18-digit limit, and near misses that must fall through to the general rules.
    @Test(arguments: [
        ("0.00", "0"), ("00.50", "50"), ("7.05", "705"), ("123456789012345.99", "12345678901234599"),
        ("1234567890123456.99", "123456789012345699"), ("12345678901234567.99", "notMoney"), ("1.2.3", "notMoney"),
        ("12a.00", "notMoney"), ("1..00", "notMoney"), ("-1.00", "negativeMoney"), ("+1.00", "100"), ("1.0a", "notMoney"),
        (" 1.00", "notMoney"), ("1.00 ", "notMoney"), ("12.3", "1230"), ("12.345", "tooManyDecimals"), (".00", "0"),
    ])
    func moneyShapes(text: String, expected: String) {
        #expect(decimal(text) == expected)
    }

    @Test(arguments: [("2026-02-28", true), ("2024-02-29", true), ("2026-02-30", false), ("2026-00-01", false), ("2026-2-01", false)])
    func dates(text: String, valid: Bool) {
        var t = text
        let ok = t.withUTF8 { b -> Bool in if case .success = FieldParsers.date(b) { return true } else { return false } }
        #expect(ok == valid)
    }

    /// The parser's inlined calendar equals `Day` on every month of years 1 to 9999, for
    /// the days that decide (first, 28 to 31, and the impossible 0 and 32), and on the
    /// months 0 and 13.
    @Test func dayNumbersEqualTheCalendar() {
        var mismatches: [String] = []
        for year in 0...9999 {
            for month in 0...13 {
                for day in [0, 1, 15, 28, 29, 30, 31, 32] {
                    let fast = FieldParsers.dayNumber(year: year, month: month, day: day)
                    let slow = Day(year: year, month: month, day: day)?.number
                    if fast != slow, mismatches.count < 5 { mismatches.append("\(year)-\(month)-\(day): \(String(describing: fast)) vs \(String(describing: slow))") }
                }
            }
        }
        #expect(mismatches == [])
    }

    @Test func dateLimitsAreTheCalendarDays() {
        #expect(Day(year: 1900, month: 1, day: 1)?.number == IngestLimits.earliestDayNumber)
        #expect(Day(year: 2199, month: 12, day: 31)?.number == IngestLimits.latestDayNumber)
    }

    @Test(arguments: [("1899-12-31", "dateOutOfRange"), ("1900-01-01", "-25567"), ("2199-12-31", "84005"), ("2200-01-01", "dateOutOfRange"),
                      ("0000-01-01", "impossibleDate"), ("2026-13-01", "impossibleDate"), ("2100-02-29", "impossibleDate"), ("2000-02-29", "11016")])
    func dateEdges(text: String, expected: String) {
        var t = text
        let got = t.withUTF8 { b -> String in
            switch FieldParsers.date(b) {
            case .success(let v): String(v)
            case .failure(let p): "\(p)"
            }
        }
        #expect(got == expected)
    }

    @Test(arguments: [("abc", true), ("Café", true), ("\u{1F600}", true)])
    func validUTF8(text: String, valid: Bool) {
        var t = text
        #expect(t.withUTF8 { FieldParsers.validateUTF8($0) == nil } == valid)
    }

    @Test(arguments: [[0xC3, 0x28], [0xE9], [0xED, 0xA0, 0x80], [0xC0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0x61, 0xE2, 0x82]] as [[UInt8]])
    func invalidUTF8(bytes: [UInt8]) {
        #expect(bytes.withUnsafeBufferPointer { FieldParsers.validateUTF8($0) } != nil)
    }

    /// The ASCII fast path and the general loop agree with Swift's own UTF-8 validation
    /// for every length from 0 to 40 with one byte of each kind at every position (the
    /// loads of the fast path overlap differently for each length).
    @Test func utf8ValidationAtEveryLengthAndPosition() {
        let probes: [[UInt8]] = [[0xE9], [0xC3, 0xA9], [0xC3, 0x28], [0xE2, 0x82, 0xAC], [0xE2, 0x82], [0xF0, 0x9F, 0x98, 0x80],
                                 [0xED, 0xA0, 0x80], [0x80], [0xFF]]
        for length in 0...40 {
            let plain = [UInt8](repeating: UInt8(ascii: "a"), count: length)
            #expect(plain.withUnsafeBufferPointer { FieldParsers.validateUTF8($0) } == nil, "ASCII, length \(length)")
            for probe in probes where probe.count <= length {
                for at in 0...(length - probe.count) {
                    var bytes = plain
                    bytes.replaceSubrange(at..<(at + probe.count), with: probe)
                    let valid = String(validating: bytes, as: UTF8.self) != nil
                    let found = bytes.withUnsafeBufferPointer { FieldParsers.validateUTF8($0) } == nil
                    #expect(found == valid, "\(bytes) length \(length) at \(at)")
                }
            }
        }
    }

    /// The word-at-a-time parsers of whole numbers and amounts equal the digit loops on
    /// every value, with any bytes after the value (digits, delimiters, high bytes) that
    /// they must ignore.
    @Test func wordIntegerParserEqualsTheDigitLoop() {
        func describe(_ r: Result<Int64, FieldProblem>) -> String {
            switch r {
            case .success(let v): "\(v)"
            case .failure(let p): "\(p)"
            }
        }
        func check(_ value: [UInt8], after: [UInt8]) {
            let buffer = value + after + [UInt8](repeating: 0x39, count: 16)
            buffer.withUnsafeBufferPointer { all in
                let b = UnsafeBufferPointer(rebasing: all[0..<value.count])
                #expect(describe(FieldParsers.integer(b, readableBeyond: true)) == describe(FieldParsers.integer(b)), "\(value) then \(after)")
                #expect(describe(FieldParsers.decimal(b, readableBeyond: true)) == describe(FieldParsers.decimal(b)), "\(value) then \(after)")
            }
        }
        let alphabet = Array("0123456789".utf8) + [UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: " "), UInt8(ascii: "/"), UInt8(ascii: "."),
                                                   UInt8(ascii: ":"), UInt8(ascii: "a"), 0x80, 0xFF, 0x00, 0x2F, 0x3A]
        let afters: [[UInt8]] = [[], [UInt8(ascii: ",")], Array("99999999".utf8), [0x80, 0xFF, 0x00], Array("\r\n".utf8)]
        // Every value of up to 2 bytes over the alphabet.
        for a in alphabet {
            for after in afters { check([a], after: after) }
            for b in alphabet { for after in afters { check([a, b], after: after) } }
        }
        // Random values of 0 to 20 bytes, mostly digits, some with a sign or a bad byte.
        var state: UInt64 = 0x2545_F491_4F6C_DD1D
        func next() -> UInt64 {
            state ^= state << 13; state ^= state >> 7; state ^= state << 17
            return state
        }
        for round in 0..<20000 {
            let length = Int(next() % 21)
            var value = (0..<length).map { _ in next() % 12 == 0 ? alphabet[Int(next() % UInt64(alphabet.count))] : UInt8(48 + next() % 10) }
            if round % 5 == 0, !value.isEmpty { value[0] = UInt8(ascii: "-") }
            check(value, after: afters[round % afters.count])
        }
        // The largest values of each length, and zeros.
        // Amounts: every shape around the point, with 0 to 12 digits before it.
        for before in 0...12 {
            for after in ["", "0", "05", "99", "123", "5x", "x5"] {
                check(Array((String(repeating: "7", count: before) + "." + after).utf8), after: Array("9,".utf8))
                check(Array(("-" + String(repeating: "1", count: before) + "." + after).utf8), after: [])
            }
        }
        for digits in 1...18 {
            check(Array(String(repeating: "9", count: digits).utf8), after: [])
            check(Array(("-" + String(repeating: "9", count: digits)).utf8), after: [])
            check(Array(String(repeating: "0", count: digits).utf8), after: Array("7".utf8))
        }
    }

    @Test func didYouMean() {
        #expect(DidYouMean.suggest("employees", among: ["employes", "plan"]) == "employes")
        #expect(DidYouMean.suggest("status", among: ["plan"]) == nil)
        #expect(DidYouMean.suggest("activ", among: ["active", "cancelled"]) == "active")
    }
}
