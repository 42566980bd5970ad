import ProsperModel

/// Text values of the columns beyond the contract, one row per accepted customer,
/// turned into typed columns at the end: a declared type when one is given, otherwise
/// the narrowest of number, boolean, date and text that fits every non-empty value.
struct CustomAttributeColumns {
    private(set) var names: [String] = []
    private var index: [String: Int] = [:]
    private var bytes: [[UInt8]] = []
    /// Start offset of each row's value in `bytes[c]`; -1 marks null. The value ends
    /// where the next non-null value starts (`ends[c]`).
    private var starts: [[Int]] = []
    private var ends: [[Int]] = []
    private(set) var rows = 0
    let declared: [String: FieldKind]

    init(declared: [String: FieldKind] = [:]) { self.declared = declared }

    /// The column called `name` when it exists.
    func existing(named name: String) -> Int? { index[name] }

    /// The column called `name`, created (filled with nulls so far) when new.
    mutating func column(named name: String) -> Int {
        if let c = index[name] { return c }
        let c = names.count
        names.append(name)
        index[name] = c
        bytes.append([])
        starts.append([Int](repeating: -1, count: rows))
        ends.append([Int](repeating: -1, count: rows))
        return c
    }

    /// Adds one accepted row: `values[c]` for column c, nil for null.
    mutating func appendRow(_ value: (Int) -> UnsafeBufferPointer<UInt8>?) {
        for c in 0..<names.count {
            if let v = value(c), v.count > 0 {
                starts[c].append(bytes[c].count)
                bytes[c].append(contentsOf: v)
                ends[c].append(bytes[c].count)
            } else {
                starts[c].append(-1)
                ends[c].append(-1)
            }
        }
        rows += 1
    }

    /// Checks `value` against a declared type; nil when it fits (or nothing is declared).
    static func problem(_ value: UnsafeBufferPointer<UInt8>, declared kind: FieldKind) -> String? {
        guard value.count > 0 else { return nil }
        switch kind {
        case .number(let scale):
            if case .success = FieldParsers.decimal(value, maxDecimals: scale, allowNegative: true) { return nil }
            return scale == 0 ? "expected a whole number, got \(quoted(value))" : "expected a number with at most \(scale) decimals, got \(quoted(value))"
        case .boolean:
            if case .success = FieldParsers.boolean(value) { return nil }
            return "expected true or false, got \(quoted(value))"
        case .date:
            if case .success = FieldParsers.date(value) { return nil }
            return "expected a date YYYY-MM-DD, got \(quoted(value))"
        case .string, .productSet:
            return nil
        }
    }

    /// The typed columns (in first-seen order).
    func build() -> [(info: FieldInfo, column: Column)] {
        var out: [(info: FieldInfo, column: Column)] = []
        for c in 0..<names.count {
            let kind = declared[names[c]] ?? infer(c)
            var nulls = 0
            let column: Column = bytes[c].withUnsafeBufferPointer { all in
                func value(_ row: Int) -> UnsafeBufferPointer<UInt8>? {
                    let s = starts[c][row], e = ends[c][row]
                    guard s >= 0, let base = all.baseAddress else { return nil }
                    return UnsafeBufferPointer(start: base + s, count: e - s)
                }
                switch kind {
                case .number(let scale):
                    var v = [Int64](repeating: NumberColumn.null, count: rows)
                    for r in 0..<rows {
                        guard let b = value(r), case .success(let x) = FieldParsers.decimal(b, maxDecimals: scale, allowNegative: true) else { nulls += 1; continue }
                        v[r] = x
                    }
                    return .number(NumberColumn(values: v, scale: scale))
                case .boolean:
                    var v = [UInt8](repeating: BooleanColumn.null, count: rows)
                    for r in 0..<rows {
                        guard let b = value(r), case .success(let x) = FieldParsers.boolean(b) else { nulls += 1; continue }
                        v[r] = x ? BooleanColumn.trueValue : BooleanColumn.falseValue
                    }
                    return .boolean(BooleanColumn(values: v))
                case .date:
                    var v = [Int32](repeating: DateColumn.null, count: rows)
                    for r in 0..<rows {
                        guard let b = value(r), case .success(let x) = FieldParsers.date(b) else { nulls += 1; continue }
                        v[r] = x
                    }
                    return .date(DateColumn(values: v))
                case .string, .productSet:
                    var v: [String?] = []
                    v.reserveCapacity(rows)
                    for r in 0..<rows {
                        if let b = value(r) { v.append(String(decoding: b, as: UTF8.self)) } else { v.append(nil); nulls += 1 }
                    }
                    return .string(StringColumn(encoding: v))
                }
            }
            let info = FieldInfo(name: names[c], kind: column.kind, nullable: true, origin: .custom,
                                 summary: declared[names[c]] == nil ? "custom attribute (inferred \(column.kind))" : "custom attribute")
            out.append((info, column))
        }
        return out
    }

    /// The narrowest type that fits every non-empty value of column `c`.
    private func infer(_ c: Int) -> FieldKind {
        var number = true, boolean = true, date = true
        var scale = 0
        var any = false
        bytes[c].withUnsafeBufferPointer { all in
            guard let base = all.baseAddress else { return }
            for (s, e) in zip(starts[c], ends[c]) where s >= 0 {
                let b = UnsafeBufferPointer(start: base + s, count: e - s)
                any = true
                if number {
                    if case .success = FieldParsers.decimal(b, maxDecimals: 6, allowNegative: true) {
                        if let dot = b.firstIndex(of: UInt8(ascii: ".")) { scale = max(scale, b.count - dot - 1) }
                    } else { number = false }
                }
                if boolean, case .failure = FieldParsers.boolean(b) { boolean = false }
                if date, case .failure = FieldParsers.date(b) { date = false }
                if !number, !boolean, !date { return }
            }
        }
        guard any else { return .string }
        if boolean { return .boolean }
        if date { return .date }
        if number { return .number(scale: scale) }
        return .string
    }
}
