import Foundation
import Testing
import ProsperModel
@testable import ProsperData

@Suite struct JSONLinesTests {
    func path(_ name: String) -> String { TestFiles.fixtures.appendingPathComponent("jsonl/\(name)").path }

    @Test func jsonLinesAndCSVOfTheSameDataAgree() throws {
        let json = try Ingestor.ingest(path: path("good.jsonl"))
        #expect(TestFiles.reportLines(json) == [])
        let csv = try Ingestor.ingest(path: TestFiles.fixtures.appendingPathComponent("base").path)
        #expect(json.report.fingerprint == csv.report.fingerprint)
        #expect(json.report.tables.map(\.rowsAccepted) == [3, 5])
    }

    @Test(arguments: [5, 64, 4 << 20])
    func reportsBadLines(chunkSize: Int) throws {
        var options = IngestOptions()
        options.chunkSize = chunkSize
        let result = try Ingestor.ingest(path: path("bad.jsonl"), options: options)
        #expect(TestFiles.reportLines(result) == [
            "bad.jsonl:2:103: employees: expected a whole number, got \"forty\"",
            "bad.jsonl:3:50: invalid JSON: expected ',' or '}'",
            "bad.jsonl:4:231: cancel_intent: required value is empty",
            "bad.jsonl:5:1: invalid JSON: expected a JSON object ('{')",
            "bad.jsonl:1:386: product: customer \"C1\" already has an active \"Accounting\" subscription",
            "bad.jsonl:2:278: customer \"C2\" was rejected (bad.jsonl:2)",
            "bad.jsonl:4:253: customer \"C4\" was rejected (bad.jsonl:4)",
        ])
        #expect(result.report.customers == 1)
    }

    @Test func aFileThatIsNotJSONLinesIsOneError() throws {
        let result = try Ingestor.ingest(path: path("not-json.jsonl"))
        #expect(TestFiles.reportLines(result) == ["not-json.jsonl:1:1: not a JSON Lines file: a line must hold one JSON object ('{…}')"])
        #expect(!result.report.usable)
    }

    @Test(arguments: [
        ("bom-only.jsonl", "bom-only.jsonl:1:1: the file holds only a byte order mark; expected one JSON object per line"),
        ("blank.jsonl", "blank.jsonl:1:1: the file holds only blank lines; expected one JSON object per line"),
    ])
    func aFileWithNoObjectSaysSo(name: String, message: String) throws {
        let result = try Ingestor.ingest(path: path(name))
        #expect(TestFiles.reportLines(result) == [message])
        #expect(!result.report.usable)
    }

    /// Blank files longer than the first read (4 KiB) get the same message.
    @Test(arguments: [false, true])
    func aLongBlankFileSaysSo(bom: Bool) throws {
        let dir = try TestFiles.scratch()
        let file = dir.appendingPathComponent("long-blank.jsonl")
        try Data((bom ? [0xEF, 0xBB, 0xBF] : []) + Array(String(repeating: "  \n\r\n\t", count: 5_000).utf8)).write(to: file)
        for chunk in [4 << 20, 64] {
            var options = IngestOptions()
            options.chunkSize = chunk
            let result = try Ingestor.ingest(path: file.path, options: options)
            #expect(TestFiles.reportLines(result) == ["long-blank.jsonl:1:1: the file holds only blank lines; expected one JSON object per line"])
            #expect(!result.report.usable)
        }
    }

    @Test(arguments: [
        (#"{"a":"x\"y"}"#, "x\"y"), (#"{"a":"\u00e9\n"}"#, "é\n"), (#"{"a":"\ud83d\ude00"}"#, "😀"), (#"{"a": 12.50 }"#, "12.50"),
    ])
    func parsesScalars(line: String, value: String) throws {
        var bytes = Array(line.utf8)
        let parsed: String? = try bytes.withUnsafeMutableBufferPointer { (b) throws(JSONSyntaxError) -> String? in
            guard let base = b.baseAddress else { return nil }
            var p = JSONLineParser(base: base, start: 0, end: b.count)
            try p.parseRecord(subscriptionsKey: Array("subscriptions".utf8))
            guard let m = p.members.first else { return nil }
            let v = m.value
            if v.inScratch { return String(decoding: p.scratch[v.start..<v.end], as: UTF8.self) }
            return String(decoding: UnsafeBufferPointer(start: base + v.start, count: v.end - v.start), as: UTF8.self)
        }
        #expect(parsed == value)
    }
}
