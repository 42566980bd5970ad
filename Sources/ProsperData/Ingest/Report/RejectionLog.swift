/// Collects the rejections of one table: row counts, counts by reason, the rejections
/// themselves (all of them up to `keepLimit`; past that only counted) and, when asked,
/// the rejects-file lines with the raw records.
struct RejectionLog: ~Copyable {
    let file: String
    let keepLimit: Int
    let writeRecords: Bool
    private(set) var rowsRejected = 0
    private(set) var problems = 0
    private(set) var byReason: [RejectionReason: Int] = [:]
    private(set) var kept: [Rejection] = []
    /// Rejects-file lines (CSV, no header) when `writeRecords` is on and no spool is set.
    var records = ByteBuffer(capacity: 256)
    /// Where rejects-file lines stream to (bounded memory), when set.
    var spool: RejectsSpool?

    init(file: String, keepLimit: Int = 10_000, writeRecords: Bool) {
        self.file = file
        self.keepLimit = keepLimit
        self.writeRecords = writeRecords
    }

    /// Records one rejected row with its problems (at least one) and raw text.
    mutating func reject(_ rejections: [Rejection], record: UnsafeBufferPointer<UInt8>) {
        rowsRejected += 1
        for r in rejections {
            problems += 1
            byReason[r.reason, default: 0] += 1
            if kept.count < keepLimit { kept.append(r) }
            if let spool { spool.append(r, record: record) } else if writeRecords { RejectsFile.appendLine(r, record: record, to: &records) }
        }
    }
}

extension RejectionLog {
    /// Adds the rejections of `other`, a log of the same file's later rows whose lines
    /// start at 1 at `lineOffset` + 1, as if they had been logged here. Neither log may
    /// write rejects-file lines (their text holds line numbers).
    mutating func absorb(_ other: inout RejectionLog, lineOffset: Int) {
        // Unreachable by input: the only caller (`CustomerTableBuilder.absorb`,
        // `SubscriptionTableBuilder.absorb`) returns false first unless both sides are
        // `splittable`, which rules rejects-file lines out.
        precondition(!writeRecords && spool == nil && !other.writeRecords && other.spool == nil, "merging rejects-file lines")
        rowsRejected += other.rowsRejected
        problems += other.problems
        for (reason, n) in other.byReason { byReason[reason, default: 0] += n }
        for r in other.kept where kept.count < keepLimit {
            kept.append(Rejection(file: r.file, line: r.line + lineOffset, column: r.column, field: r.field, reason: r.reason, message: r.message))
        }
    }
}

/// The `--rejects FILE` layout: CSV with a header
/// `file,line,column,field,reason,message,record`, one line per problem; `record`
/// holds the row exactly as it was read.
enum RejectsFile {
    static let header = "file,line,column,field,reason,message,record\n"

    static func appendLine(_ r: Rejection, record: UnsafeBufferPointer<UInt8>, to out: inout ByteBuffer) {
        appendField(r.file, to: &out)
        out.append(UInt8(ascii: ","))
        out.append(decimal: Int64(r.line))
        out.append(UInt8(ascii: ","))
        out.append(decimal: Int64(r.column))
        out.append(UInt8(ascii: ","))
        appendField(r.field ?? "", to: &out)
        out.append(UInt8(ascii: ","))
        out.append(r.reason.rawValue)
        out.append(UInt8(ascii: ","))
        appendField(r.message, to: &out)
        out.append(UInt8(ascii: ","))
        appendField(record, to: &out)
        out.append(UInt8(ascii: "\n"))
    }

    static func appendField(_ text: String, to out: inout ByteBuffer) {
        var t = text
        t.withUTF8 { appendField($0, to: &out) }
    }

    /// Appends `bytes` as one CSV field, quoted when needed (RFC 4180).
    static func appendField(_ bytes: UnsafeBufferPointer<UInt8>, to out: inout ByteBuffer) {
        var needsQuotes = false
        for b in bytes where b == UInt8(ascii: ",") || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\n") || b == UInt8(ascii: "\r") {
            needsQuotes = true
            break
        }
        guard needsQuotes else { out.append(bytes); return }
        out.append(UInt8(ascii: "\""))
        for b in bytes {
            if b == UInt8(ascii: "\"") { out.append(b) }
            out.append(b)
        }
        out.append(UInt8(ascii: "\""))
    }
}
