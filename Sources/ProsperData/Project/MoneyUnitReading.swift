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
                error(node, .moneyOneKey(in: what))
            }
            return nil
        }
        let (key, _, value) = pairs[0]
        guard let text = self.text(value, "money.\(key)") else { return nil }
        let trimmed = text.trimmingSpaces
        switch key {
        case "currency":
            if MoneyUnit.isCurrencyCode(trimmed) { return .currency(trimmed) }
            let upper = trimmed.uppercased()
            let advice = MoneyUnit.isCurrencyCode(upper) ? "; did you mean '\(upper)'?" : "; for amounts that are not money (a score, points) write 'unit:' instead"
            error(value, .moneyCurrency(found: text, advice: advice))
        default:
            if trimmed.isEmpty || trimmed.count > 40 || trimmed.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
                error(value, .moneyUnitName)
            } else {
                return .unit(trimmed)
            }
        }
        return nil
    }
}
