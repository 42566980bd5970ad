import ProsperModel

/// Why a row was rejected. The raw values are stable identifiers (used in the JSON
/// report and the rejects file).
public enum RejectionReason: String, Sendable, CaseIterable, Comparable {
    case wrongFieldCount = "wrong_field_count"
    case malformedQuoting = "malformed_quoting"
    case malformedJSON = "malformed_json"
    case invalidUTF8 = "invalid_utf8"
    case emptyRequired = "empty_required_value"
    case notInteger = "not_a_whole_number"
    case outOfRange = "out_of_range"
    case notDate = "not_a_date"
    case impossibleDate = "impossible_date"
    case notBoolean = "not_a_boolean"
    case notMoney = "not_an_amount"
    case negativeMoney = "negative_amount"
    case tooManyDecimals = "too_many_decimals"
    case lastActiveBeforeSignup = "last_active_before_signup"
    case duplicateCustomer = "duplicate_customer_id"
    case unknownCustomer = "unknown_customer"
    case rejectedCustomer = "customer_rejected"
    case unknownStatus = "unknown_status"
    case duplicateActiveProduct = "duplicate_active_product"
    case tooManyProducts = "too_many_products"
    case customValue = "custom_attribute_type"
    case mapping = "mapping_error"
    case textTooLong = "text_too_long"
    case amountTooLarge = "amount_too_large"
    case dateOutOfRange = "date_out_of_range"
    case tooManyColumns = "too_many_columns"
    case duplicateKey = "duplicate_key"
    case tooManyAttributes = "too_many_custom_attributes"
    case tooManyProblems = "more_problems"
    case unallocatedAmount = "unallocated_amount"

    /// A short label for people.
    public var label: String {
        switch self {
        case .wrongFieldCount: "wrong number of fields"
        case .malformedQuoting: "malformed quoting"
        case .malformedJSON: "malformed JSON"
        case .invalidUTF8: "invalid UTF-8"
        case .emptyRequired: "empty required value"
        case .notInteger: "not a whole number"
        case .outOfRange: "value out of range"
        case .notDate: "not a date"
        case .impossibleDate: "impossible date"
        case .notBoolean: "not true/false"
        case .notMoney: "not an amount"
        case .negativeMoney: "negative amount"
        case .tooManyDecimals: "more than 2 decimals"
        case .lastActiveBeforeSignup: "last activity before signup"
        case .duplicateCustomer: "duplicate customer id"
        case .unknownCustomer: "unknown customer"
        case .rejectedCustomer: "customer was rejected"
        case .unknownStatus: "unknown status"
        case .duplicateActiveProduct: "duplicate active product"
        case .tooManyProducts: "too many products"
        case .customValue: "custom attribute type"
        case .mapping: "mapping"
        case .textTooLong: "text too long"
        case .amountTooLarge: "amount too large"
        case .dateOutOfRange: "date out of range"
        case .tooManyColumns: "too many columns or keys"
        case .duplicateKey: "duplicate key"
        case .tooManyAttributes: "too many custom attributes"
        case .tooManyProblems: "more problems in the row"
        case .unallocatedAmount: "amount with no product"
        }
    }

    public static func < (a: Self, b: Self) -> Bool {
        let order = allCases
        return (order.firstIndex(of: a) ?? 0) < (order.firstIndex(of: b) ?? 0)
    }
}

/// One problem with one row: where it is, which field, and why.
///
/// `description` is the report line, `file:line:column: field: message`, e.g.
/// `customers.csv:4:27: employees: expected a whole number, got "12a"`.
public struct Rejection: Sendable, Hashable, CustomStringConvertible {
    /// The file name as reported (the last path component).
    public let file: String
    /// 1-based line and column (characters) where the offending value starts.
    public let line: Int
    public let column: Int
    /// The contract field, or nil for a problem with the row as a whole.
    public let field: String?
    public let reason: RejectionReason
    public let message: String

    public init(file: String, line: Int, column: Int, field: String?, reason: RejectionReason, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.field = field
        self.reason = reason
        self.message = message
    }

    /// The line that stands for a row's problems past `IngestLimits.maxProblemsPerRow`.
    static func unlisted(_ count: Int, file: String, at position: (line: Int, column: Int)) -> Rejection {
        Rejection(file: file, line: position.line, column: position.column, field: nil, reason: .tooManyProblems,
                  message: "\(count) more problem\(count == 1 ? "" : "s") in this row (at most \(IngestLimits.maxProblemsPerRow) are listed a row)")
    }

    public var description: String {
        if let field { return "\(file):\(line):\(column): \(field): \(message)" }
        return "\(file):\(line):\(column): \(message)"
    }
}

/// Quotes `text` for a message: `"text"`, shortened past 40 Unicode scalars (so a
/// value of many megabytes costs a message of a few dozen bytes), with control
/// characters escaped.
func quoted(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
    // 40 scalars take at most 160 bytes; one more byte tells whether there is more.
    let head = UnsafeBufferPointer(rebasing: bytes[..<min(bytes.count, 161)])
    var out = "\""
    var n = 0
    for ch in String(decoding: head, as: UTF8.self).unicodeScalars {
        if n == 40 { out += "…"; break }
        n += 1
        switch ch {
        case "\"": out += "\\\""
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        default:
            // C0, DEL, C1 and bidirectional controls are shown, never sent to a terminal.
            if VisibleText.needsEscape(ch) { out += "\\u{\(String(ch.value, radix: 16))}" } else { out.unicodeScalars.append(ch) }
        }
    }
    return out + "\""
}

func quoted(_ text: String) -> String {
    var t = text
    return t.withUTF8 { quoted($0) }
}
