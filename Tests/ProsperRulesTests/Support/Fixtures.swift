import Foundation
import Testing

/// Locates fixture files and reads the data-driven tables.
enum Fixtures {
    /// The `Fixtures` folder copied into the test bundle.
    static var directory: String {
        guard let url = Bundle.module.url(forResource: "Fixtures", withExtension: nil) else {
            return sourceDirectory
        }
        return url.path
    }

    /// The `Fixtures` folder in the source tree (golden files are re-recorded there).
    static var sourceDirectory: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures").path
    }

    /// The repository root (for `rules/`).
    static var repositoryRoot: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().path
    }

    /// Whether golden files should be re-recorded (`PROSPER_RECORD=1`).
    static var recording: Bool { ProcessInfo.processInfo.environment["PROSPER_RECORD"] == "1" }

    static func text(_ name: String) -> String {
        (try? String(contentsOfFile: directory + "/" + name, encoding: .utf8)) ?? ""
    }

    /// The rows of a tab-separated table: blank lines and lines starting with `#` are
    /// skipped; every row keeps its line number so a failure names it.
    static func table(_ name: String) -> [TableRow] {
        var rows: [TableRow] = []
        for (i, line) in text(name).split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            let cells = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            rows.append(TableRow(file: name, line: i + 1, cells: cells))
        }
        return rows
    }
}

/// One row of a fixture table.
struct TableRow: Sendable, CustomTestStringConvertible {
    let file: String
    let line: Int
    let cells: [String]

    var expression: String { cells[0] }
    func cell(_ i: Int) -> String? { i < cells.count && !cells[i].isEmpty ? cells[i] : nil }

    /// `expressions.tsv:12`, for messages.
    var location: String { "\(file):\(line)" }
    var testDescription: String { "\(location): \(expression)" }
    var sourceLocation: Testing.SourceLocation {
        Testing.SourceLocation(fileID: "ProsperRulesTests/Fixtures/\(file)", filePath: Fixtures.sourceDirectory + "/" + file, line: line, column: 1)
    }
}

extension Fixtures {
    /// The text of any file (empty when unreadable).
    static func read(_ path: String) -> String {
        (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
    }
}
