/// Placeholder until the exact translation lands: every pattern is refused.
public struct RegexRefusal: Error, Sendable {
    public let utf8Offset: Int
    public let message: String
}

public enum RegexTranslation {
    public static func translate(_ pattern: String, for dialect: SQLDialect) -> Result<String, RegexRefusal> {
        .failure(RegexRefusal(utf8Offset: 0, message: "matches() is not yet compiled to SQL"))
    }
}
