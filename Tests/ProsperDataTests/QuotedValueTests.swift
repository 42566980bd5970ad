import Testing
@testable import ProsperData

/// Values quoted in ingest messages (terminal and JSON) never carry a character that a
/// terminal would act on: C0, DEL, C1 and bidirectional controls are shown escaped.
@Suite struct QuotedValueTests {
    static let rows: [(String, String)] = [
        ("Acme", "\"Acme\""),
        ("a\"b", "\"a\\\"b\""),
        ("line\nbreak", "\"line\\nbreak\""),
        ("\u{1B}[31mred", "\"\\u{1b}[31mred\""),
        ("del\u{7F}", "\"del\\u{7f}\""),
        ("c1\u{85}", "\"c1\\u{85}\""),
        ("evil\u{202E}gpj.exe", "\"evil\\u{202e}gpj.exe\""),
        ("iso\u{2066}x\u{2069}", "\"iso\\u{2066}x\\u{2069}\""),
        ("Zürich 東京", "\"Zürich 東京\""),
        (String(repeating: "x", count: 50), "\"" + String(repeating: "x", count: 40) + "…\""),
    ]

    @Test(arguments: rows)
    func controlsAreVisible(_ row: (String, String)) {
        #expect(quoted(row.0) == row.1)
    }
}
