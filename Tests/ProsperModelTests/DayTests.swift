import Testing
@testable import ProsperModel

@Suite struct DayTests {
    @Test(arguments: [
        ("1970-01-01", 0), ("2026-11-01", 20758), ("2000-02-29", 11016), ("1969-12-31", -1),
    ])
    func parsesAndPrints(text: String, number: Int32) throws {
        let day = try #require(Day(iso: text))
        #expect(day.number == number)
        #expect(day.description == text)
    }

    @Test(arguments: ["2026-02-30", "2025-02-29", "2026-13-01", "2026-1-01", "26-01-01", "2026/01/01", "", "2026-00-10"])
    func rejectsImpossibleDates(text: String) {
        #expect(Day(iso: text) == nil)
    }

    /// Calendar arithmetic never traps, whatever `n` is: out of years 1…9999 is nil.
    @Test(arguments: [Int64.max, Int64.min, Int64.min + 1, 4_000_000, -4_000_000])
    func extremeCountsGiveNil(n: Int64) throws {
        let d = try #require(Day(iso: "2026-06-30")).number
        #expect(Day.addingDays(d, n) == nil)
        #expect(Day.addingMonths(d, n) == nil)
    }

    @Test func rangeEnds() throws {
        #expect(Day(number: Day.firstNumber).description == "0001-01-01")
        #expect(Day(number: Day.lastNumber).description == "9999-12-31")
        #expect(Day.addingDays(Day.lastNumber, 1) == nil)
        #expect(Day.addingDays(Day.firstNumber, -1) == nil)
        #expect(Day.addingMonths(Day.lastNumber, 0) == Day.lastNumber)
        #expect(Day.monthsBetween(Day.firstNumber, Day.lastNumber) == 9998 * 12 + 11)
        #expect(Day.monthsBetween(Day.lastNumber, Day.firstNumber) == -(9998 * 12 + 11))
    }
}
