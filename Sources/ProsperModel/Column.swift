/// One typed column of the dataset. Every representation is a flat buffer with a
/// sentinel for "no value", so compiled rules test for null without a second array.
public enum Column: Sendable {
    case number(NumberColumn)
    case boolean(BooleanColumn)
    case date(DateColumn)
    case string(StringColumn)
    case productSet(ProductSetColumn)

    /// Number of rows.
    public var count: Int {
        switch self {
        case .number(let c): c.values.count
        case .boolean(let c): c.values.count
        case .date(let c): c.values.count
        case .string(let c): c.count
        case .productSet(let c): c.bits.count
        }
    }

    /// The type rules see for this column.
    public var kind: FieldKind {
        switch self {
        case .number(let c): .number(scale: c.scale)
        case .boolean: .boolean
        case .date: .date
        case .string: .string
        case .productSet: .productSet
        }
    }
}

/// Exact decimal numbers as integers scaled by 10^`scale` (money: scale 2, cents).
/// `Int64.min` marks null.
public struct NumberColumn: Sendable {
    public static let null: Int64 = .min
    public let values: ColumnBuffer<Int64>
    /// Decimal places: the stored integer is the value times 10^scale.
    public let scale: Int
    public init(values: [Int64], scale: Int) {
        self.values = ColumnBuffer(values)
        self.scale = scale
    }
    public init(buffer: ColumnBuffer<Int64>, scale: Int) {
        self.values = buffer
        self.scale = scale
    }
}

/// Three-valued booleans, encoded so that `and` is `min`, `or` is `max` and
/// `not` is `2 - x`: 0 false, 1 null, 2 true.
public struct BooleanColumn: Sendable {
    public static let falseValue: UInt8 = 0, null: UInt8 = 1, trueValue: UInt8 = 2
    public let values: ColumnBuffer<UInt8>
    public init(values: [UInt8]) { self.values = ColumnBuffer(values) }
    public init(buffer: ColumnBuffer<UInt8>) { self.values = buffer }
    public init(_ bools: [Bool]) { self.values = ColumnBuffer(bools.map { $0 ? 2 : 0 }) }
}

/// Dates as day numbers (see `Day`); `Int32.min` marks null.
public struct DateColumn: Sendable {
    public static let null: Int32 = .min
    public let values: ColumnBuffer<Int32>
    public init(values: [Int32]) { self.values = ColumnBuffer(values) }
    public init(buffer: ColumnBuffer<Int32>) { self.values = buffer }
}

/// Dictionary-encoded text: each row holds a code into `dictionary`; -1 marks null.
/// When `codes` is nil the column is the dictionary itself (row i has code i), which
/// suits unique values such as customer ids.
public struct StringColumn: Sendable {
    public static let null: Int32 = -1
    public let codes: ColumnBuffer<Int32>?
    public let dictionary: TextList
    /// True when the column has no codes and its texts are strictly ascending in byte
    /// order, row by row: then comparing two rows' texts is comparing the rows. Ingestion
    /// sets it for customer ids that arrive sorted (the usual case), so sorting results by
    /// customer id compares integers instead of texts.
    public let byteOrdered: Bool

    public init(codes: [Int32], dictionary: [String]) {
        self.init(codeBuffer: ColumnBuffer(codes), dictionary: TextList(dictionary))
    }

    /// A column over existing codes (each in `-1 ..< dictionary.count`).
    public init(codeBuffer: ColumnBuffer<Int32>, dictionary: [String]) {
        self.init(codeBuffer: codeBuffer, dictionary: TextList(dictionary))
    }

    /// A column over existing codes (each in `-1 ..< dictionary.count`).
    public init(codeBuffer: ColumnBuffer<Int32>, dictionary: TextList) {
        self.codes = codeBuffer
        self.dictionary = dictionary
        byteOrdered = false
    }

    /// A column whose row i is `values[i]` (no nulls). `byteOrdered` must be true only
    /// when `values` is strictly ascending in byte order (checked in debug builds).
    public init(unique values: [String], byteOrdered: Bool = false) {
        self.init(unique: TextList(values), byteOrdered: byteOrdered)
    }

    /// A column whose row i is `values[i]` (no nulls), e.g. customer ids kept packed.
    /// `byteOrdered` must be true only when the texts are strictly ascending in byte order
    /// (checked in debug builds).
    public init(unique values: TextList, byteOrdered: Bool = false) {
        self.codes = nil
        self.dictionary = values
        assert(!byteOrdered || values.indices.dropFirst().allSatisfy { values.less($0 - 1, $0) }, "byteOrdered texts out of order")
        self.byteOrdered = byteOrdered
    }

    /// Whether row `a`'s text comes before row `b`'s in byte order (nulls first).
    public func precedes(_ a: Int, _ b: Int) -> Bool {
        if byteOrdered { return a < b }
        let ca = code(a), cb = code(b)
        if ca < 0 || cb < 0 { return ca < 0 && cb >= 0 }
        return dictionary.less(Int(ca), Int(cb))
    }

    /// Encodes `values` (nil = null) with a dictionary in order of first appearance.
    public init(encoding values: [String?]) {
        var interner = StringInterner()
        let codes = values.map { v in v.map { interner.code($0) } ?? StringColumn.null }
        self.init(codes: codes, dictionary: interner.dictionary)
    }

    public var count: Int { codes?.count ?? dictionary.count }

    /// The code of row `row`.
    @inlinable public func code(_ row: Int) -> Int32 {
        if let codes { return codes[row] }
        return Int32(truncatingIfNeeded: row)
    }

    /// The text of row `row`, nil when null.
    public func value(_ row: Int) -> String? {
        let c = code(row)
        return c < 0 ? nil : dictionary[Int(c)]
    }
}

/// Sets of products as bitsets over `universe` (at most 64 products in a dataset).
public struct ProductSetColumn: Sendable {
    public static let maxProducts = 64
    public let bits: ColumnBuffer<UInt64>
    /// Product names; bit i stands for `universe[i]`.
    public let universe: [String]
    public init(bits: [UInt64], universe: [String]) {
        self.bits = ColumnBuffer(bits)
        self.universe = universe
    }

    /// A column over existing bitsets (bits only below `universe.count`).
    public init(buffer: ColumnBuffer<UInt64>, universe: [String]) {
        self.bits = buffer
        self.universe = universe
    }

    /// Product names of row `row`, in universe order.
    public func names(_ row: Int) -> [String] {
        var out: [String] = []
        var b = bits[row]
        while b != 0 {
            let i = b.trailingZeroBitCount
            out.append(universe[i])
            b &= b &- 1
        }
        return out
    }
}
