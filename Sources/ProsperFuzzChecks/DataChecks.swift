import ProsperData
import ProsperModel
import ProsperRules

/// Data files through `Ingestor`: every row counted once, every rejection and file
/// error positioned inside its file, the same report twice.
enum DataChecks {
    static func customers(_ bytes: [UInt8]) -> [FuzzViolation] {
        csv(files: ["customers.csv": bytes, "subscriptions.csv": Array(FixedData.subscriptionsCSV.utf8)])
    }

    static func subscriptions(_ bytes: [UInt8]) -> [FuzzViolation] {
        csv(files: ["customers.csv": Array(FixedData.customersCSV.utf8), "subscriptions.csv": bytes])
    }

    static func jsonLines(_ bytes: [UInt8]) -> [FuzzViolation] {
        guard let dir = ScratchFolder(), let path = dir.write("customers.jsonl", bytes) else { return scratch }
        let files = ["customers.jsonl": bytes]
        return twice(files: files) { () throws(DataFileError) in try Ingestor.ingest(path: path, options: options) }
    }

    private static func csv(files: [String: [UInt8]]) -> [FuzzViolation] {
        guard let dir = ScratchFolder() else { return scratch }
        for (name, bytes) in files where dir.write(name, bytes) == nil { return scratch }
        let path = dir.path
        return twice(files: files) { () throws(DataFileError) in try Ingestor.ingest(path: path, options: options) }
            + split(path: path, files: files)
    }

    /// Reading each file in two parts (`CSVTailSplit`, at offsets the input's bytes pick)
    /// gives what reading it whole gives. Records past 4 KiB count as too long here (64 MiB
    /// normally), so that the tail's rule for them is reached too.
    private static func split(path: String, files: [String: [UInt8]]) -> [FuzzViolation] {
        var whole = options
        whole.collectRejects = false
        whole.maxRecordBytes = 4096
        let a = outcome { () throws(DataFileError) in try Ingestor.ingest(path: path, options: whole) }
        var out: [FuzzViolation] = []
        for salt: UInt64 in [1, 2] {
            let at = { (name: String) -> Int64 in
                let b = files[name] ?? []
                // FNV-1a of the bytes: an offset anywhere in the file, different per input.
                var h: UInt64 = 0xCBF2_9CE4_8422_2325 &+ salt
                for x in b { h = (h ^ UInt64(x)) &* 0x100_0000_01B3 }
                return b.isEmpty ? 0 : Int64(h % UInt64(b.count))
            }
            var parts = whole
            parts.tailSplitAt = (at("customers.csv"), at("subscriptions.csv"))
            let b = outcome { () throws(DataFileError) in try Ingestor.ingest(path: path, options: parts) }
            if summary(a) != summary(b) {
                out.append(FuzzViolation("split", "reading the files in two parts (customers from byte \(at("customers.csv")), subscriptions from byte \(at("subscriptions.csv"))) gave a different report"))
            }
        }
        return out
    }

    // Small chunks: every chunk boundary of a 16 KiB input is exercised, and no 4 MiB
    // buffer is allocated (and poisoned by ASan) per run, which kept the CSV targets at ~30
    // runs a second.
    static let options: IngestOptions = {
        var o = IngestOptions(collectRejects: true, parallel: false)
        o.chunkSize = 1024
        return o
    }()
    static let scratch = [FuzzViolation("scratch", "cannot write the input to a temporary folder")]

    /// Ingests twice: the invariants of the first result, and the same outcome both times.
    private static func twice(files: [String: [UInt8]], _ ingest: () throws(DataFileError) -> IngestResult) -> [FuzzViolation] {
        let a = outcome(ingest), b = outcome(ingest)
        var out: [FuzzViolation] = []
        switch a {
        case .success(let r): out += invariants(r, files: files)
        case .failure(let e): out += fileError(e, files: files)
        }
        if summary(a) != summary(b) {
            out.append(FuzzViolation("determinism", "ingesting the same files twice gave different reports"))
        }
        return out
    }

    private static func outcome(_ ingest: () throws(DataFileError) -> IngestResult) -> Result<IngestResult, DataFileError> {
        do throws(DataFileError) { return .success(try ingest()) } catch { return .failure(error) }
    }

    private static func summary(_ r: Result<IngestResult, DataFileError>) -> [String] {
        switch r {
        case .success(let x): [x.report.renderText(), x.report.renderJSON(), x.dataset?.fingerprint ?? "-", String(decoding: x.rejectsCSV, as: UTF8.self)]
        case .failure(let e): [e.description]
        }
    }

    /// The invariants of one ingestion result; `files` by the names reports use.
    static func invariants(_ r: IngestResult, files: [String: [UInt8]]) -> [FuzzViolation] {
        var out: [FuzzViolation] = []
        let tables = files.mapValues(LineTable.init)
        for t in r.report.tables {
            if t.rowsRead < 0 || t.rowsAccepted < 0 || t.rowsRejected < 0 || t.rowsAccepted + t.rowsRejected != t.rowsRead {
                out.append(FuzzViolation("row-count", "\(t.file): \(t.rowsAccepted) accepted + \(t.rowsRejected) rejected != \(t.rowsRead) read"))
            }
            for j in t.rejections {
                guard let lines = tables[j.file] else {
                    out.append(FuzzViolation("position", "rejection in unknown file '\(j.file)': \(j)"))
                    continue
                }
                if let p = lines.problem(line: j.line, column: j.column) { out.append(FuzzViolation("position", "\(j): \(p)")) }
            }
        }
        for e in r.report.fileErrors { out += fileError(e, files: files) }
        if let d = r.dataset {
            if d.count != r.report.customers {
                out.append(FuzzViolation("row-count", "the dataset has \(d.count) customers, the report says \(r.report.customers)"))
            }
            if let c = r.report.tables.first(where: { $0.table == "customers" }), c.rowsAccepted != d.count {
                out.append(FuzzViolation("row-count", "\(c.rowsAccepted) customers accepted, the dataset has \(d.count)"))
            }
        }
        return out
    }

    /// A file error with a place must be inside the file it names.
    static func fileError(_ e: DataFileError, files: [String: [UInt8]]) -> [FuzzViolation] {
        guard let line = e.line else { return [] }
        let name = e.path.split(separator: "/").last.map(String.init) ?? e.path
        guard let bytes = files[name] else { return [] }
        if let p = LineTable(bytes).problem(line: line, column: e.column ?? 1) { return [FuzzViolation("position", "\(e): \(p)")] }
        return []
    }
}
