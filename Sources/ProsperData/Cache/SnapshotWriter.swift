#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ProsperModel

/// One block of bytes in a snapshot: a column used in place, borrowed from the dataset
/// (which the writer keeps alive) or from a buffer in `kept`.
private struct SectionBytes {
    let bytes: UnsafeRawBufferPointer

    func withBytes<R>(_ body: (UnsafeRawBufferPointer) -> R) -> R { body(bytes) }

    var count: Int { bytes.count }
}

/// Writes `SnapshotContent` in the snapshot format (`SnapshotFormat`).
struct SnapshotWriter {
    private var sections: [SectionBytes] = []
    /// Buffers made for the snapshot (packed dictionaries that were strings), kept alive
    /// while their sections are borrowed.
    private var kept: [AnyObject] = []
    private var meta = MetaWriter()
    private let content: SnapshotContent

    init(content: SnapshotContent, toolVersion: String, description: String) {
        self.content = content
        let d = content.dataset
        meta.string(toolVersion)
        meta.string(description)
        meta.int(d.count)
        meta.int(Int(d.asOf.number))
        meta.string(d.fingerprint)
        switch d.moneyUnit {
        case nil: meta.u8(0); meta.string("")
        case .currency(let c)?: meta.u8(1); meta.string(c)
        case .unit(let u)?: meta.u8(2); meta.string(u)
        }
        meta.int(content.rowsRejected)
        meta.u64(UInt64(content.warnings.count))
        for w in content.warnings {
            meta.string(w.file)
            meta.optionalInt(w.line)
            meta.optionalInt(w.column)
            meta.string(w.code)
            meta.string(w.message)
        }
        meta.u64(UInt64(content.mappingConstants.count))
        for c in content.mappingConstants {
            meta.string(c.field)
            meta.string(c.file)
            meta.int(c.line)
            meta.int(c.column)
        }
        meta.u64(UInt64(d.schema.fields.count))
        for f in d.schema.fields {
            meta.string(f.name)
            meta.string(SnapshotMeta.kindCode(f.kind))
            meta.u8(f.nullable ? 1 : 0)
            meta.string(f.origin.rawValue)
            meta.string(f.summary)
        }
        meta.u64(UInt64(d.columns.count))
        for column in d.columns {
            switch column {
            case .number(let c):
                meta.u8(SnapshotMeta.numberTag)
                meta.int(c.scale)
                meta.int(add(c.values))
            case .boolean(let c):
                meta.u8(SnapshotMeta.booleanTag)
                meta.int(add(c.values))
            case .date(let c):
                meta.u8(SnapshotMeta.dateTag)
                meta.int(add(c.values))
            case .string(let c):
                meta.u8(SnapshotMeta.stringTag)
                meta.int(c.codes.map { add($0) } ?? -1)
                meta.int(c.dictionary.count)
                let packed = c.dictionary.packed
                kept.append(packed.offsets); kept.append(packed.bytes)
                meta.int(add(packed.offsets))
                meta.int(add(packed.bytes))
            case .productSet(let c):
                meta.u8(SnapshotMeta.productSetTag)
                meta.int(add(c.bits))
                meta.strings(c.universe)
            }
        }
        let s = d.subscriptions
        meta.strings(s.products)
        meta.int(add(s.offsets))
        meta.int(add(s.product))
        meta.int(add(s.price))
        meta.int(add(s.startDate))
        meta.int(add(s.active))
    }

    private mutating func add<T>(_ buffer: ColumnBuffer<T>) -> Int {
        sections.append(SectionBytes(bytes: UnsafeRawBufferPointer(buffer.elements)))
        return sections.count - 1
    }

    private static func aligned(_ n: Int) -> Int {
        (n + SnapshotFormat.alignment - 1) / SnapshotFormat.alignment * SnapshotFormat.alignment
    }

    /// Writes the snapshot to a new temporary file in `folder` and renames it to
    /// `name` there (atomic: a reader sees the old file or the new one, never a part).
    /// Nothing is left behind on failure; returns whether it was written.
    func write(folder: String, name: String, key: SnapshotKey) -> Bool {
        // Layout: sections at aligned offsets, then the metadata with the section table.
        var offsets: [Int] = []
        var end = SnapshotFormat.headerSize
        for s in sections {
            let at = Self.aligned(end)
            offsets.append(at)
            end = at + s.count
        }
        var m = meta
        m.u64(UInt64(sections.count))
        for (s, at) in zip(sections, offsets) {
            m.u64(UInt64(at))
            m.u64(UInt64(s.count))
        }
        let metaOffset = end
        let total = metaOffset + m.bytes.count

        // The payload checksum, over exactly the bytes written after the header.
        var hasher = SnapshotHash.Stream()
        var position = SnapshotFormat.headerSize
        let zeros = [UInt8](repeating: 0, count: SnapshotFormat.alignment)
        func pieces(_ body: (UnsafeRawBufferPointer) -> Bool) -> Bool {
            for (s, at) in zip(sections, offsets) {
                if at > position {
                    let ok = zeros.withUnsafeBytes { body(UnsafeRawBufferPointer(rebasing: $0[0 ..< at - position])) }
                    guard ok else { return false }
                }
                guard s.withBytes({ body($0) }) else { return false }
                position = at + s.count
            }
            return m.bytes.withUnsafeBytes { body($0) }
        }
        var timer = PhaseTimer()
        _ = pieces { hasher.add($0); return true }
        timer.lap("  snapshot checksum")
        defer { timer.lap("  snapshot write and rename") }
        let header = SnapshotFormat.Header(payloadLength: UInt64(total - SnapshotFormat.headerSize), payloadChecksum: hasher.finish(),
                                           key: key, metaOffset: UInt64(metaOffset), metaLength: UInt64(m.bytes.count))

        let target = folder.hasSuffix("/") ? folder + name : folder + "/" + name
        guard let (fd, temporary) = try? AtomicOutputFile.createTemporary(beside: target, path: target) else { return false }
        let slot = TemporaryPaths.register(temporary)
        defer { TemporaryPaths.unregister(slot) }
        func put(_ b: UnsafeRawBufferPointer) -> Bool {
            guard let base = b.baseAddress, b.count > 0 else { return true }
            return AtomicOutputFile.writeAll(fd, base.assumingMemoryBound(to: UInt8.self), b.count) == 0
        }
        position = SnapshotFormat.headerSize
        var ok = header.encoded().withUnsafeBytes { put($0) } && pieces(put)
        // A snapshot is only a cache: no fsync (a file torn by a crash fails its checksum).
        if ok, fchmod(fd, 0o644 & ~AtomicOutputFile.umaskValue) != 0 { ok = false }
        if close(fd) != 0 { ok = false }
        if ok, rename(temporary, target) != 0 { ok = false }
        if !ok { unlink(temporary) }
        return ok
    }
}

/// Codes shared by the writer and the reader.
enum SnapshotMeta {
    static let numberTag: UInt8 = 1, booleanTag: UInt8 = 2, dateTag: UInt8 = 3, stringTag: UInt8 = 4, productSetTag: UInt8 = 5

    /// `n2` (number with scale 2), `b`, `s`, `d`, `p`.
    static func kindCode(_ kind: FieldKind) -> String {
        switch kind {
        case .number(let scale): "n\(scale)"
        case .boolean: "b"
        case .string: "s"
        case .date: "d"
        case .productSet: "p"
        }
    }

    static func kind(_ code: String) -> FieldKind? {
        switch code {
        case "b": return .boolean
        case "s": return .string
        case "d": return .date
        case "p": return .productSet
        default:
            guard code.hasPrefix("n"), let scale = Int(code.dropFirst()), (0...18).contains(scale) else { return nil }
            return .number(scale: scale)
        }
    }
}
