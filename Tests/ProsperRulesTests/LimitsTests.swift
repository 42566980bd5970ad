import Foundation
import Testing
@testable import ProsperRules

/// Nothing a file holds crashes the process or hangs it (issue 2, item 5).
@Suite struct LimitsTests {
    static let deep = 10_000

    static let deepExpressions: [(String, String)] = [
        ("parentheses", String(repeating: "(", count: deep) + "1" + String(repeating: ")", count: deep)),
        ("not", String(repeating: "not ", count: deep) + "true"),
        ("sum", "1" + String(repeating: "+1", count: deep - 1)),
        ("unary minus", String(repeating: "-", count: deep) + "1"),
        ("product", "2" + String(repeating: " * 2", count: deep - 1)),
        ("and", "true" + String(repeating: " and true", count: deep - 1)),
        ("calls", String(repeating: "abs(", count: deep) + "1" + String(repeating: ")", count: deep)),
        ("lists", String(repeating: "[", count: deep) + String(repeating: "]", count: deep)),
        ("if", String(repeating: "if true then 1 else ", count: 4_000) + "2"),
        ("unclosed", String(repeating: "(", count: deep)),
    ]

    @Test(arguments: deepExpressions)
    func deepExpressionIsAnError(_ name: String, _ text: String) {
        let (e, problems) = ExpressionParser.parse(text)
        #expect(e == nil)
        #expect(problems.map(\.message.code) == ["expression-too-deep"], "\(name): \(problems.map(\.message.text))")
    }

    @Test func deepExpressionInARuleFileIsReportedAtItsPlace() {
        let folder = TempFolder()
        defer { folder.remove() }
        let expression = String(repeating: "(", count: Self.deep) + "mrr > 1" + String(repeating: ")", count: Self.deep)
        let path = folder.write("deep.yaml", "kind: segments\nsegments:\n  - name: Deep\n    when: \(expression)\notherwise: Rest\n")
        let result = RuleSetChecker.check(paths: [path])
        #expect(result.diagnostics.map(\.code) == ["expression-too-deep"])
        #expect(result.diagnostics.first?.range?.start == SourceLocation(line: 4, column: 11 + ExpressionParser.maxDepth))
    }

    @Test func longExpressionIsAnError() {
        let text = "1" + String(repeating: " ", count: ExpressionParser.maxLength) + "+ 1"
        let (_, problems) = ExpressionParser.parse(text)
        #expect(problems.map(\.message.code) == ["expression-too-long"])
    }

    @Test func moderatelyNestedExpressionIsFine() {
        let text = String(repeating: "(", count: 50) + "1 + 2" + String(repeating: ")", count: 50) + " == 3"
        let (typed, problems) = Harness.check(text, NameEnvironment())
        #expect(problems.isEmpty)
        #expect(typed?.constant == .boolean(true))
    }

    static let deepDocuments: [(String, String)] = [
        ("flow lists", "kind: churn\nsignals: " + String(repeating: "[", count: deep) + String(repeating: "]", count: deep) + "\n"),
        ("flow mappings", "kind: churn\nsignals: " + String(repeating: "{a: ", count: deep) + "1" + String(repeating: "}", count: deep) + "\n"),
        ("block lists", "kind: churn\nsignals: \n  " + String(repeating: "- ", count: deep) + "x\n"),
        ("unclosed", "kind: churn\nsignals: " + String(repeating: "[", count: deep) + "\n"),
    ]

    @Test(arguments: deepDocuments)
    func deepYAMLIsAnError(_ name: String, _ text: String) {
        let result = YAMLParser.parse(text: text, path: "deep.yaml")
        #expect(result.root == nil)
        #expect(result.diagnostics.map(\.code) == ["yaml-too-deep"], "\(name): \(result.diagnostics)")
    }

    @Test func aliasBombDoesNotExpand() {
        var text = "kind: churn\na: &a [\"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\"]\n"
        let names = ["b", "c", "d", "e", "f", "g", "h", "i"]
        var previous = "a"
        for n in names {
            text += "\(n): &\(n) [" + Array(repeating: "*\(previous)", count: 9).joined(separator: ", ") + "]\n"
            previous = n
        }
        let clock = ContinuousClock()
        var result: YAMLParser.Result?
        let elapsed = clock.measure { result = YAMLParser.parse(text: text, path: "bomb.yaml") }
        #expect(result?.root == nil)
        #expect(result?.diagnostics.map(\.code) == ["yaml-alias"])
        #expect(result?.diagnostics.first?.range?.start == SourceLocation(line: 3, column: 8))
        #expect(elapsed < .seconds(1))
    }

    @Test func manyNodesAreBounded() {
        var limits = YAMLLimits()
        limits.maxNodes = 1_000
        let text = "kind: churn\nsignals: [" + Array(repeating: "1", count: 2_000).joined(separator: ", ") + "]\n"
        let result = YAMLParser.parse(text: text, path: "wide.yaml", limits: limits)
        #expect(result.diagnostics.map(\.code) == ["yaml-too-many-nodes"])
    }

    @Test func fiftyMegabyteFileIsRejectedQuickly() throws {
        let folder = TempFolder()
        defer { folder.remove() }
        var bytes = Array("kind: churn\n# ".utf8)
        bytes += [UInt8](repeating: UInt8(ascii: "x"), count: 50 << 20)
        let path = folder.write("huge.yaml", bytes: bytes)
        let clock = ContinuousClock()
        var result: RuleCheckResult?
        let elapsed = clock.measure { result = RuleSetChecker.check(paths: [path]) }
        let d = try #require(result?.diagnostics.first)
        #expect(result?.diagnostics.count == 1)
        #expect(d.code == "file-too-large")
        #expect(d.message == "file is too large (\(bytes.count) bytes; YAML files of prosper-rules are limited to \(YAMLLimits().maxBytes) bytes)")
        #expect(elapsed < .seconds(2))
    }

    @Test func tooLargeBytesGivenDirectly() {
        var limits = YAMLLimits()
        limits.maxBytes = 100
        let result = YAMLParser.parse(bytes: [UInt8](repeating: 0x20, count: 101), path: "big.yaml", limits: limits)
        #expect(result.diagnostics.map(\.code) == ["file-too-large"])
    }

    @Test func binaryFileIsRejected() {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<4_096).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let result = YAMLParser.parse(bytes: [0x00] + bytes, path: "noise.bin")
        #expect(result.root == nil)
        #expect(result.diagnostics.map(\.code) == ["binary-file"])
        #expect(result.diagnostics.first?.range?.start == SourceLocation(line: 1, column: 1))
    }

    @Test(arguments: [[0xC0, 0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xE2, 0x82], [0x80], [0xF8, 0x88, 0x80, 0x80, 0x80]] as [[UInt8]])
    func invalidUTF8IsRejected(_ sequence: [UInt8]) {
        let result = YAMLParser.parse(bytes: Array("kind: x\nname: ab".utf8) + sequence + Array("\n".utf8), path: "bad.yaml")
        #expect(result.diagnostics.map(\.code) == ["invalid-utf8"])
        #expect(result.diagnostics.first?.range?.start == SourceLocation(line: 2, column: 9))
    }

    @Test func folderAndMissingFileAreReported() {
        let folder = TempFolder()
        defer { folder.remove() }
        let result = RuleSetChecker.check(paths: [folder.path, folder.path + "/nope.yaml"])
        #expect(result.diagnostics.map(\.code).sorted() == ["file-not-found", "no-rule-files"])
    }

    /// Mutated rule files never crash the whole pipeline: YAML, rule structure,
    /// expressions, static analysis and rendering (a cheap, deterministic fuzz).
    @Test func mutatedRuleFilesNeverCrash() {
        let folder = TempFolder()
        defer { folder.remove() }
        folder.write("segments.yaml", Fixtures.read(Fixtures.repositoryRoot + "/rules/segments.yaml"))
        let seeds = ["churn", "upsell", "analytics", "segments"].map { Fixtures.read(Fixtures.repositoryRoot + "/rules/\($0).yaml") }
            + ["bad/32-many-errors-sorted.yaml", "bad/19-double-quoted-position.yaml", "bad/22-folded-block-position.yaml", "bad/38-huge-numbers.yaml"].map { Fixtures.text($0) }
        var rng = SplitMix(seed: 42)
        let alphabet = Array("{}[]()\"'\\|>-:#&*!%@`, \n\t.0123456789abcxyz=<>+/".utf8)
        for k in 0..<400 {
            var bytes = Array(seeds[k % seeds.count].utf8)
            guard !bytes.isEmpty else { continue }
            for _ in 0..<(1 + Int(rng.next() % 6)) {
                let at = Int(rng.next() % UInt64(bytes.count))
                switch rng.next() % 3 {
                case 0: bytes[at] = alphabet[Int(rng.next() % UInt64(alphabet.count))]
                case 1: bytes.insert(alphabet[Int(rng.next() % UInt64(alphabet.count))], at: at)
                default: bytes.remove(at: at)
                }
            }
            let path = folder.write("fuzz.yaml", bytes: bytes)
            let result = RuleSetChecker.check(paths: [path])
            _ = DiagnosticRenderer.render(result.diagnostics, sources: result.sources)
            _ = DiagnosticJSON.render(result.diagnostics)
        }
    }
}

/// A small deterministic generator for the fuzz test.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
