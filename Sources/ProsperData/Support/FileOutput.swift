
/// Whole-file writes for command output (reports, rejects files).
package enum FileOutput {
    /// Writes `bytes` to `path`, replacing the file atomically (see `AtomicOutputFile`:
    /// exclusive temporary file, mode and owner kept, removed on SIGINT/SIGTERM).
    package static func write(_ bytes: [UInt8], to path: String) throws(DataFileError) {
        let file = try AtomicOutputFile(path: path)
        file.write(bytes: bytes)
        try file.commit()
    }
}
