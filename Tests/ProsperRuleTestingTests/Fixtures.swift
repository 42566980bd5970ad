import Foundation
import Testing

/// Locates fixture files and compares with golden files (`PROSPER_RECORD=1` re-records).
enum Fixtures {
    /// The `Fixtures` folder copied into the test bundle.
    static var directory: String { Bundle.module.url(forResource: "Fixtures", withExtension: nil)?.path ?? sourceDirectory }

    /// The `Fixtures` folder in the source tree (golden files are re-recorded there).
    static var sourceDirectory: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures").path
    }

    /// The repository root (for `rules/`).
    static var repositoryRoot: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    }

    static var recording: Bool { ProcessInfo.processInfo.environment["PROSPER_RECORD"] == "1" }

    static func read(_ path: String) -> String { (try? String(contentsOfFile: path, encoding: .utf8)) ?? "" }

    /// Output with the fixture folder's absolute path removed, so goldens hold
    /// `project/rules/tests/fail.yaml:6`.
    static func relative(_ text: String) -> String { text.replacingOccurrences(of: directory + "/", with: "") }

    /// Compares `actual` with `golden/NAME` (records it with PROSPER_RECORD=1).
    static func expectGolden(_ actual: String, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let path = sourceDirectory + "/golden/" + name
        if recording {
            try? actual.write(toFile: path, atomically: true, encoding: .utf8)
            return
        }
        let expected = read(path)
        #expect(actual == expected, "golden/\(name) differs (PROSPER_RECORD=1 re-records):\n\(actual)", sourceLocation: sourceLocation)
    }
}
