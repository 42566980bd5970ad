#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Whole-file writes for command output (reports, rejects files).
public enum FileOutput {
    /// Writes `bytes` to `path`, replacing the file.
    public static func write(_ bytes: [UInt8], to path: String) throws(DataFileError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw DataFileError(path: path, message: "cannot create: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        try bytes.withUnsafeBufferPointer { (b) throws(DataFileError) in
            guard let base = b.baseAddress else { return }
            try writeAll(fd: fd, base, b.count, path: path)
        }
    }

    static func writeAll(fd: Int32, _ base: UnsafePointer<UInt8>, _ count: Int, path: String) throws(DataFileError) {
        var done = 0
        while done < count {
            #if canImport(Glibc)
            let n = Glibc.write(fd, base + done, count - done)
            #else
            let n = Darwin.write(fd, base + done, count - done)
            #endif
            if n < 0 {
                if errno == EINTR { continue }
                throw DataFileError(path: path, message: "write failed: \(String(cString: strerror(errno)))")
            }
            done += n
        }
    }
}
