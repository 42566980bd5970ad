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
}
