import Foundation
@testable import ProsperData

/// Fixture files and scratch folders for the data tests.
enum TestFiles {
    /// The copied `Fixtures` folder.
    static var fixtures: URL {
        guard let url = Bundle.module.url(forResource: "Fixtures", withExtension: nil) else {
            fatalError("Fixtures resource folder is missing from the test bundle")
        }
        return url
    }

    /// A fresh, empty temporary folder.
    static func scratch(_ name: String = #function) throws -> URL {
        let safe = name.filter { $0.isLetter || $0.isNumber }
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("prosper-data-tests-\(safe)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Writes `text` (exact bytes) to `folder/name`.
    static func write(_ text: String, _ name: String, in folder: URL) throws {
        try Data(text.utf8).write(to: folder.appendingPathComponent(name))
    }

    /// Every problem of a result as report lines: file errors, then rejections per table.
    static func reportLines(_ result: IngestResult) -> [String] {
        result.report.fileErrors.map(\.description) + result.report.tables.flatMap { $0.rejections.map(\.description) }
    }
}
