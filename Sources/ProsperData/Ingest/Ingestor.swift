import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ProsperModel

/// How to ingest.
public struct IngestOptions: Sendable {
    /// The snapshot date; nil = the latest last_active_date of the accepted customers.
    public var asOf: Day?
    /// Keep every rejected row's raw text for a rejects file.
    public var collectRejects: Bool
    /// Declared types of custom attributes (from prosper.yaml or a mapping); values
    /// that do not fit are rejected. Undeclared extra columns are inferred.
    public var declaredAttributes: [String: FieldKind]
    /// Read the two CSV files on two threads.
    public var parallel: Bool
    /// Stream the rejects file (`--rejects`) to this path while reading: memory stays
    /// bounded however many rows are rejected. `IngestResult.rejectsCSV` stays empty.
    public var rejectsPath: String?
    /// How reports describe a given `asOf` ("given", "prosper.yaml", …).
    public var asOfSource = "given"
    /// Read buffer size in bytes (tests and the fuzz targets use tiny ones to exercise
    /// records split across reads; values below 4 are read as 4). 256 KiB: the bytes
    /// `read` copies in are still in the core's cache (1 MiB L2 here) when the scanner
    /// reads them; with 4 MiB they came back from L3 or memory.
    public var chunkSize = 256 << 10
    /// What the amounts are (`money:` of prosper.yaml); a mapping's own `money:` wins.
    public var moneyUnit: MoneyUnit?
    /// Told the phase (`ingest PATH`) and the rows read, once per read buffer (nil: no
    /// progress is reported and nothing is counted).
    package var progress: (any ProgressSink)?
    /// Profile every column for the ingest report (nulls, range, distinct values). The
    /// report commands never show the profile and turn it off (13 ms at 1M customers).
    package var profileColumns = true
    /// The thread that finishes its file first reads the last part of the other file
    /// (`CSVTailSplit`), if at least this many bytes of it are left.
    package var tailSplitMinimumBytes: Int64 = 2 << 20
    /// Split the files at the first record start after these byte offsets, whatever the
    /// timing, and never otherwise (tests check that every split gives the same result as
    /// none).
    package var tailSplitAt: (customers: Int64?, subscriptions: Int64?)?
    /// Tests: when a file's reader is about to read its buffer number this, another thread
    /// takes the tail of that file as the thread done first would (a steal that timing
    /// alone seldom makes on small files); no other steal happens.
    package var tailSplitAfterReads: Int?
    /// A CSV record longer than this is read as a quote that never closes
    /// (`CSVTableReader.maxRecordBytes`; tests set less).
    package var maxRecordBytes = CSVTableReader.maxRecordBytes

    /// Options with the defaults: as-of from the data, no rejects file, no declared
    /// attribute types, two threads.
    public init(asOf: Day? = nil, collectRejects: Bool = false, declaredAttributes: [String: FieldKind] = [:], parallel: Bool = true) {
        self.asOf = asOf
        self.collectRejects = collectRejects
        self.declaredAttributes = declaredAttributes
        self.parallel = parallel
    }
}

/// What ingestion produced: the dataset (nil when nothing usable is left), the
/// data-quality report and, when asked, the rejects file.
public struct IngestResult: Sendable {
    public let dataset: Dataset?
    public internal(set) var report: IngestReport
    /// `--rejects` content (CSV with header), empty unless `collectRejects` (and no
    /// `rejectsPath`).
    public let rejectsCSV: [UInt8]
    /// Why the rejects file (`IngestOptions.rejectsPath`) could not be written in full.
    public var rejectsFailure: DataFileError?
    /// The fields a mapping file filled with a constant (empty without a mapping).
    package var mappingConstants: [MappingConstant] = []
    /// The files whose last part another thread read (`CSVTailSplit`), for tests.
    package var mergedTails: [String] = []
}

/// Reads contract data (CSV or JSON Lines), validates every row, and builds the
/// immutable `Dataset` from the accepted rows.
public enum Ingestor {
    /// Ingests the dataset at `path` (see `DataSource.locate`).
    public static func ingest(path: String, options: IngestOptions = IngestOptions()) throws(DataFileError) -> IngestResult {
        try ingest(DataSource.locate(path), sourceName: path, options: options)
    }

    /// Ingests `source`. Throws only when a file cannot be read at all; bad content is
    /// reported in the result.
    package static func ingest(_ source: DataSource, sourceName: String, options: IngestOptions = IngestOptions()) throws(DataFileError) -> IngestResult {
        options.progress?.phase("ingest \(sourceName)")
        switch source {
        case .csv(let c, let s):
            return try ingestCSV(customersPath: c, subscriptionsPath: s, sourceName: sourceName, options: options)
        case .jsonLines(let path):
            return try ingestJSONLines(path: path, sourceName: sourceName, options: options)
        }
    }

    /// Results of the two table readers, filled from two threads.
    private final class Parts: @unchecked Sendable {
        var customers: CustomerTableBuilder?
        var subscriptions: SubscriptionTableBuilder?
        var customerErrors: [DataFileError] = []
        var subscriptionErrors: [DataFileError] = []
        var thrown: DataFileError?
        var subscriptionThrown: DataFileError?
        var mergedTails: [String] = []
        let lock = PThreadLock()
    }

    static func ingestCSV(customersPath: String, subscriptionsPath: String, sourceName: String, options: IngestOptions) throws(DataFileError) -> IngestResult {
        let cName = DataSource.displayName(customersPath), sName = DataSource.displayName(subscriptionsPath)
        let parts = Parts()
        let spools = try options.rejectsPath.map { (p) throws(DataFileError) in try RejectsSpool.pair(path: p) }
        var timer = PhaseTimer()
        // Rejects-file lines hold line numbers, so a table that writes them is not split.
        let splitting = (options.parallel || options.tailSplitAt != nil || options.tailSplitAfterReads != nil) && spools == nil && !options.collectRejects
        let customerSplit = splitting
            ? CSVTailSplit<CustomerTableBuilder>(chunkSize: options.chunkSize, minimumBytes: options.tailSplitMinimumBytes,
                                                 maxRecordBytes: options.maxRecordBytes, stealAfterReads: options.tailSplitAfterReads) { bytes in
                CustomerTableBuilder(file: cName, expectedRows: max(16, Int(clamping: bytes / 80)), declared: options.declaredAttributes,
                                     writeRejects: false)
            }
            : nil
        let subscriptionSplit = splitting
            ? CSVTailSplit<SubscriptionTableBuilder>(chunkSize: options.chunkSize, minimumBytes: options.tailSplitMinimumBytes,
                                                     maxRecordBytes: options.maxRecordBytes, stealAfterReads: options.tailSplitAfterReads) { bytes in
                SubscriptionTableBuilder(file: sName, expectedRows: max(16, Int(clamping: bytes / 40)), writeRejects: false)
            }
            : nil
        let steal = options.tailSplitAt == nil && options.tailSplitAfterReads == nil
        let readCustomers: @Sendable () -> Void = {
            var t = PhaseTimer()
            defer { t.lap("  customers.csv") }
            var b = CustomerTableBuilder(file: cName, expectedRows: max(16, DataSource.fileSize(customersPath) / 80),
                                         declared: options.declaredAttributes, writeRejects: options.collectRejects)
            b.log.spool = spools?.customers
            do throws(DataFileError) {
                let (info, errors) = try CSVTableReader.read(path: customersPath, file: cName, layout: .customers, allowCustom: true, into: &b,
                                                                chunkSize: options.chunkSize, progress: options.progress,
                                                                maxRecordBytes: options.maxRecordBytes, split: customerSplit, splitAt: options.tailSplitAt?.customers)
                parts.customerErrors = errors
                if info.mergedTail { parts.lock.withLock { parts.mergedTails.append(cName) } }
            } catch { parts.thrown = error }
            parts.customers = consume b
            if steal { subscriptionSplit?.stealTail() }
        }
        let readSubscriptions: @Sendable () -> Void = {
            var t = PhaseTimer()
            defer { t.lap("  subscriptions.csv") }
            var b = SubscriptionTableBuilder(file: sName, expectedRows: max(16, DataSource.fileSize(subscriptionsPath) / 40),
                                             writeRejects: options.collectRejects)
            b.log.spool = spools?.subscriptions
            do throws(DataFileError) {
                let (info, errors) = try CSVTableReader.read(path: subscriptionsPath, file: sName, layout: .subscriptions, allowCustom: false, into: &b,
                                                                chunkSize: options.chunkSize, progress: options.progress,
                                                                maxRecordBytes: options.maxRecordBytes, split: subscriptionSplit, splitAt: options.tailSplitAt?.subscriptions)
                parts.subscriptionErrors = errors
                if info.mergedTail { parts.lock.withLock { parts.mergedTails.append(sName) } }
            } catch { parts.subscriptionThrown = error }
            parts.subscriptions = consume b
            if steal { customerSplit?.stealTail() }
        }
        if options.parallel {
            DispatchQueue.concurrentPerform(iterations: 2) { i in
                if i == 0 { readSubscriptions() } else { readCustomers() }
            }
        } else {
            readCustomers()
            readSubscriptions()
        }
        timer.lap("read both CSV files")
        if let e = parts.thrown ?? parts.subscriptionThrown { throw e }
        guard var customers = parts.customers.take(), var subscriptions = parts.subscriptions.take() else {
            throw DataFileError(path: sourceName, message: "internal error: a table reader did not finish")
        }
        let refetch = RecordRefetcher(path: subscriptionsPath)
        // "Only a header row" points at the line where a row would start: line 2 after a
        // header that ends with a line break, else the header line itself.
        let noRowsAt = DataSource.endsWithLineBreak(customersPath) ? (line: 2, column: 1) : (line: 1, column: 1)
        var result = finish(customers: &customers, subscriptions: &subscriptions, fileErrors: parts.customerErrors + parts.subscriptionErrors,
                            customersFile: cName, sourceName: sourceName, options: options, noRowsAt: noRowsAt,
                            locate: { offset, line in refetch.locate(offset: offset, line: line) })
        result.mergedTails = parts.mergedTails.sorted()
        return result
    }

    static func finish(customers: inout CustomerTableBuilder, subscriptions: inout SubscriptionTableBuilder, fileErrors: [DataFileError],
                       customersFile: String, sourceName: String, options: IngestOptions,
                       noRowsAt: (line: Int, column: Int) = (2, 1),
                       locate: (Int64, Int) -> RowLocation?) -> IngestResult {
        options.progress?.phase("build the data set")
        var timer = PhaseTimer()
        var fileErrors = fileErrors
        // A file with a header and no row is unusable: say so instead of an empty report.
        if fileErrors.isEmpty, customers.rowsRead == 0 {
            fileErrors.append(DataFileError(path: customers.file, line: noRowsAt.line, column: noRowsAt.column,
                                            message: "no customer rows: the file has only its header row"))
        }
        var asOfSource = options.asOfSource
        var asOf = options.asOf
        var warnings = customers.warnings
        var after = 0
        if asOf == nil, let choice = AsOfChoice.choose(customers.lastActiveDays) {
            asOf = Day(number: choice.asOf)
            after = choice.after
            asOfSource = after == 0 ? "latest last_active_date"
                : "latest last_active_date that is not an outlier; \(after) later \(after == 1 ? "date lies" : "dates lie") more than \(IngestLimits.activityOutlierDays) days after the others"
        } else if let given = asOf {
            after = AsOfChoice.countAfter(customers.lastActiveDays, given.number)
        }
        if let asOf, after > 0 {
            warnings += asOfWarnings(customers: customers, asOf: asOf, after: after, chosen: options.asOf == nil)
        }
        // The customer columns are final before the join (it reads only the ids), so the
        // customer half of the fingerprint is hashed on another thread while it runs.
        var columns: CustomerColumns?
        var customerDigest: BackgroundValue<(UInt64, UInt64)>?
        if fileErrors.isEmpty, customers.count > 0, asOf != nil {
            let c = customers.columns()
            columns = c
            customerDigest = DatasetBuilder.startCustomerDigest(c, concurrent: options.parallel)
            timer.lap("customer columns")
        }
        // With a broken file there is no dataset, and joining against it would only
        // repeat the file error once per subscription row.
        let subRecords = fileErrors.isEmpty
            ? SubscriptionResolver.resolve(&subscriptions, customers: &customers, customersFile: customersFile, locate: locate)
            : SubscriptionRecords()
        let subscriptionsAccepted = fileErrors.isEmpty ? subRecords.count : subscriptions.count
        timer.lap("join subscriptions")
        let tables = [summary("customers", customers.file, read: customers.rowsRead, accepted: customers.count, log: customers.log),
                      summary("subscriptions", subscriptions.file, read: subscriptions.rowsRead, accepted: subscriptionsAccepted,
                              log: subscriptions.log)]
        var rejects = ByteBuffer(capacity: 64)
        var rejectsFailure: DataFileError?
        if let spool = customers.log.spool {
            if let part = subscriptions.log.spool { spool.append(contentsOf: part) }
            spool.finish()
            rejectsFailure = spool.failure
        } else if options.collectRejects {
            rejects.append(RejectsFile.header)
            rejects.append(customers.log.records.all)
            rejects.append(subscriptions.log.records.all)
        }
        let rejectsBytes = Array(rejects.all)

        var errors = fileErrors
        var dataset: Dataset?
        if errors.isEmpty, let columns, let asOf {
            do throws(DatasetBuildError) {
                dataset = try DatasetBuilder.build(columns: columns, subscriptions: subRecords, asOf: asOf, concurrent: options.parallel,
                                                   customerDigest: customerDigest)
                    .withMoneyUnit(options.moneyUnit)
                timer.lap("build dataset")
            } catch {
                errors.append(DataFileError(path: sourceName, message: error.description))
            }
        }
        let profile = options.profileColumns ? dataset.map(ColumnProfiler.profile) ?? [] : []
        timer.lap("profile columns")
        let report = IngestReport(
            source: sourceName, tables: tables, fileErrors: errors, asOf: asOf, asOfSource: asOfSource,
            fingerprint: dataset?.fingerprint, customers: dataset?.count ?? 0, subscriptions: dataset?.subscriptions.count ?? 0,
            activeSubscriptions: dataset.map { d in d.subscriptions.active.elements.reduce(0) { $0 + Int($1) } } ?? 0,
            products: dataset?.products ?? [], columns: profile,
            customAttributes: dataset?.schema.fields.filter { $0.origin == .custom } ?? [], warnings: warnings)
        return IngestResult(dataset: dataset, report: report, rejectsCSV: rejectsBytes, rejectsFailure: rejectsFailure)
    }

    /// Warnings about customers active after the as-of date: the first rows (latest
    /// first) with their position, then how many there are in all.
    static func asOfWarnings(customers: borrowing CustomerTableBuilder, asOf: Day, after: Int, chosen: Bool) -> [IngestWarning] {
        var out: [IngestWarning] = []
        for r in customers.latestRows where r.day > asOf.number {
            let why = chosen ? "an outlier more than \(IngestLimits.activityOutlierDays) days after the other customers' latest activity, so it does not set the as-of date"
                : "its days_inactive is negative"
            out.append(IngestWarning(file: customers.file, line: r.line, column: r.column, code: chosen ? "as_of_outlier" : "after_as_of",
                                     message: "last_active_date: \(Day(number: r.day)) is after the as-of date \(asOf) (\(why)); the row is kept"))
        }
        if after > out.count {
            out.append(IngestWarning(file: customers.file, code: chosen ? "as_of_outlier" : "after_as_of",
                                     message: "\(after) customers in all have a last_active_date after the as-of date \(asOf)"))
        }
        return out
    }

    static func summary(_ table: String, _ file: String, read: Int, accepted: Int, log: borrowing RejectionLog) -> TableSummary {
        let listed = log.kept.sorted { ($0.line, $0.column) < ($1.line, $1.column) }
        return TableSummary(table: table, file: file, rowsRead: read, rowsAccepted: accepted, rowsRejected: read - accepted,
                            problemsByReason: log.byReason, rejections: listed, rejectionsNotListed: log.problems - listed.count)
    }
}

/// Re-reads one CSV record at a file offset, for rejections that the join finds after
/// the buffer holding the record is gone.
final class RecordRefetcher {
    let reader: ChunkedFileReader?
    private var header: [Int] = []

    init(path: String) {
        reader = try? ChunkedFileReader(path: path, chunkSize: 4096)
        guard let reader else { return }
        // Map the contract slots through the header (customer_id and product).
        let bytes = reader.readAt(offset: 0, length: 1 << 16)
        var start = 0
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { start = 3 }
        if let fields = Self.fields(Array(bytes[start...])) {
            let names = fields.map { String(decoding: $0.bytes, as: UTF8.self).trimmingASCIIWhitespace() }
            header = TableLayout.subscriptions.columns.map { names.firstIndex(of: $0) ?? 0 }
        }
    }

    func locate(offset: Int64, line: Int) -> RowLocation? {
        guard let reader else { return nil }
        var length = 1 << 12
        while length <= CSVTableReader.maxRecordBytes {
            let bytes = reader.readAt(offset: offset, length: length)
            let atEnd = bytes.count < length
            if let fields = Self.fields(bytes, atEOF: atEnd), let recordEnd = fields.last?.recordEnd {
                func column(_ slot: Int) -> Int {
                    guard slot < header.count, header[slot] < fields.count else { return 1 }
                    return bytes.withUnsafeBufferPointer { b in
                        guard let base = b.baseAddress else { return 1 }
                        return textPosition(base: base, recordStart: 0, recordLine: line, offset: fields[header[slot]].rawStart).column
                    }
                }
                return RowLocation(record: Array(bytes[..<recordEnd]), customerColumn: column(SubscriptionSlot.customerID),
                                   productColumn: column(SubscriptionSlot.product))
            }
            if atEnd { return nil }
            length *= 4
        }
        return nil
    }

    /// The fields of the first record in `bytes` (nil when incomplete).
    static func fields(_ bytes: [UInt8], atEOF: Bool = true) -> [(bytes: [UInt8], rawStart: Int, recordEnd: Int)]? {
        var padded = bytes
        padded.append(contentsOf: [UInt8](repeating: 0, count: ChunkedFileReader.padding))
        var record = CSVRecord()
        return padded.withUnsafeBufferPointer { b -> [(bytes: [UInt8], rawStart: Int, recordEnd: Int)]? in
            guard let base = b.baseAddress else { return nil }
            guard case .complete = CSVScanner.scan(base, from: 0, limit: bytes.count, atEOF: atEOF, into: &record) else { return nil }
            return (0..<record.count).map { f in (Array(record.field(f, base: base)), record.rawStart[f], record.contentEnd) }
        }
    }
}
