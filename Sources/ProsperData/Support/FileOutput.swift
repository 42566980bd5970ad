#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Whole-file writes for command output (reports, rejects files).
public enum FileOutput {
    /// Writes `bytes` to `path`, replacing the file atomically (see `AtomicOutputFile`:
    /// exclusive temporary file, mode and owner kept, removed on SIGINT/SIGTERM).
    public static func write(_ bytes: [UInt8], to path: String) throws(DataFileError) {
        let file = try AtomicOutputFile(path: path)
        file.write(bytes: bytes)
        try file.commit()
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
