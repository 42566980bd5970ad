import ProsperModel
import ProsperRules

/// A first mapping file for a CSV export (`prosper-rules init --from-data FILE`): every
/// column of the header with the type its values suggest, columns named like a contract
/// field mapped to it, placeholders for the other contract fields. The stub loads and
/// ingests as it is; the analyst then maps the placeholders to real columns.
package enum MappingStub {
    /// What a column's values look like.
    package enum ColumnType: String, Sendable, Equatable {
        /// `money`: amounts written with `$` or thousands separators (`$1,234.50`), read
        /// with `convert: money` as a number. `decimal`: numbers with 3 to 6 decimals
        /// (`46.035`), kept exact by an attribute without `type:`.
        case integer, number, decimal, money, date, boolean, text
    }

    /// A column of the source and what its sampled values look like.
    package struct Column: Sendable, Equatable {
        package let name: String
        package let type: ColumnType
        /// The first non-blank value seen (shown as an example), nil when all were blank.
        package let example: String?
        /// How many sampled rows have a non-blank value.
        package var filled = 0
        /// The distinct non-blank values, sorted (numerically for integers); nil when
        /// there are more than `MappingStub.maxCodes`.
        package var distinct: [String]? = nil
        /// Whether no two sampled non-blank values are equal.
        package var unique = false
        /// The most decimals of a sampled number (0 for other types).
        package var decimals = 0
        /// The most characters of a sampled value.
        package var longest = 0
    }

    /// What `init --from-data` learnt from a file: its columns from the sample, and
    /// counts of the rows.
    package struct Sample: Sendable, Equatable {
        package var columns: [Column]
        /// Data rows sampled (the first `sampleRows`), readable or not.
        package var rows = 0
        /// Data rows in the whole file (blank lines excluded), readable or not.
        package var totalRows = 0
        /// Sampled rows that are byte-for-byte copies of an earlier sampled row.
        package var exactCopies = 0
        /// Sampled rows the CSV reader cannot read (wrong field count, broken quoting,
        /// bad UTF-8), and the first one's `line N: reason`.
        package var unreadable = 0
        package var firstUnreadable: String? = nil
    }

    /// Rows looked at per column.
    package static let sampleRows = 1000
    /// Distinct values kept per column (codes, bands).
    package static let maxCodes = 10

    /// The columns of `sample(path:)`.
    package static func columns(path: String, sampleRows: Int = sampleRows) throws(DataFileError) -> [Column] {
        try sample(path: path, sampleRows: sampleRows).columns
    }

    /// Reads the header and up to `sampleRows` rows of the CSV file at `path` for the
    /// columns, and counts the rest of the file's rows (for the width of generated ids).
    package static func sample(path: String, sampleRows: Int = sampleRows) throws(DataFileError) -> Sample {
        let stream = try CSVRecordStream(path: path, chunkSize: 1 << 16)
        guard let header = try stream.header(file: path) else {
            throw DataFileError(path: path, line: 1, column: 1, message: "the file is empty; expected a header row")
        }
        if let k = header.firstIndex(where: { $0.unicodeScalars.contains { ($0.value < 32 && $0 != "\t") || $0.value == 127 || $0 == "\u{FFFD}" } }) {
            throw DataFileError(path: path, line: 1, column: 1, message: "the header's column \(k + 1) holds control characters or bytes that are not UTF-8 text: this does not look like a CSV export")
        }
        var values = [[String]](repeating: [], count: header.count)
        var result = Sample(columns: [])
        var seen: Set<[UInt8]> = []
        struct Enough: Error {}
        do {
            try stream.forEachRecord(file: path) { row in
                guard result.rows < sampleRows else { throw Enough() }
                result.rows += 1
                switch row {
                case .unreadable(let rejection, _):
                    result.unreadable += 1
                    if result.firstUnreadable == nil { result.firstUnreadable = "line \(rejection.line): \(rejection.message)" }
                case .record(let cells, _, _, let raw):
                    if !seen.insert(Array(raw)).inserted { result.exactCopies += 1 }
                    for (k, cell) in cells.enumerated() where k < values.count {
                        let t = cell.trimmingASCIIWhitespace()
                        if !t.isEmpty { values[k].append(t) }
                    }
                }
            }
            result.totalRows = result.rows
        } catch is Enough {
            // The record that did not fit the sample is counted with the rest.
            result.totalRows = try result.rows + 1 + stream.countRemainingRecords()
        } catch let e as DataFileError {
            throw e
        } catch {
            throw DataFileError(path: path, message: "\(error)")
        }
        result.columns = header.enumerated().map { k, name in column(name, values[k]) }
        return result
    }

    /// A column's summary from its non-blank sampled values.
    static func column(_ name: String, _ values: [String]) -> Column {
        let type = infer(values)
        var c = Column(name: name, type: type, example: values.first)
        c.filled = values.count
        let set = Set(values)
        c.unique = set.count == values.count
        c.longest = values.reduce(0) { max($0, $1.count) }
        if set.count <= maxCodes {
            c.distinct = type == .integer ? set.sorted { (Int64($0) ?? 0, $0) < (Int64($1) ?? 0, $1) } : set.sorted()
        }
        if type == .number || type == .decimal {
            c.decimals = values.reduce(0) { m, v in max(m, v.split(separator: ".", omittingEmptySubsequences: false).dropFirst().first?.count ?? 0) }
        }
        return c
    }

    /// The type every value fits: integer, number (at most 2 decimals), decimal (up to
    /// 6), money, date (YYYY-MM-DD), boolean (yes/no, true/false, y/n, t/f), else text.
    /// No values: text.
    package static func infer(_ values: [String]) -> ColumnType {
        guard !values.isEmpty else { return .text }
        if values.allSatisfy(isInteger) { return .integer }
        if values.allSatisfy({ isInteger($0) || isDecimal($0) }) { return .number }
        if values.allSatisfy({ isInteger($0) || isDecimal($0, places: 6) }) { return .decimal }
        if values.allSatisfy({ v in
            let bare = String(v.unicodeScalars.filter { $0 != "$" && $0 != "," && $0 != " " })
            return !bare.hasPrefix("-") && (isInteger(bare) || isDecimal(bare))
        }) { return .money }
        if values.allSatisfy({ Day(iso: $0) != nil }) { return .date }
        if values.allSatisfy({ booleanWords.contains($0.lowercased()) }) { return .boolean }
        return .text
    }

    static let booleanWords: Set<String> = ["yes", "no", "true", "false", "y", "n", "t", "f"]

    static func isInteger(_ s: String) -> Bool {
        let digits = s.hasPrefix("-") ? s.dropFirst() : Substring(s)
        return !digits.isEmpty && digits.count <= 18 && digits.utf8.allSatisfy { $0 >= 48 && $0 <= 57 }
    }

    static func isDecimal(_ s: String, places: Int = 2) -> Bool {
        let body = s.hasPrefix("-") ? s.dropFirst() : Substring(s)
        let parts = body.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty, parts[0].count <= 15, parts[1].count <= places else { return false }
        return parts.allSatisfy { $0.utf8.allSatisfy { $0 >= 48 && $0 <= 57 } }
    }

    /// A name rules can use for a column: lower case, `_` for anything else, never
    /// starting with a digit (`Monthly Charges` → `monthly_charges`).
    package static func fieldName(_ column: String) -> String {
        var out = ""
        var previousWasLower = false
        for u in column.unicodeScalars {
            let v = u.value
            if v >= 65 && v <= 90 {
                // camelCase → camel_case
                if previousWasLower { out += "_" }
                out.unicodeScalars.append(Unicode.Scalar(v + 32) ?? "_")
                previousWasLower = false
            } else if (v >= 97 && v <= 122) || (v >= 48 && v <= 57) {
                out.unicodeScalars.append(u)
                previousWasLower = true
            } else {
                if !out.hasSuffix("_") { out += "_" }
                previousWasLower = false
            }
        }
        while out.hasSuffix("_") { out.removeLast() }
        while out.hasPrefix("_") { out.removeFirst() }
        if out.isEmpty { return "column" }
        if let f = out.utf8.first, f >= 48 && f <= 57 { out = "c_" + out }
        return out
    }

    /// The name a mapping expression uses for a column: lower case, every run of other
    /// characters one `_` (`Customer Value` → `customer_value`, `Call  Failure` →
    /// `call_failure`).
    package static func expressionName(_ column: String) -> String {
        // The name mapping expressions resolve (ColumnName.expressionName), so proposals work.
        let name = ColumnName.expressionName(column)
        return name.isEmpty ? "column" : name
    }

    /// A YAML scalar for a name or path: plain when safe, else double-quoted.
    package static func quoted(_ s: String) -> String {
        let plain = !s.isEmpty && s.unicodeScalars.allSatisfy { ($0.value >= 48 && $0.value <= 57) || ($0.value >= 65 && $0.value <= 90) || ($0.value >= 97 && $0.value <= 122) || $0 == "_" || $0 == " " || $0 == "-" || $0 == "." }
            && !s.hasPrefix(" ") && !s.hasSuffix(" ") && !s.contains("  ") && !s.hasPrefix("-") && !["null", "true", "false", "yes", "no", "~"].contains(s.lowercased())
        if plain { return s }
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            default:
                if u.value < 32 || u.value == 127 { out += "\\x" + String(u.value, radix: 16).leftPadded(2) } else { out.unicodeScalars.append(u) }
            }
        }
        return out + "\""
    }
}

extension String {
    fileprivate func leftPadded(_ n: Int) -> String { String(repeating: "0", count: max(0, n - count)) + self }
}
