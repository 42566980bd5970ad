import Foundation
import Testing
import ProsperModel
@testable import ProsperData

/// A file read in two parts on two threads (`CSVTailSplit`) gives exactly what reading it
/// whole gives: the same dataset, the same rejections at the same lines, the same
/// warnings. Each case splits one file at many byte offsets, including offsets inside
/// quoted values with line breaks (the guess of a record start is wrong there) and
/// before duplicate or out-of-order ids (the parts cannot be merged there).
@Suite struct TailSplitTests {
    /// Everything a reader sees of an ingest: the report as text and JSON, and the
    /// dataset's fingerprint (a hash of every column).
    static func outcome(_ r: IngestResult) -> String {
        r.report.renderText() + "\n" + r.report.renderJSON() + "\n" + (r.dataset?.fingerprint ?? "no dataset")
    }

    static func ingest(_ dir: URL, customersAt: Int64? = nil, subscriptionsAt: Int64? = nil, maxRecordBytes: Int? = nil) throws -> IngestResult {
        var o = IngestOptions(parallel: false)
        o.chunkSize = 512
        if let maxRecordBytes { o.maxRecordBytes = maxRecordBytes }
        if customersAt != nil || subscriptionsAt != nil { o.tailSplitAt = (customersAt, subscriptionsAt) }
        return try Ingestor.ingest(path: dir.path, options: o)
    }

    /// Splits each file at `offsets` (and at every byte of the `around` windows) and
    /// checks each result against the whole read. Returns how many splits were merged.
    static func checkSplits(_ dir: URL, offsets: Int, around marks: [String] = [], maxRecordBytes: Int? = nil) throws -> (customers: Int, subscriptions: Int) {
        let whole = outcome(try ingest(dir, maxRecordBytes: maxRecordBytes))
        var merged = (customers: 0, subscriptions: 0)
        for file in ["customers.csv", "subscriptions.csv"] {
            let bytes = try Data(contentsOf: dir.appendingPathComponent(file))
            var at = Set(stride(from: 0, to: bytes.count, by: max(1, bytes.count / offsets)).map(Int64.init))
            for mark in marks {
                var from = bytes.startIndex, hits = 0
                while hits < 4, let r = bytes.range(of: Data(mark.utf8), in: from..<bytes.endIndex) {
                    hits += 1
                    for o in max(0, r.lowerBound - 3)...min(bytes.count, r.upperBound + 3) { at.insert(Int64(o)) }
                    from = r.upperBound
                }
            }
            for offset in at.sorted() {
                let split = file == "customers.csv" ? try ingest(dir, customersAt: offset, maxRecordBytes: maxRecordBytes)
                    : try ingest(dir, subscriptionsAt: offset, maxRecordBytes: maxRecordBytes)
                let got = outcome(split)
                if got != whole {
                    let a = whole.split(separator: "\n", omittingEmptySubsequences: false), b = got.split(separator: "\n", omittingEmptySubsequences: false)
                    let i = (0..<min(a.count, b.count)).first { a[$0] != b[$0] } ?? min(a.count, b.count)
                    Issue.record("\(file) split at byte \(offset): line \(i + 1) reads \(i < b.count ? String(b[i]) : "(nothing)") instead of \(i < a.count ? String(a[i]) : "(nothing)")")
                    return merged
                }
                if split.mergedTails.contains(file) {
                    if file == "customers.csv" { merged.customers += 1 } else { merged.subscriptions += 1 }
                }
            }
        }
        return merged
    }

    /// A seeded data set, made dirty or not, split at `offsets` offsets per file.
    struct SplitCase: Sendable, CustomTestStringConvertible {
        let name: String
        let seed: UInt64
        let customers: Int
        /// nil: the seeder's clean files; else `dirty(duplicates:)`.
        let duplicates: Bool?
        let offsets: Int
        /// Splits that must have been merged, per file (out-of-order ids merge none).
        let minimumMerged: Int
        var testDescription: String { name }
    }

    static let splitCases = [
        // Offsets in the header or in the head's first buffer still split (the tail starts
        // before the head reads a record); only the last line cannot.
        SplitCase(name: "clean files", seed: 5, customers: 400, duplicates: nil, offsets: 60, minimumMerged: 50),
        SplitCase(name: "rejections, warnings and quoted line breaks on both sides", seed: 6, customers: 400, duplicates: false,
                  offsets: 50, minimumMerged: 20),
        SplitCase(name: "duplicate ids: one reader", seed: 7, customers: 300, duplicates: true, offsets: 40, minimumMerged: 0),
    ]

    @Test(arguments: splitCases)
    func everySplitMatchesTheWholeRead(_ c: SplitCase) throws {
        let dir = try TestFiles.scratch("split\(c.seed)")
        _ = try Seeder.write(SeedOptions(seed: c.seed, customers: c.customers), to: dir.path)
        if let duplicates = c.duplicates { try Self.dirty(dir, duplicates: duplicates) }
        let marks = c.duplicates == nil ? [] : ["Break\"", "\r\n", "\n\n"]
        let merged = try Self.checkSplits(dir, offsets: c.offsets, around: marks)
        #expect(merged.customers >= c.minimumMerged)
        #expect(merged.subscriptions >= c.minimumMerged)
    }

    @Test func idsOutOfOrderFallBackToOneReader() throws {
        let dir = try TestFiles.scratch()
        _ = try Seeder.write(SeedOptions(seed: 8, customers: 300), to: dir.path)
        let url = dir.appendingPathComponent("customers.csv")
        var lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map(String.init)
        var rng = SeedRandom(seed: 3, stream: 1)
        for i in stride(from: lines.count - 1, to: 1, by: -1) { lines.swapAt(i, rng.int(1...i)) }
        try TestFiles.write(lines.joined(separator: "\n") + "\n", "customers.csv", in: dir)
        let merged = try Self.checkSplits(dir, offsets: 40)
        // Out of order ids cannot be merged without a duplicate check.
        #expect(merged.customers == 0)
    }

    @Test func productsPastTheLimitAcrossTheSeam() throws {
        let dir = try TestFiles.scratch()
        let header = Schema.contractFields.map(\.name).joined(separator: ",")
        var customers = [header], subscriptions = ["customer_id,product,monthly_price,start_date,status"]
        for c in 1...80 {
            let id = String(format: "C%04d", c)
            customers.append("\(id),Co \(c),Retail,West,\(c),1,2024-01-01,2024-02-01,0,0,,false,")
            // Product number c: the 65th and later are rejected, wherever the seam is.
            subscriptions.append("\(id),Product \(c),10.00,2024-01-01,active")
            subscriptions.append("\(id),Product 1,10.00,2024-01-01,cancelled")
        }
        try TestFiles.write(customers.joined(separator: "\n") + "\n", "customers.csv", in: dir)
        try TestFiles.write(subscriptions.joined(separator: "\n") + "\n", "subscriptions.csv", in: dir)
        let whole = try Self.ingest(dir)
        #expect(whole.report.tables[1].problemsByReason[.tooManyProducts] == 16)
        _ = try Self.checkSplits(dir, offsets: 80)
    }

    @Test func aQuoteThatNeverClosesInTheTail() throws {
        let dir = try TestFiles.scratch()
        _ = try Seeder.write(SeedOptions(seed: 9, customers: 200), to: dir.path)
        let url = dir.appendingPathComponent("customers.csv")
        var text = try String(contentsOf: url, encoding: .utf8)
        text += "C9999999,\"Open quote Co,Retail,West,1,1,2024-01-01,2024-02-01,0,0,,false,\nC9999998,Last,Retail,West,1,1,2024-01-01,2024-02-01,0,0,,false,\n"
        try TestFiles.write(text, "customers.csv", in: dir)
        _ = try Self.checkSplits(dir, offsets: 40, around: ["\"Open"])
    }

    @Test func recordsLongerThanTheLimitAreNotMergedFromATail() throws {
        // Where a one-pass read gives up on a record past `maxRecordBytes` (as a quote that
        // never closes) depends on its read buffer; a tail that meets such a record is
        // dropped. A limit of 2 KiB stands for 64 MiB.
        let dir = try TestFiles.scratch()
        _ = try Seeder.write(SeedOptions(seed: 13, customers: 200), to: dir.path)
        let url = dir.appendingPathComponent("customers.csv")
        var lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map(String.init)
        let long = String(repeating: "x", count: 3000)
        lines.insert("C0000050a,\"Long \(long)\",Retail,West,1,1,2024-01-01,2024-02-01,0,0,,false,", at: 51)
        lines.insert("C0000120a,\"Long \(long)\",Retail,West,1,1,2024-01-01,2024-02-01,0,0,,false,", at: 122)
        lines.insert("C0000160a,\"Open \(long),Retail,West,1,1,2024-01-01,2024-02-01,0,0,,false,", at: 163)
        try TestFiles.write(lines.joined(separator: "\n") + "\n", "customers.csv", in: dir)
        let whole = try Self.ingest(dir, maxRecordBytes: 2048)
        #expect(whole.report.tables[0].problemsByReason[.malformedQuoting] ?? 0 >= 1)
        _ = try Self.checkSplits(dir, offsets: 60, around: ["\"Long", "\"Open"], maxRecordBytes: 2048)
    }

    @Test func tablesThatAreReadWholeStayWhole() throws {
        // Custom attribute columns (their types are inferred from every value) and rejects
        // files (their lines hold line numbers) are not split.
        let dir = try TestFiles.scratch()
        _ = try Seeder.write(SeedOptions(seed: 14, customers: 300), to: dir.path)
        let url = dir.appendingPathComponent("customers.csv")
        let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map(String.init)
        let custom = [lines[0] + ",plan"] + lines.dropFirst().enumerated().map { i, l in l + (i % 7 == 0 ? ",gold" : ",\(i)") }
        try TestFiles.write(custom.joined(separator: "\n") + "\n", "customers.csv", in: dir)
        var whole = IngestOptions(collectRejects: true, parallel: false)
        whole.chunkSize = 512
        let reference = try Ingestor.ingest(path: dir.path, options: whole)
        for at in [Int64(3000), 9000, 15000] {
            var split = whole
            split.tailSplitAt = (at, at)
            let r = try Ingestor.ingest(path: dir.path, options: split)
            #expect(r.mergedTails.isEmpty, "split at byte \(at)")
            #expect(Self.outcome(r) == Self.outcome(reference))
            #expect(r.rejectsCSV == reference.rejectsCSV)
        }
    }

    @Test func aThreadStealingWhileTheHeadReadsMatchesTheWholeRead() throws {
        // The steal of a thread done with its own file, started while the head reads (at its
        // tenth buffer): the tail may only start past what the head may have read.
        let dir = try TestFiles.scratch()
        _ = try Seeder.write(SeedOptions(seed: 15, customers: 2000), to: dir.path)
        try Self.dirty(dir, duplicates: false)
        let whole = Self.outcome(try Self.ingest(dir))
        var merged: [String: Int] = [:]
        for _ in 0..<8 {
            var o = IngestOptions(parallel: false)
            o.chunkSize = 512
            o.tailSplitMinimumBytes = 1
            o.tailSplitAfterReads = 10
            let r = try Ingestor.ingest(path: dir.path, options: o)
            #expect(Self.outcome(r) == whole)
            for f in r.mergedTails { merged[f, default: 0] += 1 }
        }
        // A steal can lose the race to a head that read past its point; not eight times.
        #expect(merged["customers.csv", default: 0] > 0)
        #expect(merged["subscriptions.csv", default: 0] > 0)
    }

    @Test func splitsFromTheStealingThreadMatchTheWholeRead() throws {
        // The timing-driven split (no fixed offset): whatever thread finishes first,
        // the result is the same as one reader's.
        let dir = try TestFiles.scratch()
        _ = try Seeder.write(SeedOptions(seed: 10, customers: 3000), to: dir.path)
        try Self.dirty(dir, duplicates: false)
        let whole = Self.outcome(try Self.ingest(dir))
        for _ in 0..<10 {
            var o = IngestOptions(parallel: true)
            o.chunkSize = 4096
            o.tailSplitMinimumBytes = 1
            #expect(Self.outcome(try Ingestor.ingest(path: dir.path, options: o)) == whole)
        }
    }

    @Test(arguments: [false, true])
    func progressCountsEveryRowOnce(duplicates: Bool) throws {
        // Without duplicates the tails are merged; with them (ids out of order) they are
        // dropped and the head reads them again: either way each row is counted once.
        let dir = try TestFiles.scratch("progress\(duplicates)")
        _ = try Seeder.write(SeedOptions(seed: 12, customers: 300), to: dir.path)
        try Self.dirty(dir, duplicates: duplicates)
        let size = Int64(try Data(contentsOf: dir.appendingPathComponent("customers.csv")).count)
        var merged = 0
        for at in stride(from: size / 10, to: size, by: Int(size / 10)) {
            let sink = RecordingSink()
            var o = IngestOptions(parallel: false)
            o.chunkSize = 512
            o.progress = sink
            o.tailSplitAt = (at, at)
            let r = try Ingestor.ingest(path: dir.path, options: o)
            if r.mergedTails.contains("customers.csv") { merged += 1 }
            #expect(sink.totals.last == r.report.tables.map(\.rowsRead).reduce(0, +), "split at byte \(at)")
        }
        // A split inside a quoted line break is not merged either.
        if duplicates { #expect(merged == 0) } else { #expect(merged >= 6) }
    }

    /// Puts bad rows, quoted line breaks, doubled quotes, blank lines, CRLF line ends and
    /// late activity (as-of warnings) all through both files; with `duplicates`, also ids
    /// that repeat.
    static func dirty(_ dir: URL, duplicates: Bool) throws {
        var rng = SeedRandom(seed: 11, stream: 4)
        let cURL = dir.appendingPathComponent("customers.csv"), sURL = dir.appendingPathComponent("subscriptions.csv")
        let customers = try String(contentsOf: cURL, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var out = [customers[0]]
        var ids: [String] = [], rejected: [String] = []
        for line in customers.dropFirst() where !line.isEmpty {
            var f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            ids.append(f[0])
            // Rows the seeder quoted (a name with a comma or quotes) stay as they are.
            let change = line.contains("\"") ? -1 : rng.int(0...19)
            switch change {
            case 0: f[6] = "2024-13-01"
            case 1: f[4] = ""
            case 2: f[1] = "\"\(f[1]) Line\nBreak\""
            case 3: f[1] = "\"Big \"\"Q\"\" Co\""
            case 4: f.append("extra")
            case 5: out.append("")
            case 6: f[7] = "2027-06-01"
            case 7: f[1] = "\"Acme\" Inc"
            case 8 where duplicates && out.count > 2: f[0] = ids[ids.count - 2]
            case 9 where !rejected.isEmpty:
                // A row rejected again for an id rejected before: its subscriptions name
                // the first of the two lines.
                out.append("\(rejected[rng.int(0...(rejected.count - 1))]),Again,Retail,West,1,1,2024-13-01,2024-02-01,0,0,,false,")
            case 10 where ids.count > 3:
                // A rejected row whose id an earlier row has (and was accepted).
                out.append("\(ids[rng.int(0...(ids.count - 3))]),Later,Retail,West,-1,1,2024-01-01,2024-02-01,0,0,,false,")
            default: break
            }
            if change == 0 { rejected.append(f[0]) }
            out.append(f.joined(separator: ",") + (rng.int(0...15) == 0 ? "\r" : ""))
        }
        try TestFiles.write(out.joined(separator: "\n") + "\n", "customers.csv", in: dir)

        let subs = try String(contentsOf: sURL, encoding: .utf8).split(separator: "\n").map(String.init)
        var sOut = [subs[0]]
        for line in subs.dropFirst() {
            var f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            switch line.contains("\"") ? -1 : rng.int(0...24) {
            case 0: f[0] = "C-unknown-\(rng.int(0...9))"
            case 1: f[2] = "12.345"
            case 2: f[4] = "paused"
            case 3: f[1] = "\"Pay,roll\""
            case 4: sOut.append(line)
            case 5: sOut.append("")
            case 6: f[1] = "\"Time\nBreak\""
            default: break
            }
            sOut.append(f.joined(separator: ",") + (rng.int(0...15) == 0 ? "\r" : ""))
        }
        try TestFiles.write(sOut.joined(separator: "\n") + "\n", "subscriptions.csv", in: dir)
    }
}
