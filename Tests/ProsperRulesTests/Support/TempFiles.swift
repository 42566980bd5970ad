import Foundation

/// A fresh folder under the system's temporary folder, for files a test writes.
struct TempFolder {
    let path: String

    init() {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("prosper-rules-tests-" + UUID().uuidString).path
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    /// Writes `text` to `name` inside the folder; returns the file's path.
    @discardableResult
    func write(_ name: String, _ text: String) -> String {
        write(name, bytes: Array(text.utf8))
    }

    @discardableResult
    func write(_ name: String, bytes: [UInt8]) -> String {
        let p = path + "/" + name
        FileManager.default.createFile(atPath: p, contents: Data(bytes))
        return p
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}
