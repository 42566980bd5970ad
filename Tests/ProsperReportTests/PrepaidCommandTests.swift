import Foundation
import Testing

/// examples/prepaid is a real project: it checks clean against its data, and the output its
/// README shows is what the tool prints.
@Suite struct PrepaidCommandTests {
    static let folder = "examples/prepaid"

    @Test(.enabled(if: CommandTests.executable != nil)) func checksCleanAgainstItsData() throws {
        let r = try CommandTests.run(["check", "--data", "prepaid-churn.csv", "--mapping", "prepaid-mapping.yaml"], in: Self.folder)
        #expect(r.status == 0, "\(r.err)")
        #expect(r.out == "4 rule files checked: 0 errors, 0 warnings\n", "data-relative warnings: \(r.out)")
    }

    /// Each ```console block of the README is run in the example's folder; its other lines
    /// must be lines of the output, in order (`…` stands for lines left out).
    @Test(.enabled(if: CommandTests.executable != nil)) func readmeFiguresAreWhatTheToolPrints() throws {
        try ExampleReadme.check(Self.folder, blocks: 4)
    }
}
