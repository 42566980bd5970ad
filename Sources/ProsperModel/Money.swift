/// Exact money helpers. Money is always an integer number of cents (`Int64`);
/// it never passes through binary floating point.
public enum Money {
    /// `1234567` → `"12345.67"`; negative values keep their sign.
    public static func plain(_ cents: Int64) -> String {
        let negative = cents < 0
        let magnitude = cents.magnitude
        let whole = magnitude / 100, frac = magnitude % 100
        return (negative ? "-" : "") + String(whole) + "." + (frac < 10 ? "0" : "") + String(frac)
    }

    /// `1234567` → `"12,345.67"`: thousands separators for people.
    public static func grouped(_ cents: Int64) -> String {
        let negative = cents < 0
        let magnitude = cents.magnitude
        let whole = String(magnitude / 100), frac = magnitude % 100
        var out = ""
        for (i, ch) in whole.enumerated() {
            if i > 0, (whole.count - i) % 3 == 0 { out.append(",") }
            out.append(ch)
        }
        return (negative ? "-" : "") + out + "." + (frac < 10 ? "0" : "") + String(frac)
    }

    /// `total / count` in cents, rounded half-up (half away from zero); 0 when `count` is 0.
    public static func average(_ total: Int64, count: Int) -> Int64 {
        guard count > 0 else { return 0 }
        let n = Int64(count)
        let q = total / n, r = total % n
        if r.magnitude * 2 >= n.magnitude { return total >= 0 ? q + 1 : q - 1 }
        return q
    }

    /// Parses a non-negative or negative decimal with at most `maxDecimals` places into
    /// an integer scaled by 10^scale (`"49.9"`, scale 2 → 4990). `nil` for anything else,
    /// including too many decimals or overflow.
    public static func parseScaled(_ bytes: ArraySlice<UInt8>, scale: Int) -> Int64? {
        var i = bytes.startIndex
        let end = bytes.endIndex
        guard i < end else { return nil }
        var negative = false
        if bytes[i] == UInt8(ascii: "-") { negative = true; i += 1 }
        var value: Int64 = 0
        var sawDigit = false
        var decimals = -1
        while i < end {
            let c = bytes[i]
            if c == UInt8(ascii: ".") {
                guard decimals < 0 else { return nil }
                decimals = 0
            } else if c >= 48, c <= 57 {
                sawDigit = true
                if decimals >= 0 {
                    decimals += 1
                    guard decimals <= scale else { return nil }
                }
                let (m, o1) = value.multipliedReportingOverflow(by: 10)
                let (s, o2) = m.addingReportingOverflow(Int64(c - 48))
                guard !o1, !o2 else { return nil }
                value = s
            } else {
                return nil
            }
            i += 1
        }
        guard sawDigit, decimals != 0 else { return nil }
        var missing = scale - max(decimals, 0)
        while missing > 0 {
            let (m, o) = value.multipliedReportingOverflow(by: 10)
            guard !o else { return nil }
            value = m
            missing -= 1
        }
        return negative ? -value : value
    }
}
