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
        let readme = String(decoding: try #require(FileManager.default.contents(atPath: TestPaths.root + "/" + Self.folder + "/README.md")), as: UTF8.self)
        let blocks = TelcoExampleTests.consoleBlocks(readme)
        #expect(blocks.count >= 4)
        for block in blocks {
            guard let command = block.first, command.hasPrefix("$ prosper-rules ") else { continue }
            let arguments = command.dropFirst("$ prosper-rules ".count).split(separator: " ").map(String.init)
            let r = try CommandTests.run(arguments, in: Self.folder)
            #expect(r.status == 0, "\(command): \(r.err)")
            var output = r.out.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)[...]
            for line in block.dropFirst() where line != "…" {
                guard let at = output.firstIndex(of: line) else {
                    Issue.record("\(command): README line not in the output (in this order): '\(line)'")
                    break
                }
                output = output[(at + 1)...]
            }
        }
    }
}
