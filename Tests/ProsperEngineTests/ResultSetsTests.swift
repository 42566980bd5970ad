import ProsperEngines
import ProsperSQL
import Testing

/// The result stream both drivers write (a `@@@ name` line, then CSV rows with every value
/// quoted and null as an empty unquoted field) and the values in it.
@Suite struct ResultSetsTests {
    @Test(arguments: [
        ("@@@ q\n\"a\",\"b\"\n", [["a", "b"]] as [[String?]]),
        ("@@@ q\n\"\",\n", [["", nil]]),
        ("@@@ q\n,\"x\"\n", [[nil, "x"]]),
        ("@@@ q\n\n", [[nil]]),
        ("@@@ q\n\"say \"\"hi\"\"\",\"line\nbreak\"\n", [["say \"hi\"", "line\nbreak"]]),
        ("@@@ q\n\"@@@ not a marker\"\n", [["@@@ not a marker"]]),
        ("@@@ q\r\n\"crlf\",\"1\"\r\n", [["crlf", "1"]]),
        ("@@@ q\n\"é\",\"😀\"\n", [["é", "😀"]]),
        ("@@@ q\n", []),
    ])
    func rowsAreParsed(_ text: String, _ rows: [[String?]]) throws {
        let r = try ResultSets.parse(text)
        #expect(r.has("q"))
        #expect(r["q"] == rows)
    }

    @Test func severalQueriesAndScopes() throws {
        let r = try ResultSets.parse("@@@ j0/a\n\"1\"\n@@@ j1/a\n\"2\"\n\"3\"\n@@@ j1/b\n")
        #expect(r.scoped("j1/")["a"] == [["2"], ["3"]])
        #expect(r.scoped("j1/").has("b"))
        #expect(!r.scoped("j0/").has("b"))
    }

    @Test(arguments: ["\"open", "\"a\"\n"])
    func brokenStreamsAreErrors(_ text: String) {
        #expect(throws: EngineError.self) { _ = try ResultSets.parse(text) }
    }

    @Test(arguments: [("12345", Int64(12345)), ("-7", -7), ("12.000", 12), ("0.0", 0), ("12.5", nil), ("", nil), ("1e3", nil)] as [(String, Int64?)])
    func exactIntegersAsEnginesPrintThem(_ text: String, _ value: Int64?) {
        #expect(SQLNumber.parse(text) == value)
    }

    @Test(arguments: [
        (ProductEncoding.bits(["A", "B", "C"]), "5", ["A", "C"]),
        (.bits(["A", "B"]), "0", []),
        (.bits(["A"]), "x", []),
        (.array, "A\u{1F}B+C", ["A", "B+C"]),
        (.array, "", []),
    ])
    func productListsComeBackAsNames(_ e: ProductEncoding, _ text: String, _ names: [String]) {
        #expect(e.names(text) == names)
    }

    @Test func productMasksNeedAtMost63Products() {
        #expect(ProductEncoding.forProducts((0..<63).map { "P\($0)" }) != .array)
        #expect(ProductEncoding.forProducts((0..<64).map { "P\($0)" }) == .array)
        #expect(ProductEncoding.forProducts(["b", "B", "a"]) == .bits(["B", "a", "b"]))
    }
}
