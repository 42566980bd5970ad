#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ProsperModel

/// Output layout of the seeder.
public enum SeedFormat: String, Sendable, CaseIterable {
    /// `customers.csv` + `subscriptions.csv`.
    case csv
    /// `customers.jsonl`, subscriptions nested in each customer.
    case jsonl
}

/// What to generate.
public struct SeedOptions: Sendable {
    /// The random seed: the same seed (with the same count and date) gives the same files.
    public var seed: UInt64
    /// How many customers to write, 0 … `maxCustomers` (memory stays constant).
    public var customers: Int
    /// The most customers one run writes (about 200 GB of CSV): a mistyped count fails
    /// at once instead of filling the disk.
    public static let maxCustomers = 1_000_000_000
    /// The snapshot date the data is generated for (also the latest last_active_date).
    public var asOf: Day
    /// CSV (two files) or JSON Lines (one file).
    public var format: SeedFormat

    /// The default as-of date of `prosper-rules seed`.
    public static let defaultAsOf = Day(year: 2026, month: 11, day: 1) ?? Day(number: 20393)

    public init(seed: UInt64 = 1, customers: Int = 500, asOf: Day = SeedOptions.defaultAsOf, format: SeedFormat = .csv) {
        self.seed = seed
        self.customers = customers
        self.asOf = asOf
        self.format = format
    }
}

/// What the seeder wrote.
public struct SeedSummary: Sendable {
    public let customers: Int
    public let subscriptions: Int
    public let files: [String]
}

/// Writes a realistic, deterministic data set in the contract layout.
///
/// Customer i depends only on the seed, i and the as-of date (each has its own random
/// stream), so the same options give byte-identical files, and the first 500 customers
/// of a large data set equal a 500-customer one except for the id width. Memory stays
/// constant: rows are formatted into a 1 MiB buffer that is flushed as it fills.
public enum Seeder {
    /// Writes the data set into `directory` (created when missing). `progress` is called
    /// now and then with the number of customers written so far.
    public static func write(_ options: SeedOptions, to directory: String,
                             progress: ((Int) -> Void)? = nil) throws(DataFileError) -> SeedSummary {
        guard options.customers >= 0 else { throw DataFileError(path: directory, message: "the number of customers must be >= 0") }
        guard options.customers <= SeedOptions.maxCustomers else {
            throw DataFileError(path: directory, message: "the number of customers must be at most \(SeedOptions.maxCustomers)")
        }
        try makeDirectory(directory)
        let dir = directory.hasSuffix("/") ? String(directory.dropLast()) : directory
        let width = max(7, String(options.customers).count)
        let rows = try writeRows(in: dir, format: options.format, indices: options.customers, width: width, progress: progress) { i, customer in
            customer.generate(seed: options.seed, index: i, asOf: options.asOf)
            return true
        }
        var files = rows.files
        let subscriptionCount = rows.subscriptions
        try writeManifest(options, to: dir + "/seed.yaml")
        files.append(dir + "/seed.yaml")
        progress?(options.customers)
        return SeedSummary(customers: options.customers, subscriptions: subscriptionCount, files: files)
    }

    /// Writes the data files of `indices` customers into `dir`: `produce(i, &customer)`
    /// fills customer i and returns false to leave it out. Returns the files written, the
    /// customers and the subscription rows.
    static func writeRows(in dir: String, format: SeedFormat, indices: Int, width: Int, progress: ((Int) -> Void)?,
                          produce: (Int, inout SeedCustomer) -> Bool) throws(DataFileError) -> (files: [String], customers: Int, subscriptions: Int) {
        var subscriptionCount = 0, written = 0
        var customer = SeedCustomer()
        let names = NameBytes()
        switch format {
        case .csv:
            let cPath = dir + "/customers.csv", sPath = dir + "/subscriptions.csv"
            let c = try OutputFile(path: cPath), s = try OutputFile(path: sPath)
            c.buffer.append("customer_id,company_name,industry,region,employees,users,signup_date,last_active_date,support_tickets_90d,failed_payments_90d,nps,cancel_intent,churned\n")
            s.buffer.append("customer_id,product,monthly_price,start_date,status\n")
            for i in 0..<indices {
                if produce(i, &customer) {
                    SeedFormatter.csv(customer, width: width, names: names, customers: &c.buffer, subscriptions: &s.buffer)
                    subscriptionCount += customer.subscriptions.count
                    written += 1
                    try c.flushIfFull(); try s.flushIfFull()
                }
                if i & 0xFFFF == 0xFFFF { progress?(i + 1) }
            }
            try c.close(); try s.close()
            return ([cPath, sPath], written, subscriptionCount)
        case .jsonl:
            let path = dir + "/customers.jsonl"
            let f = try OutputFile(path: path)
            for i in 0..<indices {
                if produce(i, &customer) {
                    SeedFormatter.jsonLine(customer, width: width, names: names, into: &f.buffer)
                    subscriptionCount += customer.subscriptions.count
                    written += 1
                    try f.flushIfFull()
                }
                if i & 0xFFFF == 0xFFFF { progress?(i + 1) }
            }
            try f.close()
            return ([path], written, subscriptionCount)
        }
    }

    /// Records what was generated, including the as-of date (as the data contract asks).
    static func writeManifest(_ options: SeedOptions, to path: String) throws(DataFileError) {
        let text = """
            # Written by prosper-rules seed: the same options write the same files.
            seed: \(options.seed)
            customers: \(options.customers)
            as_of: \(options.asOf)
            format: \(options.format.rawValue)

            """
        try FileOutput.write(Array(text.utf8), to: path)
    }

    static func makeDirectory(_ path: String) throws(DataFileError) {
        var st = stat()
        if stat(path, &st) == 0 {
            guard (st.st_mode & S_IFMT) == S_IFDIR else { throw DataFileError(path: path, message: "exists and is not a folder") }
            return
        }
        var partial = path.hasPrefix("/") ? "" : "."
        for part in path.split(separator: "/") {
            partial += "/" + part
            if stat(partial, &st) == 0 { continue }
            guard mkdir(partial, 0o755) == 0 || errno == EEXIST else {
                throw DataFileError(path: path, message: "cannot create the folder: \(String(cString: strerror(errno)))")
            }
        }
    }
}

/// A file written through a 1 MiB buffer into an `AtomicOutputFile`: an exclusive
/// temporary file beside the destination (never through a planted link), renamed into
/// place by `close()`, removed if the run fails or is interrupted (SIGINT/SIGTERM), so a
/// seeded folder never holds half a file.
final class OutputFile {
    let path: String
    private let file: AtomicOutputFile
    var buffer = ByteBuffer(capacity: 1 << 20 + 4096)

    init(path: String) throws(DataFileError) {
        self.path = path
        file = try AtomicOutputFile(path: path)
    }

    @inline(__always)
    func flushIfFull() throws(DataFileError) {
        if buffer.count >= 1 << 20 { flush() }
    }

    func flush() {
        file.write(buffer.all)
        buffer.removeAll()
    }

    func close() throws(DataFileError) {
        flush()
        try file.commit()
    }
}

/// The seeder's text pieces as bytes, made once.
struct NameBytes {
    let a = SeedModel.nameA.map { Array($0.utf8) }
    let b = SeedModel.nameB.map { Array($0.utf8) }
    let c = SeedModel.nameC.map { Array($0.utf8) }
    let industries = SeedModel.industries.map { Array($0.utf8) }
    let regions = SeedModel.regions.map { Array($0.utf8) }
    let products = SeedModel.catalogue.map { Array($0.name.utf8) }
}

/// Formats generated customers as contract CSV rows or JSON Lines.
enum SeedFormatter {
    static func id(_ index: Int, width: Int, into out: inout ByteBuffer) {
        out.append(UInt8(ascii: "C"))
        out.append(padded: index + 1, width: width)
    }

    /// The company name, unquoted (`quoteDoubled` doubles `"` for CSV, else escapes for JSON).
    static func name(_ c: SeedCustomer, names: NameBytes, escapeQuote: [UInt8], into out: inout ByteBuffer) {
        let a = names.a[c.nameParts.0], b = names.b[c.nameParts.1], s = names.c[c.nameParts.2]
        if c.nameStyle == 2 {
            escapeQuote.withUnsafeBufferPointer { out.append($0) }
            a.withUnsafeBufferPointer { out.append($0) }
            escapeQuote.withUnsafeBufferPointer { out.append($0) }
        } else {
            a.withUnsafeBufferPointer { out.append($0) }
            if c.nameStyle == 1 { out.append(UInt8(ascii: ",")) }
        }
        out.append(UInt8(ascii: " "))
        b.withUnsafeBufferPointer { out.append($0) }
        if !s.isEmpty {
            out.append(UInt8(ascii: " "))
            s.withUnsafeBufferPointer { out.append($0) }
        }
    }

    static func csv(_ c: SeedCustomer, width: Int, names: NameBytes, customers out: inout ByteBuffer, subscriptions subs: inout ByteBuffer) {
        id(c.index, width: width, into: &out)
        out.append(UInt8(ascii: ","))
        if c.nameStyle != 0 {
            out.append(UInt8(ascii: "\""))
            name(c, names: names, escapeQuote: [34, 34], into: &out)
            out.append(UInt8(ascii: "\""))
        } else {
            name(c, names: names, escapeQuote: [], into: &out)
        }
        out.append(UInt8(ascii: ","))
        names.industries[c.industry].withUnsafeBufferPointer { out.append($0) }
        out.append(UInt8(ascii: ","))
        names.regions[c.region].withUnsafeBufferPointer { out.append($0) }
        out.append(UInt8(ascii: ","))
        out.append(decimal: Int64(c.employees))
        out.append(UInt8(ascii: ","))
        out.append(decimal: Int64(c.users))
        out.append(UInt8(ascii: ","))
        out.append(day: c.signup)
        out.append(UInt8(ascii: ","))
        out.append(day: c.lastActive)
        out.append(UInt8(ascii: ","))
        out.append(decimal: Int64(c.tickets))
        out.append(UInt8(ascii: ","))
        out.append(decimal: Int64(c.failedPayments))
        out.append(UInt8(ascii: ","))
        if c.nps >= 0 { out.append(decimal: Int64(c.nps)) }
        out.append(UInt8(ascii: ","))
        out.append(c.cancelIntent ? "true" as StaticString : "false")
        out.append(UInt8(ascii: ","))
        out.append(c.churned ? "true\n" as StaticString : "false\n")
        for s in c.subscriptions {
            id(c.index, width: width, into: &subs)
            subs.append(UInt8(ascii: ","))
            names.products[s.product].withUnsafeBufferPointer { subs.append($0) }
            subs.append(UInt8(ascii: ","))
            subs.append(cents: s.cents)
            subs.append(UInt8(ascii: ","))
            subs.append(day: s.start)
            subs.append(s.active ? ",active\n" as StaticString : ",cancelled\n")
        }
    }

    static func jsonLine(_ c: SeedCustomer, width: Int, names: NameBytes, into out: inout ByteBuffer) {
        out.append("{\"customer_id\":\"" as StaticString)
        id(c.index, width: width, into: &out)
        out.append("\",\"company_name\":\"" as StaticString)
        name(c, names: names, escapeQuote: [92, 34], into: &out)
        out.append("\",\"industry\":\"" as StaticString)
        names.industries[c.industry].withUnsafeBufferPointer { out.append($0) }
        out.append("\",\"region\":\"" as StaticString)
        names.regions[c.region].withUnsafeBufferPointer { out.append($0) }
        out.append("\",\"employees\":" as StaticString)
        out.append(decimal: Int64(c.employees))
        out.append(",\"users\":" as StaticString)
        out.append(decimal: Int64(c.users))
        out.append(",\"signup_date\":\"" as StaticString)
        out.append(day: c.signup)
        out.append("\",\"last_active_date\":\"" as StaticString)
        out.append(day: c.lastActive)
        out.append("\",\"support_tickets_90d\":" as StaticString)
        out.append(decimal: Int64(c.tickets))
        out.append(",\"failed_payments_90d\":" as StaticString)
        out.append(decimal: Int64(c.failedPayments))
        out.append(",\"nps\":" as StaticString)
        if c.nps >= 0 { out.append(decimal: Int64(c.nps)) } else { out.append("null" as StaticString) }
        out.append(",\"cancel_intent\":" as StaticString)
        out.append(c.cancelIntent ? "true" as StaticString : "false")
        out.append(",\"churned\":" as StaticString)
        out.append(c.churned ? "true" as StaticString : "false")
        out.append(",\"subscriptions\":[" as StaticString)
        for (k, s) in c.subscriptions.enumerated() {
            out.append(k == 0 ? "{\"product\":\"" as StaticString : ",{\"product\":\"")
            names.products[s.product].withUnsafeBufferPointer { out.append($0) }
            out.append("\",\"monthly_price\":" as StaticString)
            out.append(cents: s.cents)
            out.append(",\"start_date\":\"" as StaticString)
            out.append(day: s.start)
            out.append(s.active ? "\",\"status\":\"active\"}" as StaticString : "\",\"status\":\"cancelled\"}")
        }
        out.append("]}\n" as StaticString)
    }
}
