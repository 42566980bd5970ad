import ProsperModel

/// Why a field value is unusable. The reader turns it into a `Rejection` with the
/// field's position.
enum FieldProblem: Error {
    case empty
    case notInteger
    case belowMinimum(Int64, value: Int64)
    case outOfRange(ClosedRange<Int64>, value: Int64)
    case notDate
    case impossibleDate
    case notBoolean
    case notMoney
    case negativeMoney
    case tooManyDecimals
    case invalidUTF8(byte: UInt8)
    case unknownStatus
    /// Text longer than the field's maximum (characters).
    case tooLong(max: Int, length: Int)
    /// A number above the field's maximum.
    case aboveMaximum(Int64, value: Int64)
    /// An amount (cents) above the maximum monthly price.
    case amountTooLarge(max: Int64)
    /// A real day outside `IngestLimits.earliestDate ... latestDate`.
    case dateOutOfRange
}

/// Byte-level parsers for the contract's value types. None builds a `String`.
enum FieldParsers {
    /// A whole number: optional `-`, then 1 to 18 digits.
    @inline(__always)
    static func integer(_ b: UnsafeBufferPointer<UInt8>) -> Result<Int64, FieldProblem> {
        guard let p = b.baseAddress, b.count > 0 else { return .failure(.empty) }
        var i = 0
        var negative = false
        if p[0] == UInt8(ascii: "-") { negative = true; i = 1 }
        let digits = b.count - i
        // At most 18 digits: the wrapping arithmetic below can never wrap.
        guard digits > 0, digits <= 18 else { return .failure(.notInteger) }
        var v: Int64 = 0
        while i < b.count {
            let d = p[i] &- 48
            guard d < 10 else { return .failure(.notInteger) }
            v = v &* 10 &+ Int64(d)
            i += 1
        }
        return .success(negative ? -v : v)
    }

    /// `integer(b)` for a value whose next 8 bytes may be read (`RowFields.readableBeyond`):
    /// up to 8 digits are converted from one word load, in three multiply steps, with no
    /// loop whose length changes from value to value (measured: the digit loop
    /// mispredicted on most of the five whole numbers of every customer row). The bytes
    /// after the value are masked off and never change the result.
    @inline(__always)
    static func integer(_ b: UnsafeBufferPointer<UInt8>, readableBeyond: Bool) -> Result<Int64, FieldProblem> {
        guard readableBeyond, let p = b.baseAddress, b.count > 0 else { return integer(b) }
        let negative = p[0] == UInt8(ascii: "-")
        let i = negative ? 1 : 0
        let digits = b.count - i
        guard digits > 0, digits <= 8 else { return integer(b) }
        guard let value = wordDigits(p + i, digits) else { return .failure(.notInteger) }
        return .success(negative ? -value : value)
    }

    /// The value of the `count` (1–8) decimal digits at `p`, nil when one of them is no
    /// digit, from one 8-byte load (the bytes past `count` must be readable; they are
    /// masked off). Byte k of the word is the k-th digit; a byte that is no digit is ≥ 10
    /// after the subtraction (a borrow only comes from a lower byte that is itself no
    /// digit). Then the digits go to the top bytes (leading zeros below) and are combined
    /// in pairs, fours and eights.
    @inline(__always)
    static func wordDigits(_ p: UnsafePointer<UInt8>, _ count: Int) -> Int64? {
        let keep: UInt64 = count >= 8 ? ~0 : (1 << UInt64(count &* 8)) &- 1
        let x = (UInt64(littleEndian: UnsafeRawPointer(p).loadUnaligned(as: UInt64.self)) &- 0x3030_3030_3030_3030) & keep
        guard ((x &+ 0x7676_7676_7676_7676) | x) & 0x8080_8080_8080_8080 & keep == 0 else { return nil }
        var v = x << UInt64((8 &- count) &* 8)
        v = (v &* 10 &+ (v >> 8)) & 0x00FF_00FF_00FF_00FF
        v = (v &* 100 &+ (v >> 16)) & 0x0000_FFFF_0000_FFFF
        v = (v &* 10000 &+ (v >> 32)) & 0xFFFF_FFFF
        return Int64(v)
    }

    /// `decimal(b)` (cents) for a value whose next 8 bytes may be read: `123.45`, the
    /// shape exports write, with 1 to 8 digits before the point, from one word load
    /// (`wordDigits`); anything else takes `decimal(b)`.
    @inline(__always)
    static func decimal(_ b: UnsafeBufferPointer<UInt8>, readableBeyond: Bool) -> Result<Int64, FieldProblem> {
        let n = b.count
        guard readableBeyond, let p = b.baseAddress, n >= 4, n <= 11, p[n - 3] == UInt8(ascii: ".") else { return decimal(b) }
        let d1 = p[n - 2] &- 48, d2 = p[n - 1] &- 48
        guard d1 < 10, d2 < 10, let units = wordDigits(p, n - 3) else { return decimal(b) }
        return .success(units &* 100 &+ Int64(d1) &* 10 &+ Int64(d2))
    }

    /// A `YYYY-MM-DD` date as a day number; `impossibleDate` for well-formed text that
    /// names no day (2026-02-30).
    @inline(__always)
    static func date(_ b: UnsafeBufferPointer<UInt8>) -> Result<Int32, FieldProblem> {
        guard let p = b.baseAddress, b.count > 0 else { return .failure(.empty) }
        guard b.count == 10, p[4] == UInt8(ascii: "-"), p[7] == UInt8(ascii: "-") else { return .failure(.notDate) }
        @inline(__always) func d(_ k: Int) -> Int { Int(p[k] &- 48) }
        let ds = (d(0), d(1), d(2), d(3), d(5), d(6), d(8), d(9))
        guard ds.0 < 10, ds.1 < 10, ds.2 < 10, ds.3 < 10, ds.4 < 10, ds.5 < 10, ds.6 < 10, ds.7 < 10 else {
            return .failure(.notDate)
        }
        let year = ds.0 * 1000 + ds.1 * 100 + ds.2 * 10 + ds.3
        let month = ds.4 * 10 + ds.5, day = ds.6 * 10 + ds.7
        guard let v = dayNumber(year: year, month: month, day: day) else { return .failure(.impossibleDate) }
        guard v >= IngestLimits.earliestDayNumber, v <= IngestLimits.latestDayNumber else { return .failure(.dateOutOfRange) }
        return .success(v)
    }

    /// `Day(year:month:day:)?.number` for a four-digit year, inlined here with no
    /// division by a variable and no table: it runs for every date of every row
    /// (3.4 % of a cold run's samples as a call into ProsperModel). Tests check it
    /// against `Day` over every month of years 1 to 9999.
    @inline(__always)
    static func dayNumber(year: Int, month: Int, day: Int) -> Int32? {
        guard year >= 1, year <= 9999, month >= 1, month <= 12, day >= 1 else { return nil }
        let leap = year & 3 == 0 && (year % 100 != 0 || year % 400 == 0)
        // 31 for January, March, May, July, August, October and December, else 30.
        let daysInMonth = month == 2 ? (leap ? 29 : 28) : 30 + ((month + month >> 3) & 1)
        guard day <= daysInMonth else { return nil }
        // Howard Hinnant's days_from_civil for years >= 0, with March as month 0.
        let early = month <= 2
        let y = early ? year - 1 : year
        let mp = early ? month + 9 : month - 3
        let doy = (153 * mp + 2) / 5 + day - 1
        return Int32(truncatingIfNeeded: y * 365 + y / 4 - y / 100 + y / 400 + doy - 719_468)
    }

    /// `true` / `false` in any letter case.
    @inline(__always)
    static func boolean(_ b: UnsafeBufferPointer<UInt8>) -> Result<Bool, FieldProblem> {
        guard let p = b.baseAddress, b.count > 0 else { return .failure(.empty) }
        if b.count == 4, p[0] | 0x20 == UInt8(ascii: "t"), p[1] | 0x20 == UInt8(ascii: "r"),
           p[2] | 0x20 == UInt8(ascii: "u"), p[3] | 0x20 == UInt8(ascii: "e") { return .success(true) }
        if b.count == 5, p[0] | 0x20 == UInt8(ascii: "f"), p[1] | 0x20 == UInt8(ascii: "a"),
           p[2] | 0x20 == UInt8(ascii: "l"), p[3] | 0x20 == UInt8(ascii: "s"), p[4] | 0x20 == UInt8(ascii: "e") { return .success(false) }
        return .failure(.notBoolean)
    }

    /// A decimal amount with at most `maxDecimals` places, as an integer scaled by
    /// 10^maxDecimals (money: cents). Distinguishes a negative amount and too many
    /// decimals from text that is no amount at all.
    @inline(__always)
    static func decimal(_ b: UnsafeBufferPointer<UInt8>, maxDecimals: Int = 2, allowNegative: Bool = false) -> Result<Int64, FieldProblem> {
        guard let p = b.baseAddress, b.count > 0 else { return .failure(.empty) }
        // The shape exports write, `123.45`, without the general loop's branches: up to 15
        // digits, a point, two digits (anything else takes the general path below).
        let n = b.count
        if maxDecimals == 2, n >= 4, n <= 18, p[n - 3] == UInt8(ascii: ".") {
            let d1 = p[n - 2] &- 48, d2 = p[n - 1] &- 48
            var v: Int64 = 0, digits = true
            for k in 0..<(n - 3) {
                let d = p[k] &- 48
                if d >= 10 { digits = false; break }
                v = v &* 10 &+ Int64(d)
            }
            if digits, d1 < 10, d2 < 10 { return .success(v &* 100 &+ Int64(d1) &* 10 &+ Int64(d2)) }
        }
        var i = 0
        var negative = false
        if p[0] == UInt8(ascii: "-") { negative = true; i = 1 } else if p[0] == UInt8(ascii: "+") { i = 1 }
        var v: Int64 = 0
        var intDigits = 0, decimals = -1
        while i < b.count {
            let c = p[i]
            if c == UInt8(ascii: ".") {
                guard decimals < 0 else { return .failure(.notMoney) }
                decimals = 0
            } else {
                let d = c &- 48
                guard d < 10 else { return .failure(.notMoney) }
                if decimals >= 0 { decimals += 1 } else { intDigits += 1 }
                // At most 18 digits once scaled, so the value always fits in Int64.
                guard intDigits + maxDecimals <= 18 else { return .failure(.notMoney) }
                v = v &* 10 &+ Int64(d)
            }
            i += 1
        }
        guard intDigits > 0 || decimals > 0, decimals != 0 else { return .failure(.notMoney) }
        if decimals > maxDecimals { return .failure(.tooManyDecimals) }
        var missing = maxDecimals - max(decimals, 0)
        while missing > 0 { v = v &* 10; missing -= 1 }
        if negative, v != 0, !allowNegative { return .failure(.negativeMoney) }
        return .success(negative ? -v : v)
    }

    /// Validates UTF-8 and the length of a text value (`max` characters).
    @inline(__always)
    static func text(_ b: UnsafeBufferPointer<UInt8>, max: Int) -> FieldProblem? {
        if let p = validateUTF8(b) { return p }
        guard b.count > max else { return nil }
        let n = IngestLimits.characterCount(b)
        return n > max ? .tooLong(max: max, length: n) : nil
    }

    /// Validates UTF-8. ASCII text, the usual case, is recognised from the high bits of
    /// a few loads that cover it (overlapping at the end, as in `ByteHash`), without a
    /// byte loop whose length changes from field to field (measured: the byte loop over
    /// the last 1–7 bytes of each text field mispredicted on every row).
    @inline(__always)
    static func validateUTF8(_ b: UnsafeBufferPointer<UInt8>) -> FieldProblem? {
        guard let p = b.baseAddress else { return nil }
        let n = b.count
        var high: UInt64 = 0
        if n >= 8 {
            var i = 0
            while i + 8 <= n {
                high |= UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self)
                i += 8
            }
            high |= UnsafeRawPointer(p + n - 8).loadUnaligned(as: UInt64.self)
        } else if n >= 4 {
            high = UInt64(UnsafeRawPointer(p).loadUnaligned(as: UInt32.self) | UnsafeRawPointer(p + n - 4).loadUnaligned(as: UInt32.self))
        } else {
            for k in 0..<n { high |= UInt64(p[k]) }
        }
        if high & 0x8080_8080_8080_8080 == 0 { return nil }
        return validateNonASCII(p, n)
    }

    /// `validateUTF8` of text with at least one byte ≥ 0x80.
    static func validateNonASCII(_ p: UnsafePointer<UInt8>, _ n: Int) -> FieldProblem? {
        var i = 0
        while i + 8 <= n {
            if UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self) & 0x8080_8080_8080_8080 != 0 { break }
            i += 8
        }
        while i < n {
            let c = p[i]
            if c < 0x80 { i += 1; continue }
            var need = 0
            var minimum: UInt32 = 0
            var scalar: UInt32 = 0
            if c & 0xE0 == 0xC0 { need = 1; minimum = 0x80; scalar = UInt32(c & 0x1F) }
            else if c & 0xF0 == 0xE0 { need = 2; minimum = 0x800; scalar = UInt32(c & 0x0F) }
            else if c & 0xF8 == 0xF0 { need = 3; minimum = 0x10000; scalar = UInt32(c & 0x07) }
            else { return .invalidUTF8(byte: c) }
            guard i + need < n else { return .invalidUTF8(byte: c) }
            for k in 1...need {
                let cc = p[i + k]
                guard cc & 0xC0 == 0x80 else { return .invalidUTF8(byte: c) }
                scalar = scalar << 6 | UInt32(cc & 0x3F)
            }
            guard scalar >= minimum, scalar <= 0x10FFFF, !(0xD800...0xDFFF).contains(scalar) else {
                return .invalidUTF8(byte: c)
            }
            i += need + 1
        }
        return nil
    }
}
