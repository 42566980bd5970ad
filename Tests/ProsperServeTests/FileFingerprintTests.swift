import Foundation
import Testing
@testable import ProsperServe

/// What counts as a change of the watched files: a rule file written, added or removed,
/// and a data file changed; not a temporary file beside them (an atomic save or an
/// editor's swap file), which only touches the folder.
@Suite struct FileFingerprintTests {
    static func folder() -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("prosper-watch-" + UUID().uuidString).path
        try? FileManager.default.createDirectory(atPath: path + "/rules", withIntermediateDirectories: true)
        try? FileManager.default.createDirectory(atPath: path + "/data", withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: path + "/rules/churn.yaml", contents: Data("kind: churn\n".utf8))
        FileManager.default.createFile(atPath: path + "/data/customers.csv", contents: Data("customer_id\n".utf8))
        return path
    }

    /// (what is done, the change expected).
    static let edits: [(String, ChangeKind?)] = [
        ("nothing", nil),
        ("a temporary file beside the rules", nil),
        ("an editor's swap file beside the rules", nil),
        ("a hidden file beside the data", nil),
        ("a rule file rewritten", .rules),
        ("a rule file added", .rules),
        ("a rule file removed", .rules),
        ("a data file rewritten", .data),
        ("a data file added", .data),
    ]

    @Test(arguments: edits)
    func changes(_ edit: String, _ expected: ChangeKind?) throws {
        let root = Self.folder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let paths = WatchedPaths(rules: [root + "/rules"], data: [root + "/data"])
        let before = FileFingerprint.read(paths)
        // Past the file system's time resolution, so a rewrite shows in the times.
        usleep(20_000)
        let fm = FileManager.default
        switch edit {
        case "a temporary file beside the rules": fm.createFile(atPath: root + "/rules/.churn.yaml.tmp-1", contents: Data("x".utf8))
        case "an editor's swap file beside the rules": fm.createFile(atPath: root + "/rules/.churn.yaml.swp", contents: Data("x".utf8))
        case "a hidden file beside the data": fm.createFile(atPath: root + "/data/.customers.csv.tmp", contents: Data("x".utf8))
        case "a rule file rewritten": try "kind: churn\nname: b\n".write(toFile: root + "/rules/churn.yaml", atomically: true, encoding: .utf8)
        case "a rule file added": fm.createFile(atPath: root + "/rules/upsell.yaml", contents: Data("kind: upsell\n".utf8))
        case "a rule file removed": try fm.removeItem(atPath: root + "/rules/churn.yaml")
        case "a data file rewritten": try "customer_id\nC1\n".write(toFile: root + "/data/customers.csv", atomically: true, encoding: .utf8)
        case "a data file added": fm.createFile(atPath: root + "/data/subscriptions.csv", contents: Data("customer_id\n".utf8))
        default: break
        }
        #expect(FileFingerprint.read(paths).change(since: before) == expected, "\(edit)")
    }
}
