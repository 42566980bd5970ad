/// Builds a dictionary of distinct texts in order of first appearance and hands out
/// their codes: the one place text values become dictionary codes (text columns,
/// group labels, the rule compiler's recoded dictionaries).
package struct StringInterner: Sendable {
    /// The distinct texts; a code indexes this list.
    package private(set) var dictionary: [String] = []
    private var index: [ExactTextKey: Int32] = [:]

    package init() {}

    /// The code of `text`, adding it when new.
    package mutating func code(_ text: String) -> Int32 {
        // Few distinct values (industries, regions): a linear scan beats hashing, and
        // equal strings that share storage compare by identity.
        if dictionary.count <= 16 {
            if let c = dictionary.firstIndex(where: { ExactText.equal($0, text) }) { return Int32(c) }
        } else if let c = index[ExactTextKey(text)] {
            return c
        }
        let c = Int32(dictionary.count)
        index[ExactTextKey(text)] = c
        dictionary.append(text)
        return c
    }
}
