import Foundation
import ProsperModel
import Testing
@testable import ProsperData

/// `money:` in prosper.yaml and in mapping files: what the amounts are.
@Suite struct MoneyDeclarationTests {
    @Test(arguments: [
        ("money: { currency: USD }", MoneyUnit.currency("USD")),
        ("money:\n  currency: EUR", MoneyUnit.currency("EUR")),
        ("money: { unit: value points }", MoneyUnit.unit("value points")),
        ("money: { unit: \" score \" }", MoneyUnit.unit("score")),
    ])
    func theProjectFileDeclaresIt(_ text: String, _ unit: MoneyUnit) throws {
        #expect(try ProjectEngineTests.load(text).moneyUnit == unit)
    }

    @Test func undeclaredIsNil() throws {
        #expect(try ProjectEngineTests.load("rules: rules").moneyUnit == nil)
    }

    /// Bad declarations: the code, the position and the message's telling part.
    @Test(arguments: [
        ("money: { currency: usd }", "1:20", "did you mean 'USD'?"),
        ("money: { currency: US Dollar }", "1:20", "write 'unit:' instead"),
        ("money: { currency: EURO }", "1:20", "three-letter currency code"),
        ("money: { unit: \"\" }", "1:16", "short name"),
        ("money: { currency: EUR, unit: points }", "1:8", "exactly one of currency"),
        ("money: {}", "1:8", "exactly one of currency"),
        ("money: USD", "1:8", "must be a mapping"),
        ("money: { curency: USD }", "1:10", "did you mean 'currency'?"),
        ("money: { currency: [USD] }", "1:20", "single value"),
    ])
    func badDeclarationsArePositioned(_ text: String, _ at: String, _ says: String) {
        do {
            _ = try ProjectEngineTests.load(text)
            Issue.record("'\(text)' was accepted")
        } catch {
            let d = error.diagnostics.first
            #expect(d.flatMap { $0.range?.start.description } == at, "\(text): \(error.description)")
            #expect(d?.message.contains(says) == true, "\(text): \(error.description)")
        }
    }

    @Test func aMappingLabelsItsOwnDataAndWinsOverTheProject() throws {
        let folder = MappingFeatureTests.folder
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("prosper-money-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        // The prepaid fixture with a declaration: its amounts are value points, not money.
        var text = try String(contentsOf: folder.appendingPathComponent("prepaid.yaml"), encoding: .utf8)
        text = text.replacingOccurrences(of: "duplicates: drop_exact\n", with: "duplicates: drop_exact\nmoney: { unit: value points }\n")
        for name in ["prepaid.csv", "age-groups.csv"] {
            try FileManager.default.copyItem(at: folder.appendingPathComponent(name), to: dir.appendingPathComponent(name))
        }
        let mapping = dir.appendingPathComponent("prepaid.yaml").path
        try Data(text.utf8).write(to: URL(fileURLWithPath: mapping))
        var options = IngestOptions()
        options.moneyUnit = .currency("USD")
        let labelled = try MappedIngest.ingest(path: dir.appendingPathComponent("prepaid.csv").path, mappingPath: mapping, options: options)
        #expect(labelled.dataset?.moneyUnit == .unit("value points"))
        // Without its own declaration the project's applies; with neither, nothing.
        let plain = try MappedIngest.ingest(path: MappingFeatureTests.fixture("prepaid.csv"), mappingPath: MappingFeatureTests.fixture("prepaid.yaml"), options: options)
        #expect(plain.dataset?.moneyUnit == .currency("USD"))
        let none = try MappedIngest.ingest(path: MappingFeatureTests.fixture("prepaid.csv"), mappingPath: MappingFeatureTests.fixture("prepaid.yaml"), options: IngestOptions())
        #expect(none.dataset?.moneyUnit == nil)
        // A declaration does not change the data's fingerprint.
        #expect(labelled.report.fingerprint == none.report.fingerprint)
    }

    @Test func aBadDeclarationInAMappingIsPositionedThere() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("prosper-money-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        var text = try String(contentsOf: MappingFeatureTests.folder.appendingPathComponent("prepaid.yaml"), encoding: .utf8)
        text = text.replacingOccurrences(of: "duplicates: drop_exact\n", with: "duplicates: drop_exact\nmoney: { currency: eur }\n")
        let mapping = dir.appendingPathComponent("m.yaml").path
        try Data(text.utf8).write(to: URL(fileURLWithPath: mapping))
        do {
            _ = try MappedIngest.ingest(path: MappingFeatureTests.fixture("prepaid.csv"), mappingPath: mapping, options: IngestOptions())
            Issue.record("accepted")
        } catch let e as ConfigFileError {
            let d = e.diagnostics.first
            #expect(d?.code == "bad-money")
            #expect(d.flatMap { $0.range?.start.description } == "6:20")
            #expect(d?.message.contains("did you mean 'EUR'?") == true)
        }
    }
}
