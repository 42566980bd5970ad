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
}
