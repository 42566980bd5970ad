/// libyaml's line breaks, the one definition every line and column count in the project
/// uses (the YAML reader, the scalar source map, the text check and the renderer):
/// LF, CR, CR LF, NEL (U+0085), LINE SEPARATOR (U+2028) and PARAGRAPH SEPARATOR (U+2029).
enum LineBreak {
    /// The length in bytes of the line break starting at byte `i` (2 for CR LF), 0 when
    /// there is none there or `i` is out of range.
    static func length(_ bytes: [UInt8], at i: Int) -> Int {
        guard i >= 0, i < bytes.count else { return 0 }
        switch bytes[i] {
        case 0x0A: return 1
        case 0x0D: return i + 1 < bytes.count && bytes[i + 1] == 0x0A ? 2 : 1
        case 0xC2: return i + 1 < bytes.count && bytes[i + 1] == 0x85 ? 2 : 0
        case 0xE2: return i + 2 < bytes.count && bytes[i + 1] == 0x80 && (bytes[i + 2] == 0xA8 || bytes[i + 2] == 0xA9) ? 3 : 0
        default: return 0
        }
    }

    /// What libyaml writes into a scalar's value for the break at `i` (of `length`
    /// bytes): LF, except that LINE and PARAGRAPH SEPARATOR are kept as they are.
    static func decoded(_ bytes: [UInt8], at i: Int, length: Int) -> [UInt8] {
        length == 3 ? Array(bytes[i..<(i + 3)]) : [0x0A]
    }

    /// Whether a Unicode scalar is (the start of) a line break.
    static func isBreak(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x0A, 0x0D, 0x85, 0x2028, 0x2029: true
        default: false
        }
    }
}
