/// Calendar arithmetic on day numbers: the parts of a date, days and months added, whole
/// months between two dates. Every function is exact, allocation-free and never traps;
/// a result outside the supported range (years 1…9999) is `nil`.
extension Day {
    /// The first supported day, 0001-01-01.
    public static let firstNumber: Int32 = -719_162
    /// The last supported day, 9999-12-31.
    public static let lastNumber: Int32 = 2_932_896

    /// True for days of years 1…9999.
    @inline(__always) public static func inRange(_ number: Int64) -> Bool {
        number >= Int64(firstNumber) && number <= Int64(lastNumber)
    }

    /// ISO weekday of day number `n`: 1 = Monday … 7 = Sunday (1970-01-01 was a Thursday).
    @inline(__always) public static func weekday(_ n: Int32) -> Int64 {
        let r = (Int64(n) + 3) % 7
        return (r < 0 ? r + 7 : r) + 1
    }

    /// `n` days later (earlier when negative); nil outside years 1…9999.
    @inline(__always) public static func addingDays(_ day: Int32, _ n: Int64) -> Int32? {
        let (v, o) = Int64(day).addingReportingOverflow(n)
        return !o && inRange(v) ? Int32(truncatingIfNeeded: v) : nil
    }

    /// The same day of the month `n` months later (earlier when negative), clamped to that
    /// month's last day (2026-01-31 + 1 month = 2026-02-28); nil outside years 1…9999.
    /// The data mapping's `months_before_as_of` uses the same rule.
    public static func addingMonths(_ day: Int32, _ n: Int64) -> Int32? {
        let c = Day(number: day).civil
        let start = Int64(c.year) * 12 + Int64(c.month - 1)
        // Months of years 1…9999 are 12 … 119_999; anything further cannot fit.
        guard n > -240_000, n < 240_000 else { return nil }
        let total = start + n
        guard total >= 12, total <= 9999 * 12 + 11 else { return nil }
        let y = Int(total / 12), m = Int(total % 12) + 1
        let d = min(c.day, daysInMonth(year: y, month: m))
        return Day(year: y, month: m, day: d)?.number
    }

    /// Whole months from `a` to `b`, as PostgreSQL's `age(b, a)` counts them: the
    /// difference of (year, month), less one when `b`'s day of the month is before `a`'s;
    /// negative (the same count from `b` to `a`, negated) when `b` is earlier than `a`.
    /// 2026-01-31 → 2026-02-28 is 0 months, 2026-01-15 → 2026-02-15 is 1.
    public static func monthsBetween(_ a: Int32, _ b: Int32) -> Int64 {
        if b < a { return -monthsBetween(b, a) }
        let x = Day(number: a).civil, y = Day(number: b).civil
        let months = Int64(y.year - x.year) * 12 + Int64(y.month - x.month)
        return y.day < x.day ? months - 1 : months
    }

    /// The first day of the month of `day`.
    @inline(__always) public static func startOfMonth(_ day: Int32) -> Int32 {
        // Wrapping is harmless: only days of the supported range reach here.
        day &- Int32(truncatingIfNeeded: Day(number: day).civil.day - 1)
    }
}
