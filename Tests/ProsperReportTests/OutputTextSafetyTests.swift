import Foundation
import ProsperModel
@testable import ProsperReport
import Testing

/// What the formatters write for hostile texts: CSV cells that a spreadsheet would run
/// as formulas, control and bidirectional characters, and the dashboard's script policy.
@Suite struct OutputTextSafetyTests {
    /// One CSV field per cell: `(cell, neutralised field, raw field)`.
    static let csvCases: [(Cell, String, String)] = [
        (.text("=HYPERLINK(\"http://x\",\"Click\")"), "\"'=HYPERLINK(\"\"http://x\"\",\"\"Click\"\")\"", "\"=HYPERLINK(\"\"http://x\"\",\"\"Click\"\")\""),
        (.text("=1+1"), "'=1+1", "=1+1"),
        (.text("+49 30 1234"), "'+49 30 1234", "+49 30 1234"),
        (.text("-2+3"), "'-2+3", "-2+3"),
        (.text("@SUM(A1)"), "'@SUM(A1)", "@SUM(A1)"),
        (.text("\tTab"), "'\tTab", "\tTab"),
        (.text("\rCR"), "\"'\rCR\"", "\"\rCR\""),
        (.text("Oak = Co"), "Oak = Co", "Oak = Co"),
        (.text(""), "", ""),
        (.list(["=a", "b"]), "'=a; b", "=a; b"),
        // Numbers stay numbers.
        (.money(-1250), "-12.50", "-12.50"),
        (.integer(-3), "-3", "-3"),
        (.decimal(-15, scale: 1), "-1.5", "-1.5"),
        (.share(part: -1, whole: 4), "-25.00", "-25.00"),
    ]

    @Test(arguments: 0..<csvCases.count)
    func csvNeutralisesFormulas(_ k: Int) {
        let (cell, safe, raw) = Self.csvCases[k]
        let t = Table(id: "t", title: "t", columns: [.init("v", "v")], rows: [[cell]])
        #expect(CSVFormatter.render(t) == "v\r\n" + safe + "\r\n", "\(cell)")
        #expect(CSVFormatter.render(t, raw: true) == "v\r\n" + raw + "\r\n", "\(cell)")
    }

    /// A negative figure stays a number in `<section>-figures.csv`.
    @Test func negativeFiguresStayNumbers() {
        let doc = ReportDocument(meta: [], sections: [Section(id: "s", title: "S", figures: [("total", "Total", .money(-1250)), ("name", "Name", .text("-x"))])])
        let figures = CSVFormatter.tables(doc).first { $0.name == "s-figures" }?.csv
        #expect(figures == "key,label,value\r\ntotal,Total,-12.50\r\nname,Name,'-x\r\n")
    }

    /// `(text, what a terminal or Markdown shows)`.
    static let visibleCases: [(String, String)] = [
        ("plain Ünïcode ☃", "plain Ünïcode ☃"),
        ("\u{1B}[31mred\u{1B}[0m", "<U+001B>[31mred<U+001B>[0m"),
        ("bell\u{07}", "bell<U+0007>"),
        ("del\u{7F}", "del<U+007F>"),
        ("c1\u{85}\u{9B}", "c1<U+0085><U+009B>"),
        ("\u{202E}kcab", "<U+202E>kcab"),
        ("\u{202A}\u{202B}\u{202C}\u{202D}", "<U+202A><U+202B><U+202C><U+202D>"),
        ("\u{2066}a\u{2067}b\u{2068}c\u{2069}", "<U+2066>a<U+2067>b<U+2068>c<U+2069>"),
        ("\u{200E}\u{200F}\u{061C}", "<U+200E><U+200F><U+061C>"),
        ("Mittel\nstand\r\tx\u{2028}y", "Mittel stand  x y"),
    ]

    @Test(arguments: 0..<visibleCases.count)
    func controlCharactersBecomeVisible(_ k: Int) {
        let (given, shown) = Self.visibleCases[k]
        #expect(VisibleText.of(given) == shown)
        let t = Table(id: "t", title: "t", columns: [.init("name", "name")], rows: [[.text(given)]])
        let table = TableFormatter.table(t, width: 200)
        #expect(!table.unicodeScalars.contains { VisibleText.needsEscape($0) && $0 != "\n" }, "\(table)")
        let md = MarkdownFormatter.render(ReportDocument(meta: [], sections: [Section(id: "s", title: given, tables: [t])]))
        #expect(!md.unicodeScalars.contains { VisibleText.needsEscape($0) && $0 != "\n" }, "\(md)")
    }

    @Test func dashboardShowsBidiControlsAndIsolatesText() throws {
        let doc = DashboardTests.hostileDocument("\u{202E}kcab \u{2067}x\u{2069} \u{85}")
        let html = HTMLFormatter.render(doc)
        #expect(!html.unicodeScalars.contains { VisibleText.isBidiControl($0) || ($0.value >= 0x80 && $0.value <= 0x9F) })
        #expect(html.contains("&lt;U+202E&gt;kcab &lt;U+2067&gt;x&lt;U+2069&gt; &lt;U+0085&gt;"))
        #expect(html.contains("td,th,dd,dt,li,b,code,span,h2,h3,.who,.why,.amt,text{unicode-bidi:isolate}"))
    }

    /// The page allows exactly its own script: `script-src 'sha256-…'` where the hash is
    /// recomputed here by Python's hashlib from the page's bytes; no 'unsafe-inline'.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/python3")))
    func scriptIsPinnedByItsHash() throws {
        let html = HTMLFormatter.render(try Reports.build(rules: [TestPaths.smallRules]))
        let csp = try #require(html.components(separatedBy: "Content-Security-Policy\" content=\"").dropFirst().first?.prefix { $0 != "\"" })
        let scriptSrc = try #require(csp.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }.first { $0.hasPrefix("script-src ") })
        #expect(!scriptSrc.contains("unsafe-inline"))
        let scripts = html.components(separatedBy: "<script>").dropFirst()
        #expect(scripts.count == 1)
        let body = try #require(scripts.first?.components(separatedBy: "</script>").first)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        p.arguments = ["-c", "import sys,hashlib,base64; print(base64.b64encode(hashlib.sha256(sys.stdin.buffer.read()).digest()).decode())"]
        let input = Pipe(), output = Pipe()
        p.standardInput = input
        p.standardOutput = output
        try p.run()
        input.fileHandleForWriting.write(Data(body.utf8))
        try input.fileHandleForWriting.close()
        let hash = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        p.waitUntilExit()
        #expect(scriptSrc == "script-src 'sha256-\(hash)'")
    }

    // MARK: Lazy rows

    /// A lazy table makes each row when it is shown, once per pass, and renders exactly
    /// as the same rows stored.
    @Test func lazyRowsRenderLikeStoredRows() {
        let cells: [[Cell]] = [[.text("a"), .money(1)], [.text("=b"), .money(-2)], [.text("c\u{202E}"), .null]]
        let columns = [Table.Column("k", "k"), Table.Column("v", "v")]
        let made = Counter()
        var lazy = Table(id: "t", title: "T", columns: columns, count: cells.count) { i in made.add(); return cells[i] }
        var stored = Table(id: "t", title: "T", columns: columns, rows: cells)
        lazy.omitted = 7
        stored.omitted = 7
        #expect(lazy.rowCount == 3 && made.value == 0)
        let a = ReportDocument(meta: [], sections: [Section(id: "s", title: "S", tables: [lazy])])
        let b = ReportDocument(meta: [], sections: [Section(id: "s", title: "S", tables: [stored])])
        #expect(JSONFormatter.render(a) == JSONFormatter.render(b))
        #expect(made.value == 3)
        #expect(CSVFormatter.render(a) == CSVFormatter.render(b))
        #expect(MarkdownFormatter.render(a) == MarkdownFormatter.render(b))
        #expect(TableFormatter.render(a) == TableFormatter.render(b))
        #expect(lazy.cutNotice == "showing 3 of 10 rows (--limit 3)")
    }

    /// A huge lazy list costs nothing until shown (a stored one would need terabytes).
    @Test func aHugeLazyTableIsNotBuilt() {
        let t = Table(id: "t", title: "T", columns: [.init("k", "k")], count: 1 << 40) { [.integer(Int64($0))] }
        #expect(t.rowCount == 1 << 40)
        #expect(t.row((1 << 40) - 1) == [.integer((1 << 40) - 1)])
    }
}

private final class Counter: @unchecked Sendable {
    private(set) var value = 0
    func add() { value += 1 }
}
