import Testing
@testable import ProsperModel

/// Packed texts read like the strings they were made from, and bad offsets are refused.
@Suite struct TextListTests {
    static let samples: [[String]] = [
        [], [""], ["C0000001", "C0000002", "C0000010"], ["", "a", "", "bb"],
        ["Zürich", "naïve café", "東京", "emoji 🎉", "a\u{0}b"],
    ]

    static func packed(_ strings: [String]) -> TextList? {
        let p = TextList(strings).packed
        return TextList(packed: p.bytes, offsets: p.offsets)
    }

    @Test(arguments: samples)
    func packedReadsLikeStrings(strings: [String]) throws {
        let list = try #require(Self.packed(strings))
        #expect(list.count == strings.count)
        #expect(Array(list) == strings)
        #expect(list.strings == strings)
        for (i, s) in strings.enumerated() {
            #expect(list[i] == s)
            #expect(list.withUTF8(i) { Array($0) } == Array(s.utf8))
            #expect(list.firstIndex(ofUTF8: Array(s.utf8)) == strings.firstIndex(of: s))
        }
        #expect(list.firstIndex(ofUTF8: Array("absent".utf8)) == nil)
    }

    @Test(arguments: samples)
    func orderAndDigestMatchTheStrings(strings: [String]) throws {
        let list = try #require(Self.packed(strings))
        for a in strings.indices {
            for b in strings.indices {
                #expect(list.less(a, b) == ExactText.less(strings[a], strings[b]))
            }
            #expect(list.withUTF8(a, Hash128.digest(utf8:)) == Hash128.digest(of: strings[a]))
        }
    }

    /// Offsets that do not start at 0, run backwards or past the bytes.
    @Test(arguments: [[1, 2], [0, 3, 2], [0, 5], [] as [UInt64]])
    func badOffsetsAreRefused(offsets: [UInt64]) {
        #expect(TextList(packed: ColumnBuffer(Array("abcd".utf8)), offsets: ColumnBuffer(offsets)) == nil)
    }

    @Test func stringColumnOverPackedIds() throws {
        let ids = ["C1", "C2", "C3"]
        let column = StringColumn(unique: try #require(Self.packed(ids)), byteOrdered: true)
        #expect(column.count == 3)
        #expect(column.value(1) == "C2")
        #expect(column.precedes(0, 2))
        let unordered = StringColumn(unique: try #require(Self.packed(["b", "a"])))
        #expect(unordered.precedes(1, 0))
        #expect(!unordered.precedes(0, 1))
    }
}
