import Foundation
import ProsperModel
import Testing
@testable import prosper_embed_example

/// The documentation test of examples/embed: the example's own code (which imports only
/// the library products) evaluates the shipped rules over its in-memory customers and
/// prints exactly the alerts and offers of the golden file.
@Suite struct EmbedExampleTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    static let asOf = Day(number: 20_393)

    @Test func printsTheAlertsAndOffersOfTheShippedRules() throws {
        let lines = try EmbeddedRules.run(rulesFolder: Self.root + "/rules", asOf: Self.asOf)
        let golden = try String(contentsOfFile: Self.root + "/Tests/EmbedExampleTests/Fixtures/expected-output.txt", encoding: .utf8)
        #expect(lines.joined(separator: "\n") + "\n" == golden)
        #expect(lines.contains { $0.hasPrefix("churn alert") } && lines.contains { $0.hasPrefix("upsell offer") })
    }

    @Test func aBrokenRuleFileIsReportedWithItsPosition() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("embed-example-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let text = try String(contentsOfFile: Self.root + "/rules/churn.yaml", encoding: .utf8)
        try text.replacingOccurrences(of: "days_inactive >= inactive_days", with: "days_inactiv >= inactive_days")
            .write(to: folder.appendingPathComponent("churn.yaml"), atomically: true, encoding: .utf8)
        #expect {
            _ = try EmbeddedRules.run(rulesFolder: folder.path, asOf: Self.asOf)
        } throws: { error in
            "\(error)".contains("churn.yaml:") && "\(error)".contains("unknown name 'days_inactiv'; did you mean 'days_inactive'?")
        }
    }
}
