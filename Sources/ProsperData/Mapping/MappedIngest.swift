import ProsperModel
import ProsperRules

/// A row produced by a mapping: canonical field texts with the source positions they
/// came from, so that validation reports point into the foreign file.
struct MappedRowView: RowFields {
    let values: [[UInt8]?]
    let positions: [(line: Int, column: Int)]
    let customValues: [[UInt8]?]
    let customPositions: [(line: Int, column: Int)]
    let rowPosition: (line: Int, column: Int)
    let rawRecord: UnsafeBufferPointer<UInt8>
    var rowLine: Int { rowPosition.line }

    // The pointers returned below point into the byte arrays that `values` and
    // `customValues` hold (never into a temporary), and those arrays are immutable and
    // outlive every use of the view: validation reads them before the row is dropped.
    func value(_ slot: Int) -> UnsafeBufferPointer<UInt8>? {
        guard slot < values.count, let v = values[slot] else { return nil }
        return v.withUnsafeBufferPointer { $0 }
    }
    func custom(_ c: Int) -> UnsafeBufferPointer<UInt8>? {
        guard c < customValues.count, let v = customValues[c] else { return nil }
        return v.withUnsafeBufferPointer { $0 }
    }
    func position(_ slot: Int) -> (line: Int, column: Int) { slot < positions.count ? positions[slot] : rowPosition }
    func customPosition(_ c: Int) -> (line: Int, column: Int) { c < customPositions.count ? customPositions[c] : rowPosition }
}

/// Ingestion of foreign layouts through a YAML mapping file (docs/data.md): each source
/// row is mapped to contract fields, then validated exactly like native data.
package enum MappedIngest {
    /// Reads `path` (one CSV file in another layout) with the mapping at `mappingPath`.
    /// Throws `ConfigFileError` for a bad mapping file and `DataFileError` for an
    /// unreadable source.
    package static func ingest(path: String, mappingPath: String, options: IngestOptions) throws -> IngestResult {
        let name = DataSource.displayName(path)
        let mappingBytes = try ProjectFile.readAll(mappingPath)
        let stream = try CSVRecordStream(path: path, chunkSize: options.chunkSize)
        let header: [String]
        switch stream.readHeader(file: name) {
        case .success(let names?): header = names
        case .success(nil):
            return emptyResult(name: name, path: path, error: DataFileError(path: name, message: "the file is empty; expected a header row"), options: options)
        case .failure(let error):
            guard error.line != nil else { throw error }
            return emptyResult(name: name, path: path, error: error, options: options)
        }
        let mapping: MappingFile
        // Expressions need the columns' types: one pass over the file, only if asked.
        let columns = SourceColumns(header: header) { [chunkSize = options.chunkSize] in
            SourceColumnType.typeColumns(path: path, file: name, count: header.count, chunkSize: chunkSize)
        }
        switch MappingFile.load(path: mappingPath, bytes: mappingBytes, columns: columns) {
        case .success(let m): mapping = m
        case .failure(let e): throw e
        }
        // The as-of date: --as-of, else prosper.yaml (both already in `options`), else
        // the mapping's `as_of:`, else the data's (see `AsOfChoice`).
        var options = options
        if options.asOf == nil, let mappingAsOf = mapping.asOf {
            options.asOf = mappingAsOf
            options.asOfSource = "as_of of \(DataSource.displayName(mappingPath))"
        }
        let asOf = options.asOf
        if asOf == nil {
            let needs = (Array(mapping.customers.values) + mapping.attributes.map(\.rule)).filter {
                switch $0.source {
                case .beforeAsOf: return true
                case .expression(let e): return e.expression.readsAsOf
                default: return false
                }
            }
            if !needs.isEmpty {
                let source = YAMLParser.parse(bytes: mappingBytes, path: mappingPath).source
                throw ConfigFileError(diagnostics: needs.map {
                    Diagnostic(file: mappingPath, range: $0.node.range, .mappingNeedsAsOf(Self.isExpression($0) ? "reads as_of" : "counts back from the as-of date"))
                }, source: source)
            }
        }
        var customers = CustomerTableBuilder(file: name, expectedRows: 1024, declared: Dictionary(
            mapping.attributes.compactMap { a in a.kind.map { (a.name, $0) } }, uniquingKeysWith: { a, _ in a }), writeRejects: options.collectRejects)
        var subscriptions = SubscriptionTableBuilder(file: name, expectedRows: 4096, writeRejects: options.collectRejects)
        if let path = options.rejectsPath {
            let spools = try RejectsSpool.pair(path: path)
            customers.log.spool = spools.customers
            subscriptions.log.spool = spools.subscriptions
        }
        for a in mapping.attributes { _ = customers.customColumn(named: a.name) }
        let columnIndex = Dictionary(header.enumerated().map { ($0.element, $0.offset) }, uniquingKeysWith: { a, _ in a })

        // `duplicates: last` needs the last row of every id: a first pass finds them.
        var lastRowOfID: [String: Int] = [:]
        if mapping.duplicates == .last {
            let first = try CSVRecordStream(path: path, chunkSize: options.chunkSize)
            _ = first.readHeader(file: name)
            var n = 0
            try first.forEachRecord(file: name) { row in
                n += 1
                if case .record(let cells, _, _, _) = row, let id = customerID(cells: cells, columnIndex: columnIndex, mapping: mapping, asOf: asOf, rowNumber: n) {
                    lastRowOfID[id] = n
                }
            }
        }
        var rowNumber = 0, dropped = 0
        var seenRecords: Set<[UInt8]> = [], seenIDs: Set<String> = []
        let progress = options.progress
        progress?.phase("ingest \(path)")
        try stream.forEachRecord(file: name) { row in
            rowNumber += 1
            // Once per 64 Ki rows, and the rest after the loop.
            if rowNumber & 0xFFFF == 0 { progress?.advance(rows: 0x10000) }
            switch row {
            case .unreadable(let rejection, let raw):
                customers.rejectUnreadable(rejection, record: raw, id: nil)
            case .record(let cells, let positions, let line, let raw):
                switch mapping.duplicates {
                case .dropExact?:
                    if !seenRecords.insert(Array(raw)).inserted { dropped += 1; return }
                case .first?:
                    if let id = customerID(cells: cells, columnIndex: columnIndex, mapping: mapping, asOf: asOf, rowNumber: rowNumber),
                       !seenIDs.insert(id).inserted { dropped += 1; return }
                case .last?:
                    if let id = customerID(cells: cells, columnIndex: columnIndex, mapping: mapping, asOf: asOf, rowNumber: rowNumber),
                       let last = lastRowOfID[id], last != rowNumber { dropped += 1; return }
                case .reject?, nil:
                    break
                }
                mapRow(cells: cells, positions: positions, line: line, raw: raw, rowNumber: rowNumber, header: header, columnIndex: columnIndex,
                       mapping: mapping, asOf: asOf, file: name, customers: &customers, subscriptions: &subscriptions)
            }
        }
        if let progress, rowNumber & 0xFFFF > 0 { progress.advance(rows: rowNumber & 0xFFFF) }
        var amounts = options
        if let unit = mapping.moneyUnit { amounts.moneyUnit = unit }  // the mapping describes its own data
        var result = Ingestor.finish(customers: &customers, subscriptions: &subscriptions, fileErrors: [], customersFile: name,
                                     sourceName: path, options: amounts, locate: { _, _ in nil })
        result.mappingConstants = mapping.constants
        guard let policy = mapping.duplicates else { return result }
        result.report.duplicates = DuplicateCount(policy: policy.rawValue, dropped: dropped)
        return result
    }

    /// The customer id a row maps to (nil when it has none or cannot be mapped: the row
    /// is then rejected as usual, never dropped).
    static func customerID(cells: [String], columnIndex: [String: Int], mapping: MappingFile, asOf: Day?, rowNumber: Int) -> String? {
        guard let rule = mapping.customers[CustomerSlot.customerID] else { return nil }
        var cell: String?
        if case .column(let c) = rule.source, let i = columnIndex[c], i < cells.count { cell = cells[i] }
        guard case .success(let id?) = ValueConversion.apply(rule, cell: cell, asOf: asOf, rowNumber: rowNumber, cells: cells), !id.isEmpty else { return nil }
        return id
    }

    static func isExpression(_ rule: ValueRule) -> Bool {
        if case .expression = rule.source { return true } else { return false }
    }

    static func emptyResult(name: String, path: String, error: DataFileError, options: IngestOptions) -> IngestResult {
        var customers = CustomerTableBuilder(file: name, expectedRows: 16, declared: [:], writeRejects: false)
        var subscriptions = SubscriptionTableBuilder(file: name, expectedRows: 16, writeRejects: false)
        return Ingestor.finish(customers: &customers, subscriptions: &subscriptions, fileErrors: [error],
                               customersFile: name, sourceName: path, options: options, locate: { _, _ in nil })
    }

    private static func mapRow(cells: [String], positions: [(line: Int, column: Int)], line: Int, raw: UnsafeBufferPointer<UInt8>, rowNumber: Int,
                               header: [String], columnIndex: [String: Int], mapping: MappingFile, asOf: Day?, file: String,
                               customers: inout CustomerTableBuilder, subscriptions: inout SubscriptionTableBuilder) {
        let rowPosition: (line: Int, column: Int) = (line, 1)
        var problems: [Rejection] = []
        func evaluate(_ rule: ValueRule, field: String) -> (value: String?, position: (line: Int, column: Int)) {
            var cell: String?
            var position = rowPosition
            var columnName: String?
            switch rule.source {
            case .column(let c): columnName = c
            case .beforeAsOf(_, let c, _): columnName = c
            case .expression(let e):
                // A problem is shown at the first cell the expression reads.
                if let i = e.firstColumn, i < positions.count { position = positions[i] }
            case .fixed, .rowNumber: break
            }
            if let columnName, let i = columnIndex[columnName], i < cells.count {
                cell = cells[i]
                position = positions[i]
            }
            switch ValueConversion.apply(rule, cell: cell, asOf: asOf, rowNumber: rowNumber, column: columnName, cells: cells) {
            case .success(let v): return (v, position)
            case .failure(let p):
                problems.append(Rejection(file: file, line: position.line, column: position.column, field: columnName ?? field,
                                          reason: .mapping, message: "\(p.message) (mapping for \(field))"))
                return (nil, position)
            }
        }
        var values = [[UInt8]?](repeating: nil, count: CustomerSlot.count)
        var valuePositions = [(line: Int, column: Int)](repeating: rowPosition, count: CustomerSlot.count)
        for (slot, rule) in mapping.customers {
            let (v, p) = evaluate(rule, field: TableLayout.customers.columns[slot])
            values[slot] = v.map { Array($0.utf8) }
            valuePositions[slot] = p
        }
        var customValues = [[UInt8]?](repeating: nil, count: customers.customCount)
        var customPositions = [(line: Int, column: Int)](repeating: rowPosition, count: customers.customCount)
        for (i, a) in mapping.attributes.enumerated() where i < customValues.count {
            let (v, p) = evaluate(a.rule, field: a.name)
            customValues[i] = v.map { Array($0.utf8) }
            customPositions[i] = p
            // `type: number` keeps 2 decimals: say how to keep more, rather than only that they are too many.
            if case .number(let scale)? = a.kind, scale > 0, let v, case .failure(.tooManyDecimals) = decimals(v, scale) {
                problems.append(Rejection(file: file, line: p.line, column: p.column, field: a.name, reason: .tooManyDecimals,
                                          message: "more than \(scale) decimal places in \(quoted(v)) for 'type: number' (mapping for \(a.name)); leave 'type:' out to keep up to 6 decimals, or use 'convert: money' for amounts in cents"))
                customValues[i] = nil
            }
        }
        // Products and prices.
        var owned: [(name: String, position: (line: Int, column: Int))] = []
        for product in mapping.products {
            guard let i = columnIndex[product.column], i < cells.count else { continue }
            if product.values.contains(cells[i].trimmingASCIIWhitespace().lowercased()) { owned.append((product.name, positions[i])) }
        }
        var rows: [(product: String, cents: Int64, position: (line: Int, column: Int))] = []
        switch mapping.price {
        case .fixed(let table)?:
            rows = owned.map { ($0.name, table[$0.name] ?? 0, $0.position) }
        case .split(let totalRule, let weights)?:
            let (t, p) = evaluate(totalRule, field: "price.split.total")
            if let cents = cents(t, position: p, file: file, problems: &problems) {
                if owned.isEmpty, cents > 0 {
                    // Money is never dropped: a total with no product to carry it rejects the row.
                    problems.append(Rejection(file: file, line: p.line, column: p.column, field: nil, reason: .unallocatedAmount,
                                              message: "monthly total \(Money.plain(cents)) has no product to go on (no product column says yes); the row is rejected so that no revenue is lost"))
                } else if !owned.isEmpty {
                    let shares = ValueConversion.split(total: cents, weights: owned.map { weights[$0.name] ?? (weights.isEmpty ? 1 : 0) })
                    rows = zip(owned, shares).map { ($0.name, $1, $0.position) }
                }
            }
        case .plan(let planProduct, let totalRule)?:
            let (t, p) = evaluate(totalRule, field: "price.plan.total")
            if let cents = cents(t, position: p, file: file, problems: &problems) {
                rows = owned.map { ($0.name, 0, $0.position) } + [(planProduct, cents, p)]
            }
        case nil:
            break
        }
        let start: (value: String?, position: (line: Int, column: Int)) = mapping.startDate.map { evaluate($0, field: "subscriptions.start_date") }
            ?? (values[CustomerSlot.signupDate].map { String(decoding: $0, as: UTF8.self) }, valuePositions[CustomerSlot.signupDate])

        guard problems.isEmpty else {
            customers.rejectRow(problems, record: raw, id: values[CustomerSlot.customerID])
            for r in rows {
                subscriptions.rejectUnreadable(Rejection(file: file, line: r.position.line, column: r.position.column, field: nil,
                                                         reason: .rejectedCustomer, message: "the customer on this line was rejected"),
                                               record: raw, id: nil)
            }
            return
        }
        let view = MappedRowView(values: values, positions: valuePositions, customValues: customValues, customPositions: customPositions,
                                 rowPosition: rowPosition, rawRecord: raw)
        let accepted = customers.add(view, customCount: customers.customCount) != nil
        var activeSeen: UInt64 = 0
        for r in rows {
            var sub = [[UInt8]?](repeating: nil, count: SubscriptionSlot.count)
            sub[SubscriptionSlot.product] = Array(r.product.utf8)
            sub[SubscriptionSlot.monthlyPrice] = Array(Money.plain(r.cents).utf8)
            sub[SubscriptionSlot.startDate] = start.value.map { Array($0.utf8) }
            sub[SubscriptionSlot.status] = Array(mapping.status.utf8)
            var subPositions = [(line: Int, column: Int)](repeating: r.position, count: SubscriptionSlot.count)
            subPositions[SubscriptionSlot.startDate] = start.position
            let subView = MappedRowView(values: sub, positions: subPositions, customValues: [], customPositions: [],
                                        rowPosition: r.position, rawRecord: raw)
            guard accepted, let id = values[CustomerSlot.customerID] else {
                subscriptions.rejectUnreadable(Rejection(file: file, line: r.position.line, column: r.position.column, field: nil,
                                                         reason: .rejectedCustomer, message: "the customer on this line was rejected"),
                                               record: raw, id: nil)
                continue
            }
            id.withUnsafeBufferPointer { idBytes in
                _ = withUnsafeMutablePointer(to: &activeSeen) { seen in
                    subscriptions.add(subView, recordOffset: 0, fixedCustomer: idBytes, activeProducts: seen)
                }
            }
        }
    }

    private static func decimals(_ text: String, _ scale: Int) -> Result<Int64, FieldProblem> {
        var bytes = Array(text.utf8)
        return bytes.withUnsafeMutableBufferPointer { FieldParsers.decimal(UnsafeBufferPointer($0), maxDecimals: scale, allowNegative: true) }
    }

    private static func cents(_ text: String?, position: (line: Int, column: Int), file: String, problems: inout [Rejection]) -> Int64? {
        guard let text else { return nil }
        var bytes = Array(text.utf8)
        if case .success(let c) = bytes.withUnsafeMutableBufferPointer({ FieldParsers.decimal(UnsafeBufferPointer($0)) }) { return c }
        problems.append(Rejection(file: file, line: position.line, column: position.column, field: nil, reason: .mapping,
                                  message: "cannot read \(quoted(text)) as a monthly total"))
        return nil
    }
}
