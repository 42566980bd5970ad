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

/// Reads a snapshot file: checks the header and the key, every section bound, then the
/// payload checksum together with every code, day and order (on all threads), and builds
/// the dataset over the mapped file without copying a column. Any problem gives a
/// `SnapshotProblem`, never a trap; a checksum mismatch is reported before any other.
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
        defer { timer.lap("  snapshot checksum (\(payload.count >> 20) MiB) with decode and checks") }
        // The metadata is decoded and every section bound checked first (reading only the
        // metadata block); then the payload's checksum and the element checks of the
        // columns (codes, days, order) run together on all threads. The checks never
        // trust the checksum, so running them before it is known is safe, and a file whose
        // checksum fails is refused whatever they found.
        var prepared: SnapshotDecoder.Prepared?
        if header.metaOffset >= UInt64(SnapshotFormat.headerSize), header.metaOffset <= UInt64(file.count),
           header.metaLength == UInt64(file.count) - header.metaOffset {
            let metaStart = Int(header.metaOffset)
            var decoder = SnapshotDecoder(mapping: mapping, meta: MetaReader(UnsafeRawBufferPointer(rebasing: file[metaStart...])), sectionLimit: metaStart)
            prepared = decoder.prepare()
        }
        let checks = prepared?.checks ?? []
        let blocks = SnapshotHash.blockCount(payload.count)
        // The checks first: some are larger than a block, and later items fill the gaps.
        let outcomes = IndexedRuns.results(count: checks.count + max(blocks, 1), parallel: threads > 1) { i -> UInt64 in
            if i < checks.count { return checks[i].run() ? 1 : 0 }
            return SnapshotHash.blockDigest(payload, block: i - checks.count, seed: 0)
        }
        let digests = Array(outcomes[checks.count...])
        guard SnapshotHash.combine(digests, count: payload.count, seed: 0) == header.payloadChecksum else { return .failure(.badChecksum) }
        guard let prepared else { return .failure(.badLayout) }
        var groups = [Bool](repeating: true, count: prepared.groupCount)
        for (check, outcome) in zip(checks, outcomes) where outcome == 0 { groups[check.group] = false }
        guard groups.first == true, let content = prepared.finish(groups) else { return .failure(.badLayout) }
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

    /// One element check: `group` 0 is validity (the file is refused when any fails);
    /// another group is a property a column is built with (a dictionary in byte order).
    struct Check {
        let group: Int
        let run: () -> Bool
    }

    /// What `prepare` leaves: the element checks to run, and the content to build from
    /// the results per group once every check of group 0 passed (the caller refuses the
    /// file otherwise; `finish` is nil only for a group it does not know).
    struct Prepared {
        let checks: [Check]
        let groupCount: Int
        let finish: ([Bool]) -> SnapshotContent?
    }

    /// Adds checks of `body` over `buffer`'s elements in chunks.
    private static func chunked<T>(_ buffer: ColumnBuffer<T>, group: Int = 0, into checks: inout [Check],
                                   _ body: @escaping (UnsafeBufferPointer<T>) -> Bool) {
        for range in SnapshotReader.chunks(count: buffer.count) {
            checks.append(Check(group: group) { body(UnsafeBufferPointer(rebasing: buffer.elements[range])) })
        }
    }

    /// Adds checks of `body` over the pairs `(k - 1, k)` for `k` in `1 ..< count`, in chunks.
    private static func pairs(count: Int, group: Int = 0, into checks: inout [Check], _ body: @escaping (Range<Int>) -> Bool) {
        for range in SnapshotReader.pairChunks(count: count) { checks.append(Check(group: group) { body(range) }) }
    }

    /// Decodes the metadata, checks every count, offset and section bound, and lists the
    /// element checks still to run; nil when the metadata is inconsistent.
    mutating func prepare() -> Prepared? {
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

        var checks: [Check] = []
        var groupCount = 1
        // A column, or a list of unique texts whose byte order is still being checked.
        enum Pending {
            case column(Column)
            case unique(TextList, orderGroup: Int)
        }
        var pending: [Pending] = []
        for (plan, field) in zip(plans, fields) {
            switch plan.tag {
            case SnapshotMeta.numberTag:
                guard let b = buffer(plan.section, Int64.self, count: count) else { return nil }
                pending.append(.column(.number(NumberColumn(buffer: b, scale: plan.scale))))
            case SnapshotMeta.booleanTag:
                guard let b = buffer(plan.section, UInt8.self, count: count) else { return nil }
                Self.chunked(b, into: &checks) { $0.allSatisfy { $0 <= 2 } }
                pending.append(.column(.boolean(BooleanColumn(buffer: b))))
            case SnapshotMeta.dateTag:
                guard let b = buffer(plan.section, Int32.self, count: count) else { return nil }
                Self.chunked(b, into: &checks, Self.validDays)
                pending.append(.column(.date(DateColumn(buffer: b))))
            case SnapshotMeta.stringTag:
                guard let offsets = buffer(plan.offsetsSection, UInt64.self, count: plan.dictionaryCount + 1),
                      let bytes = buffer(plan.bytesSection, UInt8.self, count: nil),
                      let dictionary = TextList(packed: bytes, offsets: offsets) else { return nil }
                if plan.section < 0 {
                    guard plan.dictionaryCount == count else { return nil }
                    let group = groupCount
                    groupCount += 1
                    Self.pairs(count: dictionary.count, group: group, into: &checks, SnapshotReader.ascending(offsets, bytes))
                    pending.append(.unique(dictionary, orderGroup: group))
                } else {
                    let limit = Int32(truncatingIfNeeded: plan.dictionaryCount)
                    guard let codes = buffer(plan.section, Int32.self, count: count) else { return nil }
                    Self.chunked(codes, into: &checks) { $0.allSatisfy { $0 >= -1 && $0 < limit } }
                    pending.append(.column(.string(StringColumn(codeBuffer: codes, dictionary: dictionary))))
                }
            case SnapshotMeta.productSetTag:
                guard let b = buffer(plan.section, UInt64.self, count: count) else { return nil }
                let width = plan.universe.count
                if width < 64 {
                    let allowed = (UInt64(1) << UInt64(width)) &- 1
                    Self.chunked(b, into: &checks) { $0.allSatisfy { $0 & ~allowed == 0 } }
                }
                pending.append(.column(.productSet(ProductSetColumn(buffer: b, universe: plan.universe))))
            default:
                return nil
            }
            switch pending.last {
            case .column(let c)?: guard c.kind == field.kind else { return nil }
            case .unique?: guard field.kind == .string else { return nil }
            case nil: return nil
            }
        }

        guard let offsets = buffer(subOffsets, Int32.self, count: count + 1),
              let product = buffer(subProduct, UInt8.self, count: nil),
              let price = buffer(subPrice, Int64.self, count: product.count),
              let start = buffer(subStart, Int32.self, count: product.count),
              let active = buffer(subActive, UInt8.self, count: product.count) else { return nil }
        Self.chunked(start, into: &checks, Self.validDays)
        // Offsets start at 0, never decrease and end at the row count; products index the list.
        guard offsets.elements.first == 0, offsets.elements.last.map({ Int($0) == product.count }) ?? false else { return nil }
        // The check holds the buffer (which keeps the mapping), not a view into it.
        Self.pairs(count: offsets.count, into: &checks) { range in
            let o = offsets.elements
            return range.allSatisfy { o[$0 - 1] <= o[$0] }
        }
        let productCount = products.count
        Self.chunked(product, into: &checks) { $0.allSatisfy { Int($0) < productCount } }
        let table = SubscriptionTable(products: products, offsets: offsets, product: product, price: price, startDate: start, active: active)
        let header = (asOf: Day(number: asOfNumber), fingerprint: fingerprint, fields: fields, unit: unit)
        let rest = (rejected: rejected, warnings: warnings, constants: constants)
        return Prepared(checks: checks, groupCount: groupCount) { groups in
            var columns: [Column] = []
            for p in pending {
                switch p {
                case .column(let c): columns.append(c)
                case .unique(let texts, let group):
                    guard group < groups.count else { return nil }
                    columns.append(.string(StringColumn(unique: texts, byteOrdered: groups[group])))
                }
            }
            let dataset = Dataset(count: count, asOf: header.asOf, fingerprint: header.fingerprint, schema: Schema(fields: header.fields),
                                  columns: columns, subscriptions: table, moneyUnit: header.unit)
            return SnapshotContent(dataset: dataset, rowsRejected: rest.rejected, warnings: rest.warnings, mappingConstants: rest.constants)
        }
    }

    /// Day numbers of years 1...9999, the dates a data file can hold.
    static let dayRange: ClosedRange<Int32> = (Day(year: 1, month: 1, day: 1)?.number ?? 0) ... (Day(year: 9999, month: 12, day: 31)?.number ?? 0)

    /// Whether every value is null or a day of `dayRange` (a forged file could hold
    /// others, which no ingestion makes).
    static func validDays(_ b: UnsafeBufferPointer<Int32>) -> Bool {
        let range = dayRange
        return b.allSatisfy { $0 == DateColumn.null || range.contains($0) }
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
    /// Elements per check: a few checks per column of a million rows, so all threads share them.
    static let checkChunk = 1 << 18

    /// `0 ..< count` cut into ranges of `chunk` (one empty range for none).
    static func chunks(count: Int, chunk: Int = checkChunk) -> [Range<Int>] {
        guard count > 0 else { return [0..<0] }
        return stride(from: 0, to: count, by: max(chunk, 1)).map { $0 ..< min(count, $0 + max(chunk, 1)) }
    }

    /// `1 ..< count` (the second index of each pair of neighbours) cut into ranges of `chunk`.
    static func pairChunks(count: Int, chunk: Int = checkChunk) -> [Range<Int>] {
        guard count > 1 else { return [] }
        return stride(from: 1, to: count, by: max(chunk, 1)).map { $0 ..< min(count, $0 + max(chunk, 1)) }
    }

    /// Whether texts `k - 1` and `k` of a packed dictionary are in strictly ascending byte
    /// order, for every `k` of a range (`SnapshotDecoder` checks a large dictionary, the
    /// customer ids, in chunks on all threads). The offsets must have been checked by
    /// `TextList(packed:offsets:)`: every range lies inside `bytes`.
    static func ascending(_ offsets: ColumnBuffer<UInt64>, _ bytes: ColumnBuffer<UInt8>) -> (Range<Int>) -> Bool {
        { range in
            let o = offsets.elements, base = bytes.pointer
            @inline(__always) func text(_ k: Int) -> UnsafeBufferPointer<UInt8> {
                UnsafeBufferPointer(start: base + Int(o[k]), count: Int(o[k + 1] &- o[k]))
            }
            for k in range where !ByteOrder.less(text(k - 1), text(k)) { return false }
            return true
        }
    }
}
