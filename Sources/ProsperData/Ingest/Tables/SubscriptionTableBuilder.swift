import ProsperModel

/// Validates subscription rows on their own (types, status, money) and keeps the
/// accepted ones. Customer ids stay unresolved bytes here, so that this table can be
/// read at the same time as customers.csv; `SubscriptionResolver` joins them later.
///
/// Consecutive rows of the same customer share one "run" (subscriptions usually come
/// grouped by customer), so each distinct run of ids is stored and looked up once.
struct SubscriptionTableBuilder: ~Copyable {
    let file: String
    var log: RejectionLog
    private(set) var rowsRead = 0
    /// Customer id bytes of each run.
    private(set) var runKeys = ByteBuffer(capacity: 1 << 16)
    private(set) var runOffsets: [Int] = [0]
    var run: GrowableColumn<Int32>
    var products = ByteKeyTable()
    var product: GrowableColumn<UInt8>
    var price: GrowableColumn<Int64>
    var start: GrowableColumn<Int32>
    var active: GrowableColumn<Bool>
    /// Line and file offset of each accepted row (for messages about rows that the
    /// join rejects later).
    var line: GrowableColumn<Int32>
    var offset: GrowableColumn<Int64>
    private let slotNames = TableLayout.subscriptions.columns

    init(file: String, expectedRows: Int, writeRejects: Bool) {
        self.file = file
        log = RejectionLog(file: file, writeRecords: writeRejects)
        let n = expectedRows
        run = GrowableColumn(capacity: n); product = GrowableColumn(capacity: n); price = GrowableColumn(capacity: n)
        start = GrowableColumn(capacity: n); active = GrowableColumn(capacity: n)
        line = GrowableColumn(capacity: n); offset = GrowableColumn(capacity: n)
        runOffsets.reserveCapacity(expectedRows / 2)
    }

    /// Counts a row that never reached validation.
    mutating func countRead() { rowsRead += 1 }

    var count: Int { run.count }
    var runCount: Int { runOffsets.count - 1 }

    /// The customer id bytes of run `r`.
    @inline(__always)
    func runKey(_ r: Int) -> UnsafeBufferPointer<UInt8> {
        runKeys.bytes(runOffsets[r], runOffsets[r + 1] - runOffsets[r])
    }

    /// Validates one row. `fixedCustomer` replaces the customer_id column (JSON Lines,
    /// where subscriptions are nested in their customer). Returns whether it was accepted.
    @discardableResult
    /// `activeProducts`, when given, holds the customer's active products so far: a second
    /// active row for one of them is rejected here (JSON Lines; CSV rows are checked by the join).
    mutating func add<R: RowFields>(_ row: R, recordOffset: Int64, fixedCustomer: UnsafeBufferPointer<UInt8>? = nil,
                                    activeProducts: UnsafeMutablePointer<UInt64>? = nil) -> Bool {
        rowsRead += 1
        var problems: [(slot: Int, FieldProblem)] = []
        var extra: [Rejection] = []

        var id: UnsafeBufferPointer<UInt8>? = fixedCustomer
        if fixedCustomer == nil {
            if let b = row.value(SubscriptionSlot.customerID), b.count > 0 {
                if let p = FieldParsers.text(b, max: IngestLimits.maxTextLength) { problems.append((SubscriptionSlot.customerID, p)) } else { id = b }
            } else {
                problems.append((SubscriptionSlot.customerID, .empty))
            }
        }
        var productBytes: UnsafeBufferPointer<UInt8>?
        if let b = row.value(SubscriptionSlot.product), b.count > 0 {
            if let p = FieldParsers.text(b, max: IngestLimits.maxTextLength) { problems.append((SubscriptionSlot.product, p)) } else { productBytes = b }
        } else {
            problems.append((SubscriptionSlot.product, .empty))
        }
        var cents: Int64 = 0
        switch FieldParsers.decimal(row.value(SubscriptionSlot.monthlyPrice) ?? UnsafeBufferPointer(start: nil, count: 0),
                                    readableBeyond: row.readableBeyond(SubscriptionSlot.monthlyPrice)) {
        case .success(let v):
            cents = v
            if v > IngestLimits.maxMonthlyPriceCents { problems.append((SubscriptionSlot.monthlyPrice, .amountTooLarge(max: IngestLimits.maxMonthlyPriceCents))) }
        case .failure(let p): problems.append((SubscriptionSlot.monthlyPrice, p))
        }
        var day: Int32 = 0
        switch FieldParsers.date(row.value(SubscriptionSlot.startDate) ?? UnsafeBufferPointer(start: nil, count: 0)) {
        case .success(let v): day = v
        case .failure(let p): problems.append((SubscriptionSlot.startDate, p))
        }
        var isActive = false
        if let b = row.value(SubscriptionSlot.status), b.count > 0 {
            switch Self.status(b) {
            case .some(let v): isActive = v
            case .none: problems.append((SubscriptionSlot.status, .unknownStatus))
            }
        } else {
            problems.append((SubscriptionSlot.status, .empty))
        }
        var productCode = 0
        if problems.isEmpty, let productBytes {
            if let code = products.find(productBytes) {
                productCode = code
            } else if products.count >= ProductSetColumn.maxProducts {
                let pos = row.position(SubscriptionSlot.product)
                extra.append(Rejection(file: file, line: pos.line, column: pos.column, field: "product", reason: .tooManyProducts,
                                       message: "\(quoted(productBytes)) would be product number \(products.count + 1); at most \(ProductSetColumn.maxProducts) distinct products are supported"))
            } else {
                productCode = products.insert(productBytes).code
            }
        }
        if problems.isEmpty, extra.isEmpty, isActive, let activeProducts, let productBytes {
            let bit: UInt64 = 1 << UInt64(productCode & 63)
            if activeProducts.pointee & bit != 0 {
                let pos = row.position(SubscriptionSlot.product)
                let who = id.map(quoted) ?? "the customer"
                extra.append(Rejection(file: file, line: pos.line, column: pos.column, field: "product", reason: .duplicateActiveProduct,
                                       message: "customer \(who) already has an active \(quoted(productBytes)) subscription"))
            } else {
                activeProducts.pointee |= bit
            }
        }
        if problems.isEmpty, extra.isEmpty, let id {
            let r = runCount
            if r > 0, Self.equal(runKey(r - 1), id) {
                run.append(Int32(truncatingIfNeeded: r - 1))
            } else {
                runKeys.append(id)
                runOffsets.append(runKeys.count)
                run.append(Int32(truncatingIfNeeded: r))
            }
            product.append(UInt8(truncatingIfNeeded: productCode))
            price.append(cents)
            start.append(day)
            active.append(isActive)
            line.append(Int32(truncatingIfNeeded: row.rowLine))
            offset.append(recordOffset)
            return true
        }
        var all: [Rejection] = []
        for (slot, p) in problems {
            let pos = row.position(slot)
            let (reason, message) = ProblemText.message(p, row.value(slot))
            all.append(Rejection(file: file, line: pos.line, column: pos.column, field: slotNames[slot], reason: reason, message: message))
        }
        all.append(contentsOf: extra)
        all.sort { ($0.line, $0.column) < ($1.line, $1.column) }
        log.reject(all, record: row.rawRecord)
        return false
    }

    /// Appends the rows `tail` read from a later record start of the same file (its lines
    /// counted from 1 there), with the result of reading them here: runs continue across
    /// the seam, product codes are mapped to this table's and lines shifted. Returns false,
    /// changing nothing, when the two parts together name more products than a table may
    /// hold (the rejection of the first one too many depends on everything before it), or
    /// when either side writes rejects-file lines.
    mutating func absorb(tail: inout SubscriptionTableBuilder, lineOffset: Int) -> Bool {
        guard splittable, tail.splittable, tail.log.byReason[.tooManyProducts] == nil else { return false }
        var newProducts = 0
        for p in 0..<tail.products.count where products.find(tail.products.key(p)) == nil { newProducts += 1 }
        guard products.count + newProducts <= ProductSetColumn.maxProducts else { return false }
        var productMap = [UInt8](repeating: 0, count: tail.products.count)
        for p in 0..<tail.products.count { productMap[p] = UInt8(truncatingIfNeeded: products.insert(tail.products.key(p)).code) }
        // The tail's first run continues this part's last one when the ids match.
        let joined = runCount > 0 && tail.runCount > 0 && Self.equal(runKey(runCount - 1), tail.runKey(0))
        let runShift = Int32(truncatingIfNeeded: joined ? runCount - 1 : runCount)
        for r in (joined ? 1 : 0)..<tail.runCount {
            runKeys.append(tail.runKey(r))
            runOffsets.append(runKeys.count)
        }
        run.append(contentsOf: tail.run) { $0 &+ runShift }
        product.append(contentsOf: tail.product) { productMap[Int($0)] }
        price.append(contentsOf: tail.price); start.append(contentsOf: tail.start); active.append(contentsOf: tail.active)
        line.append(contentsOf: tail.line) { Int32(truncatingIfNeeded: Int($0) + lineOffset) }
        offset.append(contentsOf: tail.offset)
        rowsRead += tail.rowsRead
        log.absorb(&tail.log, lineOffset: lineOffset)
        return true
    }

    /// Rejects-file lines hold line numbers, so a table that writes them is read whole.
    var splittable: Bool { !log.writeRecords && log.spool == nil }

    /// `active` → true, `cancelled` (or `canceled`) → false, any letter case.
    @inline(__always)
    static func status(_ b: UnsafeBufferPointer<UInt8>) -> Bool? {
        @inline(__always) func matches(_ word: StaticString) -> Bool {
            guard b.count == word.utf8CodeUnitCount, let p = b.baseAddress else { return false }
            let w = word.utf8Start
            for i in 0..<b.count {
                let c = p[i]
                if (c >= 65 && c <= 90 ? c | 0x20 : c) != w[i] { return false }
            }
            return true
        }
        if matches("active") { return true }
        if matches("cancelled") || matches("canceled") { return false }
        return nil
    }

    @inline(__always)
    static func equal(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        guard a.count == b.count else { return false }
        guard let pa = a.baseAddress, let pb = b.baseAddress else { return a.count == 0 }
        return memcmpBytes(pa, pb, a.count)
    }
}
