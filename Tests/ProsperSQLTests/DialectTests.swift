import Testing
@testable import ProsperSQL

@Suite struct DialectTests {
    @Test(arguments: [
        (SQLDialect.postgres, "a\"b", "\"a\"\"b\""),
        (.spark, "a`b", "`a``b`"),
    ])
    func identifiersAreQuoted(_ d: SQLDialect, _ name: String, _ expected: String) {
        #expect(d.identifier(name) == expected)
    }

    @Test(arguments: [
        (SQLDialect.postgres, "it's \\n", "'it''s \\n'"),
        (.spark, "it's \\n", "'it\\'s \\\\n'"),
    ])
    func literalsAreEscaped(_ d: SQLDialect, _ text: String, _ expected: String) {
        #expect(d.stringLiteral(text) == expected)
    }
}
