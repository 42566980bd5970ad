import Foundation
import ProsperData
import ProsperModel
import ProsperSQL

/// The validated data set written as the tables of the data contract (plus
/// `prosper_ord`, each customer's place in the source) and the `prosper_dataset` table
/// that records the as-of date, the fingerprint and the custom attributes.
enum LoadedTables {
    /// Writes `customers.csv` and `subscriptions.csv` (RFC 4180, every text quoted, an
    /// empty unquoted field for null) into `folder`.
    static func writeCSV(_ d: Dataset, to folder: String) throws(EngineError) {
        for f in d.schema.fields where f.name == SQLTables.orderColumn {
            throw EngineError("the data has a column named \(f.name), which load keeps for the customers' order; rename it in the mapping")
        }
        try write(folder + "/customers.csv") { out in
            out.line(["prosper_ord"] + storedFields(d).map(\.name).map(quote))
            let fields = storedFields(d)
            let columns = fields.map { d.column($0.name) }
            for row in 0..<d.count {
                var cells = [String(row)]
                for c in columns { cells.append(c.map { text($0, row) } ?? "") }
                out.line(cells)
            }
        }
        try write(folder + "/subscriptions.csv") { out in
            out.line(["customer_id", "product", "monthly_price", "start_date", "status"].map(quote))
            let s = d.subscriptions
            guard case .string(let ids)? = d.column("customer_id") else { return }
            for c in 0..<d.count {
                let id = quote(ids.value(c) ?? "")
                for k in Int(s.offsets[c])..<Int(s.offsets[c + 1]) {
                    let product = Int(s.product[k]) < s.products.count ? s.products[Int(s.product[k])] : ""
                    out.line([id, quote(product), Money.plain(s.price[k]), Day(number: s.startDate[k]).description, s.active[k] == 1 ? "\"active\"" : "\"cancelled\""])
                }
            }
        }
    }

    /// The contract and custom fields stored as columns (derived ones are recomputed by the engine).
    static func storedFields(_ d: Dataset) -> [FieldInfo] {
        d.schema.fields.filter { $0.origin != .derived }
    }

    /// The key/value rows of `prosper_dataset`.
    static func metadata(_ d: Dataset, source: String) -> [(String, String)] {
        var rows: [(String, String)] = [("format", "prosper-dataset 1"), ("as_of", d.asOf.description), ("fingerprint", d.fingerprint),
                                        ("customers", String(d.count)), ("source", source)]
        for f in d.schema.fields where f.origin == .custom {
            rows.append(("attribute:" + f.name, kindText(f.kind)))
        }
        // The products, so that rules can be checked without reading the subscriptions.
        for p in d.products { rows.append(("product:" + p, "")) }
        return rows
    }

    static func kindText(_ k: FieldKind) -> String {
        switch k {
        case .number(let s): "number:\(s)"
        case .string: "string"
        case .boolean: "boolean"
        case .date: "date"
        case .productSet: "list"
        }
    }

    static func kind(_ text: String) -> FieldKind? {
        switch text {
        case "string": return .string
        case "boolean": return .boolean
        case "date": return .date
        default:
            guard text.hasPrefix("number:"), let s = Int(text.dropFirst(7)), s >= 0, s <= 6 else { return nil }
            return .number(scale: s)
        }
    }

    /// The cell of `row` as CSV text.
    static func text(_ c: Column, _ row: Int) -> String {
        switch c {
        case .string(let s): return s.value(row).map(quote) ?? ""
        case .number(let n):
            let v = n.values[row]
            return v == NumberColumn.null ? "" : Decimal64Text.plain(v, scale: n.scale)
        case .boolean(let b):
            switch b.values[row] {
            case BooleanColumn.trueValue: return "true"
            case BooleanColumn.falseValue: return "false"
            default: return ""
            }
        case .date(let dc):
            let v = dc.values[row]
            return v == DateColumn.null ? "" : Day(number: v).description
        case .productSet: return ""
        }
    }

    static func quote(_ s: String) -> String {
        var out = "\""
        for ch in s.unicodeScalars {
            if ch == "\"" { out += "\"\"" } else { out.unicodeScalars.append(ch) }
        }
        return out + "\""
    }

    /// Writes one table file through the one atomic writer (`AtomicOutputFile`): a full
    /// disk or a vanished folder is an error naming the file, and a failed write leaves no
    /// half file behind.
    private static func write(_ path: String, _ body: (inout CSVWriter) -> Void) throws(EngineError) {
        let file: AtomicOutputFile
        do throws(DataFileError) { file = try AtomicOutputFile(path: path) } catch { throw EngineError(error.description) }
        var w = CSVWriter(file: file)
        body(&w)
        w.flush()
        do throws(DataFileError) { try file.commit() } catch { throw EngineError(error.description) }
    }
}

/// Exact decimal text of a scaled integer (`12345`, scale 2 → `123.45`).
enum Decimal64Text {
    static func plain(_ v: Int64, scale: Int) -> String {
        guard scale > 0 else { return String(v) }
        let digits = String(v.magnitude)
        let padded = String(repeating: "0", count: max(0, scale + 1 - digits.count)) + digits
        let cut = padded.index(padded.endIndex, offsetBy: -scale)
        return (v < 0 ? "-" : "") + padded[..<cut] + "." + padded[cut...]
    }
}

/// Buffered line writer into an atomic output file.
struct CSVWriter {
    let file: AtomicOutputFile
    var buffer: [UInt8] = []

    init(file: AtomicOutputFile) {
        self.file = file
        buffer.reserveCapacity(1 << 20)
    }

    mutating func line(_ cells: [String]) {
        for (i, c) in cells.enumerated() {
            if i > 0 { buffer.append(UInt8(ascii: ",")) }
            buffer.append(contentsOf: c.utf8)
        }
        buffer.append(UInt8(ascii: "\n"))
        if buffer.count >= 1 << 20 { flush() }
    }

    mutating func flush() {
        if !buffer.isEmpty { file.write(bytes: buffer) }
        buffer.removeAll(keepingCapacity: true)
    }
}
