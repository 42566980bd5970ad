#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch
import ProsperModel

/// A whole file mapped read-only into memory; the columns of a dataset loaded from a
/// snapshot point into it and keep it alive (see `ColumnBuffer.init(borrowing:count:owner:)`).
final class FileMapping: @unchecked Sendable {
    let bytes: UnsafeRawBufferPointer

    private init(bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    /// Maps `path`; nil when it cannot be opened, is empty or is not a regular file.
    static func map(_ path: String) -> FileMapping? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG, st.st_size > 0, st.st_size < Int64(Int.max) else { return nil }
        let size = Int(st.st_size)
        guard let p = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), p != MAP_FAILED else { return nil }
        return FileMapping(bytes: UnsafeRawBufferPointer(start: p, count: size))
    }

    deinit {
        if let base = bytes.baseAddress { munmap(UnsafeMutableRawPointer(mutating: base), bytes.count) }
    }
}

/// Reads a snapshot file: checks the header, the key and the payload checksum, then
/// every section bound and every code, and builds the dataset over the mapped file
/// without copying a column. Any problem gives a `SnapshotProblem`, never a trap.
enum SnapshotReader {
    /// The snapshot for `key` in the file at `path`.
    static func read(path: String, key: SnapshotKey?, threads: Int = 2) -> Result<SnapshotContent, SnapshotProblem> {
        guard let mapping = FileMapping.map(path) else { return .failure(FileIdentity.of(path) == nil ? .missing : .unreadable) }
        return read(mapping, key: key, threads: threads)
    }

    static func read(_ mapping: FileMapping, key: SnapshotKey?, threads: Int) -> Result<SnapshotContent, SnapshotProblem> {
        let file = mapping.bytes
        let header: SnapshotFormat.Header
        switch SnapshotFormat.Header.decode(file) {
        case .success(let h): header = h
        case .failure(let p): return .failure(p)
        }
        if let key, header.key != key { return .failure(.otherKey) }
        let payloadCount = file.count - SnapshotFormat.headerSize
        guard header.payloadLength == UInt64(payloadCount) else { return .failure(.truncated) }
        let payload = UnsafeRawBufferPointer(rebasing: file[SnapshotFormat.headerSize...])
        var timer = PhaseTimer()
        guard SnapshotHash.hash(payload, threads: threads) == header.payloadChecksum else { return .failure(.badChecksum) }
        timer.lap("  snapshot checksum (\(payload.count >> 20) MiB)")
        defer { timer.lap("  snapshot decode and checks") }
        guard header.metaOffset >= UInt64(SnapshotFormat.headerSize), header.metaOffset <= UInt64(file.count),
              header.metaLength == UInt64(file.count) - header.metaOffset else { return .failure(.badLayout) }
        let metaStart = Int(header.metaOffset)
        var decoder = SnapshotDecoder(mapping: mapping, meta: MetaReader(UnsafeRawBufferPointer(rebasing: file[metaStart...])), sectionLimit: metaStart)
        guard let content = decoder.decode() else { return .failure(.badLayout) }
        return .success(content)
    }

    /// The tool version and description of a snapshot (for `cache list`), nil when the
    /// header or the metadata cannot be read. Does not verify the checksum.
    static func summary(path: String) -> (toolVersion: String, description: String)? {
        guard let mapping = FileMapping.map(path), case .success(let h) = SnapshotFormat.Header.decode(mapping.bytes),
              h.metaOffset >= UInt64(SnapshotFormat.headerSize), h.metaOffset < UInt64(mapping.bytes.count) else { return nil }
        var r = MetaReader(UnsafeRawBufferPointer(rebasing: mapping.bytes[Int(h.metaOffset)...]))
        guard let tool = r.string(), let description = r.string() else { return nil }
        return (tool, description)
    }
}

/// Decodes the metadata block: every count, offset and length is checked against the
/// file before a column is made from it.
private struct SnapshotDecoder {
    let mapping: FileMapping
    var meta: MetaReader
    /// Sections must end before the metadata.
    let sectionLimit: Int

    private struct ColumnPlan {
        var tag: UInt8
        var scale = 0
        var section = -1
        var dictionaryCount = 0
        var offsetsSection = -1
        var bytesSection = -1
        var universe: [String] = []
    }

    mutating func decode() -> SnapshotContent? {
        guard meta.string() != nil, meta.string() != nil,
              let count = meta.int(), count > 0, count < Int(Int32.max),
              let asOf = meta.int(), let asOfNumber = Int32(exactly: asOf), Self.dayRange.contains(asOfNumber),
              let fingerprint = meta.string(),
              let unitTag = meta.u8(), let unitText = meta.string(),
              let rejected = meta.int(), rejected >= 0 else { return nil }
        let unit: MoneyUnit?
        switch unitTag {
        case 0: unit = nil
        case 1: unit = .currency(unitText)
        case 2: unit = .unit(unitText)
        default: return nil
        }
        guard let warningCount = meta.count() else { return nil }
        var warnings: [IngestWarning] = []
        for _ in 0 ..< warningCount {
            guard let file = meta.string(), let line = meta.optionalInt(), let column = meta.optionalInt(),
                  let code = meta.string(), let message = meta.string() else { return nil }
            warnings.append(IngestWarning(file: file, line: line, column: column, code: code, message: message))
        }
        guard let constantCount = meta.count() else { return nil }
        var constants: [MappingConstant] = []
        for _ in 0 ..< constantCount {
            guard let field = meta.string(), let file = meta.string(), let line = meta.int(), let column = meta.int() else { return nil }
            constants.append(MappingConstant(field: field, file: file, line: line, column: column))
        }
        guard let fieldCount = meta.count() else { return nil }
        var fields: [FieldInfo] = []
        for _ in 0 ..< fieldCount {
            guard let name = meta.string(), let kindCode = meta.string(), let kind = SnapshotMeta.kind(kindCode),
                  let nullable = meta.u8(), nullable <= 1, let originText = meta.string(), let origin = FieldOrigin(rawValue: originText),
                  let summary = meta.string() else { return nil }
            fields.append(FieldInfo(name: name, kind: kind, nullable: nullable == 1, origin: origin, summary: summary))
        }
        guard let columnCount = meta.count(), columnCount == fieldCount else { return nil }
        var plans: [ColumnPlan] = []
        for _ in 0 ..< columnCount {
            guard let tag = meta.u8() else { return nil }
            var plan = ColumnPlan(tag: tag)
            switch tag {
            case SnapshotMeta.numberTag:
                guard let scale = meta.int(), let s = meta.int() else { return nil }
                plan.scale = scale
                plan.section = s
            case SnapshotMeta.booleanTag, SnapshotMeta.dateTag:
                guard let s = meta.int() else { return nil }
                plan.section = s
            case SnapshotMeta.stringTag:
                guard let s = meta.int(), let n = meta.int(), n >= 0, n < Int(Int32.max), let o = meta.int(), let b = meta.int() else { return nil }
                plan.section = s
                plan.dictionaryCount = n
                plan.offsetsSection = o
                plan.bytesSection = b
            case SnapshotMeta.productSetTag:
                guard let s = meta.int(), let u = meta.strings(), u.count <= ProductSetColumn.maxProducts else { return nil }
                plan.section = s
                plan.universe = u
            default:
                return nil
            }
            plans.append(plan)
        }
        guard let products = meta.strings(), products.count <= Int(UInt8.max) + 1,
              let subOffsets = meta.int(), let subProduct = meta.int(), let subPrice = meta.int(),
              let subStart = meta.int(), let subActive = meta.int() else { return nil }
        guard let sectionCount = meta.count() else { return nil }
        var sections: [(offset: Int, length: Int)] = []
        for _ in 0 ..< sectionCount {
            guard let o = meta.u64(), let l = meta.u64(), o >= UInt64(SnapshotFormat.headerSize), o % 8 == 0,
                  l <= UInt64(sectionLimit), o <= UInt64(sectionLimit) - l else { return nil }
            sections.append((Int(o), Int(l)))
        }
        guard meta.atEnd else { return nil }

        func buffer<T>(_ index: Int, _: T.Type, count expected: Int?) -> ColumnBuffer<T>? {
            guard index >= 0, index < sections.count else { return nil }
            let (offset, length) = sections[index]
            let size = MemoryLayout<T>.stride
            guard length % size == 0, expected.map({ $0 == length / size }) ?? true,
                  let base = mapping.bytes.baseAddress else { return nil }
            let n = length / size
            let start = (base + offset).bindMemory(to: T.self, capacity: max(n, 1))
            return ColumnBuffer(borrowing: start, count: n, owner: mapping)
        }

        var columns: [Column] = []
        var stringTimer = PhaseTimer()
        for (plan, field) in zip(plans, fields) {
            let column: Column
            switch plan.tag {
            case SnapshotMeta.numberTag:
                guard let b = buffer(plan.section, Int64.self, count: count) else { return nil }
                column = .number(NumberColumn(buffer: b, scale: plan.scale))
            case SnapshotMeta.booleanTag:
                guard let b = buffer(plan.section, UInt8.self, count: count), b.elements.allSatisfy({ $0 <= 2 }) else { return nil }
                column = .boolean(BooleanColumn(buffer: b))
            case SnapshotMeta.dateTag:
                guard let b = buffer(plan.section, Int32.self, count: count), Self.validDays(b) else { return nil }
                column = .date(DateColumn(buffer: b))
            case SnapshotMeta.stringTag:
                guard let offsets = buffer(plan.offsetsSection, UInt64.self, count: plan.dictionaryCount + 1),
                      let bytes = buffer(plan.bytesSection, UInt8.self, count: nil),
                      let (dictionary, ascending) = SnapshotReader.texts(offsets, bytes, checkOrder: plan.section < 0) else { return nil }
                stringTimer.lap("  strings of \(field.name) (\(plan.dictionaryCount))")
                if plan.section < 0 {
                    guard plan.dictionaryCount == count else { return nil }
                    column = .string(StringColumn(unique: dictionary, byteOrdered: ascending))
                } else {
                    let limit = Int32(truncatingIfNeeded: plan.dictionaryCount)
                    guard let codes = buffer(plan.section, Int32.self, count: count),
                          codes.elements.allSatisfy({ $0 >= -1 && $0 < limit }) else { return nil }
                    column = .string(StringColumn(codeBuffer: codes, dictionary: dictionary))
                }
            case SnapshotMeta.productSetTag:
                guard let b = buffer(plan.section, UInt64.self, count: count) else { return nil }
                let width = plan.universe.count
                if width < 64 {
                    let allowed = (UInt64(1) << UInt64(width)) &- 1
                    guard b.elements.allSatisfy({ $0 & ~allowed == 0 }) else { return nil }
                }
                column = .productSet(ProductSetColumn(buffer: b, universe: plan.universe))
            default:
                return nil
            }
            guard column.kind == field.kind else { return nil }
            columns.append(column)
        }

        guard let offsets = buffer(subOffsets, Int32.self, count: count + 1),
              let product = buffer(subProduct, UInt8.self, count: nil),
              let price = buffer(subPrice, Int64.self, count: product.count),
              let start = buffer(subStart, Int32.self, count: product.count), Self.validDays(start),
              let active = buffer(subActive, UInt8.self, count: product.count) else { return nil }
        // Offsets start at 0, never decrease and end at the row count; products index the list.
        var previous: Int32 = 0
        var ordered = true
        for o in offsets.elements {
            if o < previous { ordered = false }
            previous = o
        }
        guard offsets.elements.first == 0, ordered,
              offsets.elements.last.map({ Int($0) == product.count }) ?? false,
              product.elements.allSatisfy({ Int($0) < products.count }) else { return nil }
        let table = SubscriptionTable(products: products, offsets: offsets, product: product, price: price, startDate: start, active: active)
        let dataset = Dataset(count: count, asOf: Day(number: asOfNumber), fingerprint: fingerprint, schema: Schema(fields: fields),
                              columns: columns, subscriptions: table, moneyUnit: unit)
        return SnapshotContent(dataset: dataset, rowsRejected: rejected, warnings: warnings, mappingConstants: constants)
    }

    /// Day numbers of years 1...9999, the dates a data file can hold.
    static let dayRange: ClosedRange<Int32> = (Day(year: 1, month: 1, day: 1)?.number ?? 0) ... (Day(year: 9999, month: 12, day: 31)?.number ?? 0)

    /// Whether every value is null or a day of `dayRange` (a forged file could hold
    /// others, which no ingestion makes).
    static func validDays(_ b: ColumnBuffer<Int32>) -> Bool {
        let range = dayRange
        return b.elements.allSatisfy { $0 == DateColumn.null || range.contains($0) }
    }

    /// The dictionary whose entry i is `bytes[offsets[i] ..< offsets[i + 1]]`; nil when an
    /// offset runs backwards or past the bytes.

}

extension SnapshotReader {
    /// The header of the snapshot at `path`, nil when it has none.
    static func header(path: String) -> SnapshotFormat.Header? {
        guard let m = FileMapping.map(path), case .success(let h) = SnapshotFormat.Header.decode(m.bytes) else { return nil }
        return h
    }
}

extension SnapshotFormat {
    /// `bytes` with the header's payload length and checksum made to match the payload,
    /// as a forger would (tests: the reader must then catch damage by its bounds checks).
    static func resealed(_ bytes: [UInt8]) -> [UInt8] {
        bytes.withUnsafeBytes { b -> [UInt8] in
            guard case .success(var h) = Header.decode(b) else { return bytes }
            h.payloadLength = UInt64(b.count - headerSize)
            h.payloadChecksum = SnapshotHash.hash(UnsafeRawBufferPointer(rebasing: b[headerSize...]))
            return h.encoded() + bytes[headerSize...]
        }
    }
}

extension SnapshotReader {
    /// The texts of a dictionary section, kept packed in the mapping (decoded one at a
    /// time when a result names them), nil when an offset runs backwards or past the
    /// bytes; with `checkOrder`, also whether they are strictly ascending in byte order
    /// (a large dictionary, the customer ids, is checked in two halves on two threads).
    static func texts(_ offsets: ColumnBuffer<UInt64>, _ bytes: ColumnBuffer<UInt8>, checkOrder: Bool) -> (TextList, Bool)? {
        guard let list = TextList(packed: bytes, offsets: offsets) else { return nil }
        let count = list.count
        guard checkOrder, count > 1 else { return (list, true) }
        let o = offsets.elements, base = bytes.pointer
        // The offsets are checked by `TextList(packed:offsets:)`: every range lies inside `bytes`.
        @inline(__always) func text(_ k: Int) -> UnsafeBufferPointer<UInt8> {
            UnsafeBufferPointer(start: base + Int(o[k]), count: Int(o[k + 1] &- o[k]))
        }
        let halves = count >= 1 << 16 ? 2 : 1
        let order = OrderFlags()
        let check: (Int) -> Void = { h in
            // Pairs (k - 1, k) for k in 1 ..< count, split in halves.
            let lo = 1 + (count - 1) * h / halves, hi = 1 + (count - 1) * (h + 1) / halves
            var ascending = true
            for k in lo..<hi where !ByteOrder.less(text(k - 1), text(k)) { ascending = false; break }
            order.set(h, ascending)
        }
        if halves == 2 {
            // concurrentPerform returns after both halves are checked.
            withoutActuallyEscaping(check) { f in
                let box = UncheckedSendable(f)
                DispatchQueue.concurrentPerform(iterations: 2) { box.value($0) }
            }
        } else {
            check(0)
        }
        return (list, order.all)
    }
}

/// Per-half results of `SnapshotReader.texts`' order check, each written by one worker
/// (separate stored properties, so the two writes never touch shared storage).
private final class OrderFlags: @unchecked Sendable {
    private var first = true, second = true
    func set(_ k: Int, _ v: Bool) { if k == 0 { first = v } else { second = v } }
    var all: Bool { first && second }
}

/// A closure handed to `concurrentPerform`, which calls it on other threads before it
/// returns; each call writes a disjoint part of the output.
private struct UncheckedSendable<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
