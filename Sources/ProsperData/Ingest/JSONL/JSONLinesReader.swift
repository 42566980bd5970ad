#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch
import ProsperModel

/// A view of one JSON object's members through a table layout.
struct JSONRowView: RowFields {
    let line: UnsafePointer<UInt8>
    let scratch: UnsafePointer<UInt8>
    let lineStart: Int, lineEnd: Int, lineNumber: Int
    let members: UnsafeBufferPointer<JSONMember>
    /// Member index per slot (-1 absent).
    let slotMember: UnsafePointer<Int>
    /// Member index per custom column (-1 absent).
    let customMember: UnsafePointer<Int>
    let customCount: Int
    let objectStart: Int
    /// The column of `objectStart` (a JSON Lines record is one line, so positions
    /// inside the object count characters from there, not from the line's start).
    let objectColumn: Int

    @inline(__always)
    private func bytes(_ m: Int) -> UnsafeBufferPointer<UInt8>? {
        guard m >= 0, m < members.count else { return nil }
        let v = members[m].value
        if v.kind == .null { return nil }
        return UnsafeBufferPointer(start: (v.inScratch ? scratch : line) + v.start, count: v.end - v.start)
    }

    func value(_ slot: Int) -> UnsafeBufferPointer<UInt8>? { bytes(slotMember[slot]) }
    func custom(_ c: Int) -> UnsafeBufferPointer<UInt8>? { c < customCount ? bytes(customMember[c]) : nil }

    private func at(_ m: Int) -> (line: Int, column: Int) {
        guard m >= 0, m < members.count else { return rowPosition }
        let to = members[m].value.rawStart
        guard to >= objectStart else { return textPosition(base: line, recordStart: lineStart, recordLine: lineNumber, offset: to) }
        return (lineNumber, objectColumn + IngestLimits.characterCount(UnsafeBufferPointer(start: line + objectStart, count: to - objectStart)))
    }

    func position(_ slot: Int) -> (line: Int, column: Int) { at(slotMember[slot]) }
    func customPosition(_ c: Int) -> (line: Int, column: Int) { c < customCount ? at(customMember[c]) : rowPosition }
    var rowPosition: (line: Int, column: Int) { (lineNumber, objectColumn) }
    var rawRecord: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: line + lineStart, count: lineEnd - lineStart) }
    var rowLine: Int { lineNumber }
}

extension Ingestor {
    /// Reads a JSON Lines file: one customer object a line with a nested
    /// `subscriptions` array. Keys beyond the contract become custom attributes.
    static func ingestJSONLines(path: String, sourceName: String, options: IngestOptions) throws(DataFileError) -> IngestResult {
        let name = DataSource.displayName(path)
        let size = DataSource.fileSize(path)
        var customers = CustomerTableBuilder(file: name, expectedRows: max(16, size / 400), declared: options.declaredAttributes,
                                             writeRejects: options.collectRejects)
        var subscriptions = SubscriptionTableBuilder(file: name, expectedRows: max(16, size / 150), writeRejects: options.collectRejects)
        if let path = options.rejectsPath {
            let spools = try RejectsSpool.pair(path: path)
            customers.log.spool = spools.customers
            subscriptions.log.spool = spools.subscriptions
        }
        let errors = try JSONLinesReader.read(path: path, file: name, customers: &customers, subscriptions: &subscriptions,
                                             chunkSize: options.chunkSize, parallel: options.parallel,
                                             progress: options.progress)
        return finish(customers: &customers, subscriptions: &subscriptions, fileErrors: errors, customersFile: name,
                      sourceName: sourceName, options: options, locate: { _, _ in nil })
    }
}

enum JSONLinesReader {
    static let customerKeys = KeyMatcher(TableLayout.customers.columns + ["subscriptions"])
    static let subscriptionKeys = KeyMatcher(TableLayout.subscriptions.columns)
    static let subscriptionsKey = Array("subscriptions".utf8)

    /// The key matchers, passed down instead of read from statics on every line.
    struct Keys {
        let customers: KeyMatcher
        let subscriptions: KeyMatcher
        let subscriptionsKey: [UInt8]
    }

    /// Finds which of a few known keys some bytes are: compares the length and the
    /// first 8 bytes as one word before comparing the rest.
    struct KeyMatcher: Sendable {
        let keys: [[UInt8]]
        let words: [UInt64]

        init(_ names: [String]) {
            keys = names.map { Array($0.utf8) }
            words = keys.map { key in key.withUnsafeBufferPointer { KeyMatcher.word($0) } }
        }

        @inline(__always)
        static func word(_ b: UnsafeBufferPointer<UInt8>) -> UInt64 {
            var w: UInt64 = 0
            for i in 0..<min(8, b.count) { w |= UInt64(b[i]) << (8 * UInt64(i)) }
            return w
        }

        @inline(__always)
        func index(of b: UnsafeBufferPointer<UInt8>) -> Int? {
            let w = KeyMatcher.word(b)
            for i in 0..<keys.count where words[i] == w && keys[i].count == b.count {
                if keys[i].withUnsafeBufferPointer({ SubscriptionTableBuilder.equal($0, b) }) { return i }
            }
            return nil
        }
    }

    static func read(path: String, file: String, customers: inout CustomerTableBuilder,
                     subscriptions: inout SubscriptionTableBuilder, chunkSize: Int = 4 << 20,
                     parallel: Bool = true, progress: (any ProgressSink)? = nil) throws(DataFileError) -> [DataFileError] {
        let reader = try ChunkedFileReader(path: path, chunkSize: chunkSize)
        try reader.fill(atLeast: 4096 + 3)
        guard reader.count > 0 else {
            return [DataFileError(path: file, message: "the file is empty; expected one JSON object per line")]
        }
        var pos = 0
        if reader.count >= 3, reader.buffer[0] == 0xEF, reader.buffer[1] == 0xBB, reader.buffer[2] == 0xBF { pos = 3 }
        // A file that is not JSON Lines at all is one error, not a rejection per line.
        var first = pos
        while first < reader.count, reader.buffer[first] == 0x20 || reader.buffer[first] == 0x0A || reader.buffer[first] == 0x0D || reader.buffer[first] == 0x09 { first += 1 }
        if reader.atEOF, let what = CSVTableReader.blank(reader.buffer, from: pos, count: reader.count) {
            return [DataFileError(path: file, line: 1, column: 1, message: "the file \(what); expected one JSON object per line")]
        }
        if first < reader.count, reader.buffer[first] != UInt8(ascii: "{") {
            let at = textPosition(base: reader.buffer, recordStart: pos, recordLine: 1, offset: first)
            return [DataFileError(path: file, line: at.line, column: at.column, message: "not a JSON Lines file: a line must hold one JSON object ('{…}')")]
        }
        if let nul = (pos..<min(reader.count, pos + 4096)).first(where: { reader.buffer[$0] == 0 }) {
            let at = textPosition(base: reader.buffer, recordStart: pos, recordLine: 1, offset: nul)
            return [DataFileError(path: file, line: at.line, column: at.column, message: "not a JSON Lines file: it contains binary data (a NUL byte)")]
        }
        let keys = Keys(customers: customerKeys, subscriptions: subscriptionKeys, subscriptionsKey: subscriptionsKey)
        let chunker = try JSONLinesChunker(path: path, file: file, chunkSize: chunkSize, subscriptionsKey: subscriptionsKey)
        func validate(_ chunk: ParsedLines) {
            let before = customers.rowsRead
            for l in chunk.lines {
                line(chunk, l, file: file, keys: keys, customers: &customers, subscriptions: &subscriptions)
            }
            // Once per run of lines: the customer rows (one a line) it held.
            if let progress, customers.rowsRead > before { progress.advance(rows: customers.rowsRead - before) }
        }
        if parallel {
            // Parsing runs a few runs of lines ahead on a second thread; validation and
            // every decision stay in file order on this one.
            let queue = ParsedLinesQueue(depth: 3)
            DispatchQueue.global().async {
                while true {
                    do throws(DataFileError) {
                        let chunk = try chunker.next(reusing: queue.spare())
                        queue.put(.success(chunk))
                        if chunk == nil { return }
                    } catch {
                        queue.put(.failure(error))
                        return
                    }
                }
            }
            while true {
                switch queue.take() {
                case .success(let chunk?):
                    validate(chunk)
                    queue.recycle(chunk)
                case .success(nil): return noObject(customers, file: file)
                case .failure(let error):
                    // Drain so the parsing thread can finish.
                    return [error]
                }
            }
        }
        do throws(DataFileError) {
            var spare: ParsedLines?
            while let chunk = try chunker.next(reusing: spare) {
                validate(chunk)
                spare = chunk
            }
        } catch {
            return [error]
        }
        return noObject(customers, file: file)
    }

    /// A file read to its end without one JSON object (blank lines of any length, with or
    /// without a byte order mark) is one positioned error, like a short blank file.
    private static func noObject(_ customers: borrowing CustomerTableBuilder, file: String) -> [DataFileError] {
        guard customers.rowsRead == 0 else { return [] }
        return [DataFileError(path: file, line: 1, column: 1, message: "the file holds only blank lines; expected one JSON object per line")]
    }

    static func duplicateMessage(_ key: UnsafeBufferPointer<UInt8>) -> String {
        "key \(quoted(key)) appears twice in the object"
    }

    private static func line(_ chunk: ParsedLines, _ l: ParsedLines.Line, file: String, keys: Keys,
                             customers: inout CustomerTableBuilder, subscriptions: inout SubscriptionTableBuilder) {
        let base = UnsafePointer(chunk.bytes)
        let start = l.start, end = l.end, number = l.number
        let fileOffset = chunk.fileOffset + Int64(start)
        let raw = UnsafeBufferPointer(start: base + start, count: end - start)
        if let error = l.error {
            let at = textPosition(base: base, recordStart: start, recordLine: number, offset: min(error.offset, end))
            customers.rejectUnreadable(Rejection(file: file, line: at.line, column: at.column, field: nil, reason: .malformedJSON,
                                                 message: "invalid JSON: \(error.message)"), record: raw, id: nil)
            return
        }
        let parser = chunk.parser
        let members = parser.members[l.members]
        parser.scratch.withUnsafeBufferPointer { scratchBuffer in
            let scratch = scratchBuffer.baseAddress ?? base
            func keyBytes(_ m: JSONMember) -> UnsafeBufferPointer<UInt8> {
                UnsafeBufferPointer(start: (m.keyInScratch ? scratch : base) + m.keyStart, count: m.keyEnd - m.keyStart)
            }
            // Customer fields by key. A repeated key, an object with too many keys and a
            // key past the custom attribute limit reject the row (and its subscriptions).
            var slotMember = (-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1)
            var customMember: [Int] = []
            var found: [Rejection] = []
            var unlisted = 0
            func note(_ offset: Int, _ field: String?, _ reason: RejectionReason, _ message: String) {
                guard found.count < IngestLimits.maxProblemsPerRow else { unlisted += 1; return }
                let at = textPosition(base: base, recordStart: start, recordLine: number, offset: min(offset, end))
                found.append(Rejection(file: file, line: at.line, column: at.column, field: field, reason: reason, message: message))
            }
            if members.count > IngestLimits.maxColumns {
                note(members[members.startIndex + IngestLimits.maxColumns].value.rawStart, nil, .tooManyColumns,
                     "the object has \(members.count) keys; at most \(IngestLimits.maxColumns) are supported")
            } else {
                var seenSubscriptions = -1
                for (i, m) in members.enumerated() {
                    let key = keyBytes(m)
                    if let slot = keys.customers.index(of: key) {
                        if slot < CustomerSlot.count {
                            let first = withUnsafeBytes(of: &slotMember) { $0.load(fromByteOffset: slot * MemoryLayout<Int>.stride, as: Int.self) }
                            if first >= 0 {
                                note(m.value.rawStart, TableLayout.customers.columns[slot], .duplicateKey, Self.duplicateMessage(key))
                                continue
                            }
                            withUnsafeMutableBytes(of: &slotMember) { $0.storeBytes(of: i, toByteOffset: slot * MemoryLayout<Int>.stride, as: Int.self) }
                        } else {
                            if seenSubscriptions >= 0 { note(m.value.rawStart, "subscriptions", .duplicateKey, Self.duplicateMessage(key)) }
                            seenSubscriptions = i
                        }
                    } else {
                        let name = String(decoding: key, as: UTF8.self)
                        if ReservedNames.derived.contains(name) {
                            if !customers.warnings.contains(where: { $0.code == "derived_name_clash" && $0.message.contains("'\(name)'") }) {
                                let at = textPosition(base: base, recordStart: start, recordLine: number, offset: min(m.keyStart, end))
                                customers.warn(ReservedNames.warning(name, file: file, at: m.keyInScratch ? nil : (at.line, max(1, at.column - 1))))
                            }
                            continue
                        }
                        guard let c = customers.custom.existing(named: name)
                            ?? (customers.customCount < IngestLimits.maxCustomAttributes ? customers.customColumn(named: name) : nil) else {
                            note(m.value.rawStart, name, .tooManyAttributes,
                                 "\(quoted(key)) would be custom attribute number \(IngestLimits.maxCustomAttributes + 1); at most \(IngestLimits.maxCustomAttributes) are supported")
                            continue
                        }
                        while customMember.count <= c { customMember.append(-1) }
                        if customMember[c] >= 0 {
                            note(m.value.rawStart, name, .duplicateKey, Self.duplicateMessage(key))
                            continue
                        }
                        customMember[c] = i
                    }
                }
            }
            if !found.isEmpty {
                if unlisted > 0 { found.append(Rejection.unlisted(unlisted, file: file, at: (number, 1))) }
                var id: [UInt8]?
                if slotMember.0 >= 0, slotMember.0 < members.count {
                    let v = members[members.startIndex + slotMember.0].value
                    if v.kind != .null { id = Array(UnsafeBufferPointer(start: (v.inScratch ? scratch : base) + v.start, count: v.end - v.start)) }
                }
                customers.rejectRow(found, record: raw, id: id)
                var cursor = TextCursor(base: base, recordStart: start, recordLine: number)
                for object in parser.nested[l.nested] {
                    let at = cursor.position(object.start)
                    subscriptions.rejectUnreadable(Rejection(file: file, line: at.line, column: at.column, field: nil, reason: .rejectedCustomer,
                                                             message: "the customer on this line was rejected (\(file):\(number))"),
                                                   record: raw, id: nil)
                }
                return
            }
            while customMember.count < customers.customCount { customMember.append(-1) }
            let row: Int? = members.withUnsafeBufferPointer { members in
                withUnsafeBytes(of: &slotMember) { slotBytes in
                    customMember.withUnsafeBufferPointer { customs -> Int? in
                        guard let slotBase = slotBytes.baseAddress?.assumingMemoryBound(to: Int.self) else { return nil }
                        let view = JSONRowView(line: base, scratch: scratch, lineStart: start, lineEnd: end, lineNumber: number,
                                               members: members, slotMember: slotBase, customMember: customs.baseAddress ?? slotBase,
                                               customCount: customs.count, objectStart: start, objectColumn: 1)
                        return customers.add(view, customCount: customers.customCount)
                    }
                }
            }
            // Nested subscriptions.
            var idBytes = UnsafeBufferPointer<UInt8>(start: nil, count: 0)
            if slotMember.0 >= 0, slotMember.0 < members.count {
                let m = members[members.startIndex + slotMember.0]
                if m.value.kind != .null {
                    idBytes = UnsafeBufferPointer(start: (m.value.inScratch ? scratch : base) + m.value.start, count: m.value.end - m.value.start)
                }
            }
            var activeSeen: UInt64 = 0
            var cursor = TextCursor(base: base, recordStart: start, recordLine: number)
            for object in parser.nested[l.nested] {
                let objectColumn = cursor.position(object.start).column
                var subSlots = (-1, -1, -1, -1, -1, -1, -1, -1)
                var problem: (offset: Int, field: String?, reason: RejectionReason, message: String)?
                if object.members.count > IngestLimits.maxColumns {
                    problem = (parser.nestedMembers[object.members.lowerBound + IngestLimits.maxColumns].value.rawStart, nil, .tooManyColumns,
                               "the subscription has \(object.members.count) keys; at most \(IngestLimits.maxColumns) are supported")
                } else {
                    for (i, m) in parser.nestedMembers[object.members].enumerated() {
                        guard let slot = keys.subscriptions.index(of: keyBytes(m)) else { continue }
                        let first = withUnsafeBytes(of: &subSlots) { $0.load(fromByteOffset: slot * MemoryLayout<Int>.stride, as: Int.self) }
                        if first >= 0 {
                            problem = (m.value.rawStart, TableLayout.subscriptions.columns[slot], .duplicateKey, Self.duplicateMessage(keyBytes(m)))
                            break
                        }
                        withUnsafeMutableBytes(of: &subSlots) { $0.storeBytes(of: i, toByteOffset: slot * MemoryLayout<Int>.stride, as: Int.self) }
                    }
                }
                if let problem {
                    let at: (line: Int, column: Int) = (number, objectColumn + IngestLimits.characterCount(
                        UnsafeBufferPointer(start: base + object.start, count: max(0, min(problem.offset, end) - object.start))))
                    subscriptions.rejectUnreadable(Rejection(file: file, line: at.line, column: at.column, field: problem.field,
                                                             reason: problem.reason, message: problem.message), record: raw, id: nil)
                    continue
                }
                parser.nestedMembers[object.members].withUnsafeBufferPointer { members in
                    withUnsafeBytes(of: &subSlots) { slotBytes in
                        guard let slotBase = slotBytes.baseAddress?.assumingMemoryBound(to: Int.self) else { return }
                        let view = JSONRowView(line: base, scratch: scratch, lineStart: start, lineEnd: end, lineNumber: number,
                                               members: members, slotMember: slotBase, customMember: slotBase, customCount: 0,
                                               objectStart: object.start, objectColumn: objectColumn)
                        guard row != nil else {
                            let at = view.rowPosition
                            let who = idBytes.isEmpty ? "the customer on this line" : "customer " + quoted(idBytes)
                            subscriptions.rejectUnreadable(Rejection(file: file, line: at.line, column: at.column, field: nil,
                                                                     reason: .rejectedCustomer, message: "\(who) was rejected (\(file):\(number))"),
                                                           record: raw, id: nil)
                            return
                        }
                        _ = withUnsafeMutablePointer(to: &activeSeen) { seen in
                            subscriptions.add(view, recordOffset: fileOffset, fixedCustomer: idBytes, activeProducts: seen)
                        }
                    }
                }
            }
        }
    }
}
