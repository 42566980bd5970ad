import Testing
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

    @Test(arguments: [("2026-02-28", true), ("2024-02-29", true), ("2026-02-30", false), ("2026-00-01", false), ("2026-2-01", false)])
    func dates(text: String, valid: Bool) {
        var t = text
        let ok = t.withUTF8 { b -> Bool in if case .success = FieldParsers.date(b) { return true } else { return false } }
        #expect(ok == valid)
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

    @Test func didYouMean() {
        #expect(DidYouMean.suggest("employees", among: ["employes", "plan"]) == "employes")
        #expect(DidYouMean.suggest("status", among: ["plan"]) == nil)
        #expect(DidYouMean.suggest("activ", among: ["active", "cancelled"]) == "active")
    }
}
