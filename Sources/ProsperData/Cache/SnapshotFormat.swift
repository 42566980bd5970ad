/// The layout of a snapshot file (docs/cache.md), all integers little-endian:
///
/// - a 128-byte header: magic `PRSNAP\r\n`, format version (UInt32), payload length,
///   payload checksum (`SnapshotHash`), the 128-bit content key, the metadata's offset
///   and length, and at byte 120 the hash of bytes 0..<120;
/// - the payload, from byte 128 to the end of the file: the column sections, each at an
///   offset that is a multiple of 64 (so a column is used in place from the mapping),
///   then the metadata block (`SnapshotMeta`), which names every section by offset and
///   length.
enum SnapshotFormat {
    static let magic: [UInt8] = Array("PRSNAP\r\n".utf8)
    /// Raised whenever the layout or the meaning of a field changes.
    static let version: UInt32 = 1
    static let headerSize = 128
    static let alignment = 64

    struct Header: Equatable {
        var payloadLength: UInt64
        var payloadChecksum: UInt64
        var key: SnapshotKey
        var metaOffset: UInt64
        var metaLength: UInt64

        func encoded() -> [UInt8] {
            var w = MetaWriter()
            w.bytes += magic
            w.u32(version)
            w.u32(0)
            w.u64(payloadLength)
            w.u64(payloadChecksum)
            w.u64(key.high)
            w.u64(key.low)
            w.u64(metaOffset)
            w.u64(metaLength)
            w.bytes += [UInt8](repeating: 0, count: 120 - w.bytes.count)
            w.u64(SnapshotHash.hash(Array(w.bytes[0 ..< 120])))
            return w.bytes
        }

        /// The header at the start of `bytes`, or why it is not one.
        static func decode(_ bytes: UnsafeRawBufferPointer) -> Result<Header, SnapshotProblem> {
            guard bytes.count >= headerSize else { return .failure(.truncated) }
            var r = MetaReader(UnsafeRawBufferPointer(rebasing: bytes[0 ..< headerSize]))
            guard let m = r.raw(8), m.elementsEqual(magic) else { return .failure(.notASnapshot) }
            guard let v = r.u32(), v == version else { return .failure(.otherFormatVersion) }
            let check = SnapshotHash.hash(UnsafeRawBufferPointer(rebasing: bytes[0 ..< 120]))
            var tail = MetaReader(UnsafeRawBufferPointer(rebasing: bytes[120 ..< 128]))
            guard tail.u64() == check else { return .failure(.badChecksum) }
            guard r.u32() != nil, let length = r.u64(), let sum = r.u64(), let high = r.u64(), let low = r.u64(),
                  let metaOffset = r.u64(), let metaLength = r.u64() else { return .failure(.truncated) }
            return .success(Header(payloadLength: length, payloadChecksum: sum, key: SnapshotKey(high: high, low: low),
                                   metaOffset: metaOffset, metaLength: metaLength))
        }
    }
}

/// Why a snapshot file was not used (it is then rebuilt and replaced).
package enum SnapshotProblem: String, Sendable, Error, Equatable {
    case missing = "no snapshot"
    case unreadable = "cannot be read"
    case truncated = "truncated"
    case notASnapshot = "not a snapshot file"
    case otherFormatVersion = "written by another format version"
    case otherKey = "for other data, mapping or tool version"
    case badChecksum = "checksum mismatch (changed or corrupted)"
    case badLayout = "inconsistent layout"
}

/// The little-endian writer of the metadata block and the header.
struct MetaWriter {
    var bytes: [UInt8] = []

    mutating func u8(_ v: UInt8) { bytes.append(v) }
    mutating func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { bytes += $0 } }
    mutating func u64(_ v: UInt64) { withUnsafeBytes(of: v.littleEndian) { bytes += $0 } }
    mutating func int(_ v: Int) { u64(UInt64(bitPattern: Int64(v))) }
    mutating func optionalInt(_ v: Int?) {
        u8(v == nil ? 0 : 1)
        int(v ?? 0)
    }
    mutating func string(_ s: String) {
        let utf8 = Array(s.utf8)
        u64(UInt64(utf8.count))
        bytes += utf8
    }
    mutating func strings(_ list: [String]) {
        u64(UInt64(list.count))
        for s in list { string(s) }
    }
}

/// Reads what `MetaWriter` wrote, every read bounds-checked: nil past the end or when
/// a length does not fit (the file is untrusted input).
struct MetaReader {
    private let buffer: UnsafeRawBufferPointer
    private var at = 0

    init(_ buffer: UnsafeRawBufferPointer) { self.buffer = buffer }

    var atEnd: Bool { at == buffer.count }

    mutating func raw(_ n: Int) -> UnsafeRawBufferPointer? {
        guard n >= 0, n <= buffer.count - at else { return nil }
        defer { at += n }
        return UnsafeRawBufferPointer(rebasing: buffer[at ..< at + n])
    }
    mutating func u8() -> UInt8? { raw(1).map { $0[0] } }
    mutating func u32() -> UInt32? { raw(4).map { UInt32(littleEndian: $0.loadUnaligned(as: UInt32.self)) } }
    mutating func u64() -> UInt64? { raw(8).map { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) } }
    mutating func int() -> Int? { u64().map { Int(Int64(bitPattern: $0)) } }
    /// A count of things that each take at least one byte (so a huge count fails fast).
    mutating func count() -> Int? {
        guard let v = u64(), v <= UInt64(buffer.count - at) else { return nil }
        return Int(v)
    }
    mutating func optionalInt() -> Int?? {
        guard let flag = u8(), let v = int() else { return nil }
        switch flag {
        case 0: return .some(nil)
        case 1: return .some(v)
        default: return nil
        }
    }
    mutating func string() -> String? {
        guard let n = count(), let b = raw(n) else { return nil }
        return String(decoding: b, as: UTF8.self)
    }
    mutating func strings() -> [String]? {
        guard let n = count() else { return nil }
        var out: [String] = []
        out.reserveCapacity(n)
        for _ in 0 ..< n {
            guard let s = string() else { return nil }
            out.append(s)
        }
        return out
    }
}
