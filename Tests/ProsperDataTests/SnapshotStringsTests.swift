import Testing
@testable import ProsperData
import ProsperModel

/// The snapshot's dictionary reader: the same texts, order flag and refusals whether it
/// checks the order in one piece (small dictionaries) or in chunks, which the reader runs
/// on all threads (large ones; the tests cut them small to put swaps across chunk ends).
@Suite struct SnapshotStringsTests {
    /// Offsets and bytes of `texts` as the snapshot writer lays them out.
    static func layout(_ texts: [String]) -> (offsets: [UInt64], bytes: [UInt8]) {
        var offsets: [UInt64] = [0], bytes: [UInt8] = []
        for t in texts { bytes += Array(t.utf8); offsets.append(UInt64(bytes.count)) }
        return (offsets, bytes)
    }

    static func decode(_ offsets: [UInt64], _ bytes: [UInt8], checkOrder: Bool = true, chunk: Int = 1000) -> ([String], Bool)? {
        let o = ColumnBuffer(offsets), b = ColumnBuffer(bytes)
        guard let list = TextList(packed: b, offsets: o) else { return nil }
        guard checkOrder else { return (list.strings, true) }
        let ascending = SnapshotReader.ascending(o, b)
        return (list.strings, SnapshotReader.pairChunks(count: list.count, chunk: chunk).allSatisfy(ascending))
    }

    static let large = 1 << 16 + 7
    static func ids(_ n: Int) -> [String] { (0..<n).map { "C" + String(1_000_000 + $0) } }

    static let cases: [(String, [String], Bool)] = [
        ("empty", [], true),
        ("one", ["C1"], true),
        ("empty texts", ["", "", "x"], false),
        ("small, ascending", ["a", "b", "c"], true),
        ("small, equal pair", ["a", "a"], false),
        ("unicode", ["Zoë", "Ωmega", "日本"], true),
        ("large, ascending", ids(large), true),
        ("large, swapped across the halves", { var v = ids(large); v.swapAt(large / 2 - 1, large / 2); return v }(), false),
        ("large, swapped across a chunk end", { var v = ids(large); v.swapAt(1000, 1001); return v }(), false),
        ("large, swapped at a chunk start", { var v = ids(large); v.swapAt(1001, 1002); return v }(), false),
        ("large, swapped at the end", { var v = ids(large); v.swapAt(large - 2, large - 1); return v }(), false),
        ("large, swapped at the start", { var v = ids(large); v.swapAt(0, 1); return v }(), false),
    ]

    @Test(arguments: cases)
    func decodesEveryTextAndTheOrder(_ name: String, _ texts: [String], _ ascending: Bool) throws {
        let (offsets, bytes) = Self.layout(texts)
        let decoded = try #require(Self.decode(offsets, bytes), "\(name)")
        #expect(decoded.0 == texts, "\(name)")
        #expect(decoded.1 == ascending, "\(name)")
        #expect(Self.decode(offsets, bytes, checkOrder: false)?.1 == true, "\(name): order not asked")
        #expect(Self.decode(offsets, bytes, chunk: SnapshotReader.checkChunk)?.1 == ascending, "\(name): chunks of the reader's size")
    }

    @Test func brokenOffsetsAreRefused() {
        let (offsets, bytes) = Self.layout(Self.ids(Self.large))
        var backwards = offsets
        backwards[Self.large / 2] = 3
        var past = offsets
        past[Self.large] = UInt64(bytes.count + 1)
        var start = offsets
        start[0] = 1
        #expect(Self.decode(backwards, bytes) == nil)
        #expect(Self.decode(past, bytes) == nil)
        #expect(Self.decode(start, bytes) == nil)
        #expect(Self.decode([], bytes) == nil)
    }
}

/// The ranges the reader cuts its element checks into cover every element (every pair)
/// exactly once.
@Suite struct SnapshotCheckChunkTests {
    @Test(arguments: [0, 1, 2, 999, 1000, 1001, 2999, 3000, 3001])
    func chunksCoverEveryIndexOnce(_ count: Int) {
        let chunks = SnapshotReader.chunks(count: count, chunk: 1000)
        #expect(chunks.flatMap { Array($0) } == Array(0..<count))
        let pairs = SnapshotReader.pairChunks(count: count, chunk: 1000)
        #expect(pairs.flatMap { Array($0) } == Array(1..<max(1, count)))
    }
}
