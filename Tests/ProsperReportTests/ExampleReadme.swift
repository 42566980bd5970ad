import Foundation
import Testing

/// The check every example project's README gets: each ```console block that starts with
/// `$ prosper-rules …` is run in the example's folder, and its other lines must be lines
/// of the output, in order (`…` stands for lines left out).
enum ExampleReadme {
    /// Runs the README's console blocks of `folder` (relative to the repository) and
    /// records an issue for each line the tool does not print. At least `blocks` blocks;
    /// with `onlyCommands`, a block that is not a prosper-rules command is an issue too.
    static func check(_ folder: String, blocks minimum: Int, onlyCommands: Bool = false) throws {
        let readme = String(decoding: try #require(FileManager.default.contents(atPath: TestPaths.root + "/" + folder + "/README.md")), as: UTF8.self)
        let blocks = consoleBlocks(readme)
        #expect(blocks.count >= minimum)
        for block in blocks {
            guard let command = block.first, command.hasPrefix("$ prosper-rules ") else {
                if onlyCommands { Issue.record("a console block that is not a prosper-rules command: \(block.first ?? "")") }
                continue
            }
            let arguments = command.dropFirst("$ prosper-rules ".count).split(separator: " ").map(String.init)
            let r = try CommandTests.run(arguments, in: folder)
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

    /// The lines of each ```console block of a Markdown text.
    static func consoleBlocks(_ text: String) -> [[String]] {
        var blocks: [[String]] = [], current: [String]?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if current == nil, line == "```console" { current = [] } else if line == "```", let c = current {
                blocks.append(c)
                current = nil
            } else if current != nil { current?.append(line) }
        }
        return blocks
    }
}
