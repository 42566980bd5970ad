import ProsperModel

/// Validates customer rows against the contract and keeps the accepted ones in
/// columns. Duplicate ids are caught here; everything that needs the subscriptions
/// happens later in `SubscriptionResolver`.
struct CustomerTableBuilder: ~Copyable {
    let file: String
    var log: RejectionLog
    private(set) var rowsRead = 0
    /// Accepted customer ids; code = accepted row.
    var ids: ByteKeyTable
    /// Line of each accepted row.
    private(set) var lines: [Int32] = []
    /// Ids of rejected rows and their first line (for messages about their subscriptions).
    var rejectedIDs = ByteKeyTable()
    private(set) var rejectedLines: [Int32] = []
    private var companies = ByteKeyTable(expectedCount: 1 << 12)
    private var industries = ByteKeyTable()
    private var regions = ByteKeyTable()
    private var companyCode: GrowableColumn<Int32>, industryCode: GrowableColumn<Int32>, regionCode: GrowableColumn<Int32>
    private var employees: GrowableColumn<Int64>, users: GrowableColumn<Int64>, tickets: GrowableColumn<Int64>
    private var failed: GrowableColumn<Int64>, nps: GrowableColumn<Int64>
    private var signup: GrowableColumn<Int32>, lastActive: GrowableColumn<Int32>
    private var cancel: GrowableColumn<UInt8>, churned: GrowableColumn<UInt8>
    /// While ids arrive in strictly increasing byte order they are unique without a hash
    /// lookup; the first id out of order builds the index.
    private var idsAscending = true
    var custom: CustomAttributeColumns
    /// Warnings found while reading (ignored columns); the as-of warnings come later.
    var warnings: [IngestWarning] = []
    /// The accepted rows with the latest last_active_dates (latest first, then file
    /// order), with their positions: the examples of as-of warnings.
    private(set) var latestRows: [(day: Int32, line: Int, column: Int)] = []
    static let latestRowsKept = 3
    private let slotNames = TableLayout.customers.columns

    init(file: String, expectedRows: Int, declared: [String: FieldKind], writeRejects: Bool) {
        self.file = file
        log = RejectionLog(file: file, writeRecords: writeRejects)
        ids = ByteKeyTable(expectedCount: expectedRows, indexed: false)
        custom = CustomAttributeColumns(declared: declared)
        let n = expectedRows
        companyCode = GrowableColumn(capacity: n); industryCode = GrowableColumn(capacity: n); regionCode = GrowableColumn(capacity: n)
        employees = GrowableColumn(capacity: n); users = GrowableColumn(capacity: n); tickets = GrowableColumn(capacity: n)
        failed = GrowableColumn(capacity: n); nps = GrowableColumn(capacity: n)
        signup = GrowableColumn(capacity: n); lastActive = GrowableColumn(capacity: n)
        cancel = GrowableColumn(capacity: n); churned = GrowableColumn(capacity: n)
        lines.reserveCapacity(expectedRows)
    }

    /// Counts a row that never reached validation.
    mutating func countRead() { rowsRead += 1 }

    /// Number of accepted rows.
    var count: Int { lines.count }

    /// Validates one row; accepted rows are appended, rejected ones logged.
    /// Returns the accepted row number, or nil when the row was rejected.
    @discardableResult
    mutating func add<R: RowFields>(_ row: R, customCount: Int) -> Int? {
        rowsRead += 1
        var problems: [(slot: Int, FieldProblem)] = []
        var extra: [Rejection] = []

        @inline(__always) func text(_ slot: Int, required: Bool = true) -> UnsafeBufferPointer<UInt8>? {
            guard let b = row.value(slot), b.count > 0 else {
                if required { problems.append((slot, .empty)) }
                return nil
            }
            if let p = FieldParsers.text(b, max: IngestLimits.maxTextLength) { problems.append((slot, p)); return nil }
            return b
        }
        @inline(__always) func int(_ slot: Int, min: Int64, max: Int64 = .max) -> Int64 {
            guard let b = row.value(slot), b.count > 0 else { problems.append((slot, .empty)); return 0 }
            switch FieldParsers.integer(b, readableBeyond: row.readableBeyond(slot)) {
            case .success(let v):
                if v < min {
                    problems.append((slot, .belowMinimum(min, value: v)))
                } else if v > max {
                    problems.append((slot, .aboveMaximum(max, value: v)))
                }
                return v
            case .failure(let p): problems.append((slot, p)); return 0
            }
        }
        @inline(__always) func date(_ slot: Int) -> Int32 {
            guard let b = row.value(slot), b.count > 0 else { problems.append((slot, .empty)); return 0 }
            switch FieldParsers.date(b) {
            case .success(let v): return v
            case .failure(let p): problems.append((slot, p)); return Day.nullNumber
            }
        }

        let id = text(CustomerSlot.customerID)
        let company = text(CustomerSlot.companyName)
        let industry = text(CustomerSlot.industry)
        let region = text(CustomerSlot.region)
        let emp = int(CustomerSlot.employees, min: 0, max: IngestLimits.maxHeadcount)
        let usr = int(CustomerSlot.users, min: 1, max: IngestLimits.maxHeadcount)
        let su = date(CustomerSlot.signupDate)
        let la = date(CustomerSlot.lastActiveDate)
        let tk = int(CustomerSlot.supportTickets, min: 0, max: IngestLimits.maxEventCount)
        let fp = int(CustomerSlot.failedPayments, min: 0, max: IngestLimits.maxEventCount)
        var np = NumberColumn.null
        if let b = row.value(CustomerSlot.nps), b.count > 0 {
            switch FieldParsers.integer(b, readableBeyond: row.readableBeyond(CustomerSlot.nps)) {
            case .success(let v):
                if v < 0 || v > 10 { problems.append((CustomerSlot.nps, .outOfRange(0...10, value: v))) }
                np = v
            case .failure(let p): problems.append((CustomerSlot.nps, p))
            }
        }
        var ci = false
        if let b = row.value(CustomerSlot.cancelIntent), b.count > 0 {
            switch FieldParsers.boolean(b) {
            case .success(let v): ci = v
            case .failure(let p): problems.append((CustomerSlot.cancelIntent, p))
            }
        } else {
            problems.append((CustomerSlot.cancelIntent, .empty))
        }
        var ch = BooleanColumn.null
        if let b = row.value(CustomerSlot.churned), b.count > 0 {
            switch FieldParsers.boolean(b) {
            case .success(let v): ch = v ? BooleanColumn.trueValue : BooleanColumn.falseValue
            case .failure(let p): problems.append((CustomerSlot.churned, p))
            }
        }
        if su != Day.nullNumber, la != Day.nullNumber, la < su, row.value(CustomerSlot.signupDate)?.count ?? 0 > 0,
           row.value(CustomerSlot.lastActiveDate)?.count ?? 0 > 0 {
            let pos = row.position(CustomerSlot.lastActiveDate)
            extra.append(Rejection(file: file, line: pos.line, column: pos.column, field: "last_active_date",
                                   reason: .lastActiveBeforeSignup,
                                   message: "\(Day(number: la)) is before signup_date \(Day(number: su))"))
        }
        // Positions are found only for values with a problem, and at most
        // `maxProblemsPerRow` of them: finding one scans the row from its start.
        var unlisted = 0
        for c in 0..<customCount {
            guard let b = row.custom(c), b.count > 0 else { continue }
            var problem: (RejectionReason, String)?
            if let p = FieldParsers.text(b, max: IngestLimits.maxCustomTextLength) {
                problem = ProblemText.message(p, b)
            } else if let kind = custom.declared[custom.names[c]], let message = CustomAttributeColumns.problem(b, declared: kind) {
                problem = (.customValue, message)
            }
            guard let (reason, message) = problem else { continue }
            guard problems.count + extra.count < IngestLimits.maxProblemsPerRow else { unlisted += 1; continue }
            let pos = row.customPosition(c)
            extra.append(Rejection(file: file, line: pos.line, column: pos.column, field: custom.names[c], reason: reason, message: message))
        }

        if problems.isEmpty, extra.isEmpty, let id, let company, let industry, let region {
            let code: Int, inserted: Bool
            if idsAscending, ids.count == 0 || ByteOrder.less(ids.key(ids.count - 1), id) {
                code = ids.appendUnindexed(id)
                inserted = true
            } else {
                idsAscending = false
                (code, inserted) = ids.insert(id)
            }
            if inserted {
                lines.append(Int32(truncatingIfNeeded: row.rowLine))
                companyCode.append(Int32(truncatingIfNeeded: companies.insert(company).code))
                industryCode.append(Int32(truncatingIfNeeded: industries.insert(industry).code))
                regionCode.append(Int32(truncatingIfNeeded: regions.insert(region).code))
                employees.append(emp); users.append(usr); signup.append(su); lastActive.append(la)
                tickets.append(tk); failed.append(fp); nps.append(np); cancel.append(ci ? BooleanColumn.trueValue : BooleanColumn.falseValue); churned.append(ch)
                if customCount > 0 { custom.appendRow { c in c < customCount ? row.custom(c) : nil } }
                noteLatest(la, row)
                return code
            }
            let pos = row.position(CustomerSlot.customerID)
            extra.append(Rejection(file: file, line: pos.line, column: pos.column, field: "customer_id", reason: .duplicateCustomer,
                                   message: "duplicate customer id \(quoted(id)) (first on line \(lines[code]))"))
        }

        var all: [Rejection] = []
        for (slot, p) in problems {
            let pos = row.position(slot)
            let (reason, message) = ProblemText.message(p, row.value(slot))
            all.append(Rejection(file: file, line: pos.line, column: pos.column, field: slotNames[slot], reason: reason, message: message))
        }
        all.append(contentsOf: extra)
        all.sort { ($0.line, $0.column) < ($1.line, $1.column) }
        if unlisted > 0 { all.append(Rejection.unlisted(unlisted, file: file, at: row.rowPosition)) }
        log.reject(all, record: row.rawRecord)
        if let id { noteRejected(id, line: row.rowLine) }
        return nil
    }

    /// Keeps the row among `latestRows` when its last activity is one of the latest.
    private mutating func noteLatest<R: RowFields>(_ day: Int32, _ row: R) {
        if latestRows.count == Self.latestRowsKept, let last = latestRows.last, day <= last.day { return }
        let pos = row.position(CustomerSlot.lastActiveDate)
        var i = latestRows.count
        while i > 0, latestRows[i - 1].day < day { i -= 1 }
        latestRows.insert((day, pos.line, pos.column), at: i)
        if latestRows.count > Self.latestRowsKept { latestRows.removeLast() }
    }

    /// The last_active_date of every accepted row.
    var lastActiveDays: UnsafeBufferPointer<Int32> { lastActive.buffer }

    /// Rejects a row whose problems were found before validation (e.g. by a mapping).
    mutating func rejectRow(_ rejections: [Rejection], record: UnsafeBufferPointer<UInt8>, id: [UInt8]?) {
        rowsRead += 1
        log.reject(rejections.sorted { ($0.line, $0.column) < ($1.line, $1.column) }, record: record)
        if let id, !id.isEmpty, id.withUnsafeBufferPointer({ FieldParsers.validateUTF8($0) }) == nil {
            id.withUnsafeBufferPointer { noteRejected($0, line: rejections.first?.line ?? 0) }
        }
    }

    /// Remembers a rejected row's id (unless another row with it was accepted).
    mutating func noteRejected(_ id: UnsafeBufferPointer<UInt8>, line: Int) {
        guard acceptedRow(id) == nil else { return }
        let (_, inserted) = rejectedIDs.insert(id)
        if inserted { rejectedLines.append(Int32(truncatingIfNeeded: line)) }
    }

    /// The accepted row with this id: a binary search while ids are ascending, a hash
    /// lookup after.
    func acceptedRow(_ id: UnsafeBufferPointer<UInt8>) -> Int? {
        guard idsAscending else { return ids.find(id) }
        var lo = 0, hi = ids.count
        while lo < hi {
            let mid = (lo + hi) / 2
            let k = ids.key(mid)
            if ByteOrder.less(k, id) { lo = mid + 1 } else if ByteOrder.less(id, k) { hi = mid } else { return mid }
        }
        return nil
    }

    /// Line of the first rejected row with this id, when one was rejected.
    func rejectedLine(_ id: UnsafeBufferPointer<UInt8>) -> Int? {
        rejectedIDs.find(id).map { Int(rejectedLines[$0]) }
    }

    /// The accepted rows as dataset columns (text stays dictionary-encoded). Hands the
    /// column storage over: call once. The join may come after (it reads only `ids`,
    /// `count` and the rejected ids, which stay).
    mutating func columns() -> CustomerColumns {
        func dictionary(_ t: borrowing ByteKeyTable) -> [String] { (0..<t.count).map { t.string($0) } }
        return CustomerColumns(
            customerID: StringColumn(unique: ids.texts(), byteOrdered: idsAscending),
            companyName: StringColumn(codeBuffer: companyCode.takeBuffer(), dictionary: dictionary(companies)),
            industry: StringColumn(codeBuffer: industryCode.takeBuffer(), dictionary: dictionary(industries)),
            region: StringColumn(codeBuffer: regionCode.takeBuffer(), dictionary: dictionary(regions)),
            employees: NumberColumn(buffer: employees.takeBuffer(), scale: 0),
            users: NumberColumn(buffer: users.takeBuffer(), scale: 0),
            signupDate: DateColumn(buffer: signup.takeBuffer()),
            lastActiveDate: DateColumn(buffer: lastActive.takeBuffer()),
            supportTickets90d: NumberColumn(buffer: tickets.takeBuffer(), scale: 0),
            failedPayments90d: NumberColumn(buffer: failed.takeBuffer(), scale: 0),
            nps: NumberColumn(buffer: nps.takeBuffer(), scale: 0),
            cancelIntent: BooleanColumn(buffer: cancel.takeBuffer()),
            churned: BooleanColumn(buffer: churned.takeBuffer()),
            custom: custom.build())
    }

    /// The latest last_active_date of the accepted rows (the default as-of date).
    var latestActivity: Int32? { lastActive.buffer.max() }

    /// Whether the accepted ids have all been in strictly increasing byte order so far.
    var idsAscendingSoFar: Bool { idsAscending }

    /// Appends the rows `tail` read from a later record start of the same file (its lines
    /// counted from 1 there), with the result of reading them here: codes of interned
    /// texts are mapped to this table's, lines shifted, and rejected ids that this part
    /// accepted dropped. Only ascending ids on both sides, the tail's all after this
    /// part's, can be merged without a duplicate check; otherwise returns false and
    /// changes nothing. Neither side may have custom attributes or rejects-file lines.
    mutating func absorb(tail: inout CustomerTableBuilder, lineOffset: Int) -> Bool {
        guard idsAscending, tail.idsAscending, splittable, tail.splittable, tail.warnings.isEmpty, tail.custom.names.isEmpty else { return false }
        if ids.count > 0, tail.ids.count > 0, !ByteOrder.less(ids.key(ids.count - 1), tail.ids.key(0)) { return false }
        @inline(__always) func shifted(_ line: Int32) -> Int32 { Int32(truncatingIfNeeded: Int(line) + lineOffset) }
        // Rejected ids first: one the head accepted is not noted (the tail's own accepted
        // ids were already left out by the tail).
        for r in 0..<tail.rejectedIDs.count {
            let id = tail.rejectedIDs.key(r)
            guard acceptedRow(id) == nil else { continue }
            if rejectedIDs.insert(id).inserted { rejectedLines.append(shifted(tail.rejectedLines[r])) }
        }
        rowsRead += tail.rowsRead
        log.absorb(&tail.log, lineOffset: lineOffset)
        ids.appendUnindexed(contentsOf: tail.ids)
        lines.reserveCapacity(lines.count + tail.lines.count)
        for l in tail.lines { lines.append(shifted(l)) }
        func remapped(_ codes: borrowing GrowableColumn<Int32>, _ from: borrowing ByteKeyTable, into table: inout ByteKeyTable,
                      _ column: inout GrowableColumn<Int32>) {
            var map = [Int32](repeating: 0, count: from.count)
            for c in 0..<from.count { map[c] = Int32(truncatingIfNeeded: table.insert(from.key(c)).code) }
            column.append(contentsOf: codes) { map[Int($0)] }
        }
        remapped(tail.companyCode, tail.companies, into: &companies, &companyCode)
        remapped(tail.industryCode, tail.industries, into: &industries, &industryCode)
        remapped(tail.regionCode, tail.regions, into: &regions, &regionCode)
        employees.append(contentsOf: tail.employees); users.append(contentsOf: tail.users)
        tickets.append(contentsOf: tail.tickets); failed.append(contentsOf: tail.failed); nps.append(contentsOf: tail.nps)
        signup.append(contentsOf: tail.signup); lastActive.append(contentsOf: tail.lastActive)
        cancel.append(contentsOf: tail.cancel); churned.append(contentsOf: tail.churned)
        // The latest rows of both parts, latest first and then in file order (as
        // `noteLatest` keeps them).
        var latest = latestRows + tail.latestRows.map { ($0.day, $0.line + lineOffset, $0.column) }
        latest.sort { ($0.day, -$0.line, -$0.column) > ($1.day, -$1.line, -$1.column) }
        latestRows = Array(latest.prefix(Self.latestRowsKept))
        return true
    }
}
