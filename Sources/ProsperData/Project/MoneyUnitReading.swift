import ProsperModel
import ProsperRules

extension YAMLReader {
    /// `money: { currency: USD }` or `money: { unit: value points }` of a mapping or the
    /// project file: what the amounts are. Exactly one key; a currency is a three-letter
    /// ISO 4217 code in capitals (`usd` is refused with `USD` suggested).
    mutating func moneyUnit(_ node: YAMLNode, in what: String) -> MoneyUnit? {
        let pairs = self.pairs(node, "money", allowed: ["currency", "unit"])
        guard pairs.count == 1 else {
            if pairs.count > 1 || node.pairs?.isEmpty == true {
                error(node, "bad-money", "money in \(what) needs exactly one of currency (a code such as USD) or unit (the name of a non-currency unit, such as value points)")
            }
            return nil
        }
        let (key, _, value) = pairs[0]
        guard let text = self.text(value, "money.\(key)") else { return nil }
        let trimmed = text.trimmingSpaces
        switch key {
        case "currency":
            if MoneyUnit.isCurrencyCode(trimmed) { return .currency(trimmed) }
            var message = "money.currency must be a three-letter currency code in capitals (ISO 4217, such as USD or EUR), found '\(text)'"
            let upper = trimmed.uppercased()
            if MoneyUnit.isCurrencyCode(upper) { message += "; did you mean '\(upper)'?" } else {
                message += "; for amounts that are not money (a score, points) write 'unit:' instead"
            }
            error(value, "bad-money", message)
        default:
            if trimmed.isEmpty || trimmed.count > 40 || trimmed.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
                error(value, "bad-money", "money.unit must be a short name (1 to 40 characters, no control characters), such as value points")
            } else {
                return .unit(trimmed)
            }
        }
        return nil
    }
}
