#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The files of one dataset.
package enum DataSource: Sendable, Equatable {
    /// `customers.csv` and `subscriptions.csv` of the data contract.
    case csv(customers: String, subscriptions: String)
    /// One JSON Lines file: a customer object a line with nested `subscriptions`.
    case jsonLines(String)

    /// Finds the dataset at `path`: a folder holding `customers.csv` and
    /// `subscriptions.csv` (or `customers.jsonl`), a `.jsonl` file, or a
    /// `customers.csv` whose `subscriptions.csv` sits beside it.
    package static func locate(_ path: String) throws(DataFileError) -> DataSource {
        var st = stat()
        guard stat(path, &st) == 0 else { throw DataFileError(path: path, message: "no such file or folder") }
        if (st.st_mode & S_IFMT) == S_IFDIR {
            let dir = path.hasSuffix("/") ? String(path.dropLast()) : path
            let c = dir + "/customers.csv", s = dir + "/subscriptions.csv", j = dir + "/customers.jsonl"
            if exists(c) {
                guard exists(s) else { throw DataFileError(path: path, message: "has customers.csv but no subscriptions.csv") }
                return .csv(customers: c, subscriptions: s)
            }
            if exists(j) { return .jsonLines(j) }
            throw DataFileError(path: path, message: "holds neither customers.csv + subscriptions.csv nor customers.jsonl")
        }
        if path.hasSuffix(".jsonl") || path.hasSuffix(".ndjson") { return .jsonLines(path) }
        if path.hasSuffix(".csv") {
            let slash = path.lastIndex(of: "/")
            let dir = slash.map { String(path[..<$0]) } ?? "."
            let s = dir + "/subscriptions.csv"
            guard exists(s) else {
                throw DataFileError(path: path, message: "needs subscriptions.csv beside it; a single file in another layout needs a mapping (--mapping FILE, see docs/data.md)")
            }
            return .csv(customers: path, subscriptions: s)
        }
        throw DataFileError(path: path, message: "is neither a folder, a .csv nor a .jsonl file")
    }

    static func exists(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0 && (st.st_mode & S_IFMT) != S_IFDIR
    }

    static func fileSize(_ path: String) -> Int {
        var st = stat()
        return stat(path, &st) == 0 ? Int(st.st_size) : 0
    }

    /// Whether the file's last byte is a line feed (false when it
    /// is empty or unreadable).
    static func endsWithLineBreak(_ path: String) -> Bool {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var byte: UInt8 = 0
        guard lseek(fd, -1, SEEK_END) >= 0, read(fd, &byte, 1) == 1 else { return false }
        return byte == 0x0A
    }

    /// The last path component, as reports name files.
    static func displayName(_ path: String) -> String {
        path.split(separator: "/").last.map(String.init) ?? path
    }
}
