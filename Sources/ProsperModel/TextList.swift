/// The texts of a string column's dictionary, indexed by code: Swift strings, or UTF-8
/// bytes packed end to end with their offsets.
///
/// Packed texts are decoded one at a time, when a result names them. A million customer
/// ids read from a file, or mapped from a snapshot, stay as the bytes they arrived in:
/// building a `String` for each up front was 16 ms of a cold report and 13–18 ms of a
/// re-run (issue 14), for ids of which a report names a few dozen.
public struct TextList: RandomAccessCollection, Sendable, ExpressibleByArrayLiteral {
    private enum Storage: Sendable {
        case strings([String])
        /// Text i is `bytes[offsets[i] ..< offsets[i + 1]]`.
        case packed(bytes: ColumnBuffer<UInt8>, offsets: ColumnBuffer<UInt64>)
    }

    private let storage: Storage
    public let endIndex: Int
    public var startIndex: Int { 0 }

    /// The texts of `strings`, in order.
    public init(_ strings: [String]) {
        storage = .strings(strings)
        endIndex = strings.count
    }

    public init(arrayLiteral elements: String...) { self.init(elements) }

    /// Packed texts: text i is `bytes[offsets[i] ..< offsets[i + 1]]`. Returns nil unless
    /// the offsets start at 0, never decrease and end inside `bytes`, so that every text
    /// lies inside the bytes. The bytes should be UTF-8 (ingestion checks every id; a
    /// snapshot's are whatever was written, guarded by its checksum): invalid bytes never
    /// trap, `String(decoding:)` repairs them and comparisons and hashes use the bytes.
    public init?(packed bytes: ColumnBuffer<UInt8>, offsets: ColumnBuffer<UInt64>) {
        let o = offsets.elements
        guard let first = o.first, first == 0 else { return nil }
        var previous: UInt64 = 0
        for v in o.dropFirst() {
            guard v >= previous, v <= UInt64(bytes.count) else { return nil }
            previous = v
        }
        storage = .packed(bytes: bytes, offsets: offsets)
        endIndex = o.count - 1
    }

    /// Text `i` (`0 ..< count`; traps outside, like an array).
    public subscript(i: Int) -> String {
        switch storage {
        case .strings(let s): return s[i]
        case .packed: return withUTF8(i) { String(decoding: $0, as: UTF8.self) }
        }
    }

    /// Calls `body` with the UTF-8 bytes of text `i`, without building a `String` when the
    /// texts are packed.
    public func withUTF8<R>(_ i: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        switch storage {
        case .strings(let s):
            var text = s[i]
            return try text.withUTF8(body)
        case .packed(let bytes, let offsets):
            precondition(i >= 0 && i < endIndex, "text index out of range")
            // The offsets were checked in `init`: the range lies inside `bytes`.
            let lo = Int(offsets.elements[i]), hi = Int(offsets.elements[i + 1])
            return try body(UnsafeBufferPointer(start: bytes.pointer + lo, count: hi - lo))
        }
    }

    /// Whether text `a` comes before text `b` in byte order.
    public func less(_ a: Int, _ b: Int) -> Bool {
        withUTF8(a) { x in withUTF8(b) { y in x.lexicographicallyPrecedes(y) } }
    }

    /// The first code whose text has exactly these bytes.
    public func firstIndex(ofUTF8 wanted: some Collection<UInt8>) -> Int? {
        indices.first { i in withUTF8(i) { $0.elementsEqual(wanted) } }
    }

    /// The texts as Swift strings (decodes packed texts: linear in their size).
    public var strings: [String] {
        switch storage {
        case .strings(let s): return s
        case .packed: return map { $0 }
        }
    }

    /// The packed form: the bytes of every text end to end and the `count + 1` offsets
    /// between them (copied from strings, shared when already packed).
    public var packed: (bytes: ColumnBuffer<UInt8>, offsets: ColumnBuffer<UInt64>) {
        switch storage {
        case .packed(let bytes, let offsets): return (bytes, offsets)
        case .strings(let s):
            var offsets: [UInt64] = [0]
            offsets.reserveCapacity(s.count + 1)
            var bytes: [UInt8] = []
            for text in s {
                bytes.append(contentsOf: text.utf8)
                offsets.append(UInt64(bytes.count))
            }
            return (ColumnBuffer(bytes), ColumnBuffer(offsets))
        }
    }
}
