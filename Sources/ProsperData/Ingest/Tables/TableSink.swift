/// Where a reader hands the rows of one table.
protocol TableSink: ~Copyable {
    /// The file name used in reports.
    var file: String { get }
    /// Rows read so far, accepted or rejected (progress is reported from it).
    var rowsRead: Int { get }
    /// Validates and keeps (or rejects) one row.
    mutating func addRow<R: RowFields>(_ row: R, recordOffset: Int64)
    /// Counts a row that could not even be split into fields, with its problem. `id` is
    /// the row's customer_id when it could still be told, so that the customer's
    /// subscriptions say it was rejected rather than unknown.
    mutating func rejectUnreadable(_ rejection: Rejection, record: UnsafeBufferPointer<UInt8>, id: UnsafeBufferPointer<UInt8>?)
    /// The index of custom attribute `name` (created when new).
    mutating func customColumn(named name: String) -> Int
    /// Number of custom attribute columns so far.
    var customCount: Int { get }
    /// Notes a warning about the file (e.g. an ignored column).
    mutating func warn(_ warning: IngestWarning)
    /// Whether another sink may read the file's tail and be merged with `absorb`
    /// (decided after the header).
    var splittable: Bool { get }
    /// Whether the rows read so far can still take part in a merge, as head or as tail
    /// (checked once per read).
    var mergeable: Bool { get }
    /// Appends the rows of `tail`, a sink that read the rest of the same file from a
    /// record start with its lines counted from 1 there (`lineOffset` + 1 here), as if
    /// this sink had read them. Returns false, changing nothing, when it cannot.
    mutating func absorb(tail: inout Self, lineOffset: Int) -> Bool
}

extension CustomerTableBuilder: TableSink {
    mutating func addRow<R: RowFields>(_ row: R, recordOffset: Int64) { add(row, customCount: custom.names.count) }
    mutating func rejectUnreadable(_ rejection: Rejection, record: UnsafeBufferPointer<UInt8>, id: UnsafeBufferPointer<UInt8>?) {
        countRead()
        log.reject([rejection], record: record)
        if let id, id.count > 0, FieldParsers.validateUTF8(id) == nil { noteRejected(id, line: rejection.line) }
    }
    mutating func customColumn(named name: String) -> Int { custom.column(named: name) }
    var customCount: Int { custom.names.count }
    mutating func warn(_ warning: IngestWarning) { warnings.append(warning) }
    /// Custom attribute columns (type inference) and rejects-file lines (with line
    /// numbers in their text) are not merged: such tables are read by one thread.
    var splittable: Bool { custom.names.isEmpty && !log.writeRecords && log.spool == nil }
    var mergeable: Bool { idsAscendingSoFar }
}

extension SubscriptionTableBuilder: TableSink {
    mutating func addRow<R: RowFields>(_ row: R, recordOffset: Int64) { add(row, recordOffset: recordOffset) }
    mutating func rejectUnreadable(_ rejection: Rejection, record: UnsafeBufferPointer<UInt8>, id: UnsafeBufferPointer<UInt8>?) {
        countRead()
        log.reject([rejection], record: record)
    }
    /// Subscriptions have no custom attributes; extra columns are ignored.
    mutating func customColumn(named name: String) -> Int { -1 }
    var customCount: Int { 0 }
    mutating func warn(_ warning: IngestWarning) {}
    var mergeable: Bool { true }
}
