import ProsperModel
@testable import ProsperReport
import ProsperRules
import Testing

/// `compare` runs only the modules whose sections both sides have: which files pair, and
/// that a file left unrun still lists the section ids a run gives.
@Suite struct CompareUnpairedTests {
    static let loaded: [RuleFile] = (try? CompareTests.files([CompareTests.rules], Reports.examples)) ?? []

    static func file(_ kind: String) throws -> RuleFile {
        try #require(loaded.first { f in
            switch f {
            case .analytics: kind == "analytics"
            case .churn: kind == "churn"
            case .upsell: kind == "upsell"
            case .segments: kind == "segments"
            }
        })
    }

    @Test(arguments: [
        (["analytics", "churn", "segments", "upsell"], ["churn"], [0, 3]),
        (["churn"], ["analytics", "churn", "segments", "upsell"], []),
        (["churn", "churn", "upsell"], ["churn", "segments"], [1, 2]),
        (["upsell", "churn", "upsell"], ["upsell", "upsell", "churn"], []),
        (["analytics", "analytics"], ["analytics"], [1]),
        (["segments"], [], []),
        ([], ["churn"], []),
    ])
    func pairsTheNthFileOfEachKind(_ a: [String], _ b: [String], _ unpaired: [Int]) throws {
        let filesA = try a.map(Self.file), filesB = try b.map(Self.file)
        #expect(RuleSetComparison.unpaired(filesA, other: filesB) == Set(unpaired))
    }

    /// Files left unrun give the same section ids, numbered the same, as a full run.
    @Test func namesOnlyGivesTheIdsOfARun() throws {
        let files = try ["analytics", "churn", "upsell", "churn", "segments", "analytics"].map(Self.file)
        let full = try ReportBuilder.run(dataset: Reports.examples, files: files, limit: 0, parallel: false, mode: .report)
        let names = try ReportBuilder.run(dataset: Reports.examples, files: files, limit: 0, parallel: false, mode: .report,
                                          namesOnly: Set(files.indices))
        #expect(names.document.sections.map(\.id) == full.document.sections.map(\.id))
        #expect(names.document.sections.allSatisfy { $0.tables.isEmpty && $0.figures.isEmpty })
        #expect(full.document.sections.map(\.id).contains("churn_2"))
    }
}
