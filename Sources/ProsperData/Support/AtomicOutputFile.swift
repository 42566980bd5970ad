#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A report file written through a buffer into a temporary file beside its destination,
/// then renamed over it: a reader sees the old file or the new one, never half of one.
/// (docs/output.md describes every rule below.)
///
/// - The temporary file gets a random name and is created exclusively, never through a
///   symbolic link (`O_CREAT | O_EXCL | O_NOFOLLOW`), with mode 0600 while it is written.
/// - A destination that is a symbolic link is followed to its file (the link stays).
/// - Replacing a file keeps its mode (permission bits) and, where permitted, its owner
///   and group; a new file gets 0666 minus the umask.
/// - A destination that exists and is not a regular file (a device such as /dev/null,
///   a pipe such as /dev/stdout) is written in place, never replaced; a folder is an error.
/// - While it exists, the temporary file is registered with `TemporaryPaths`, so SIGINT
///   and SIGTERM remove it.
/// - Every failure names the path and the system's reason ("No space left on device").
///
/// Writes collect the first failure; `commit()` reports it. Use it as a
/// `TextOutputStream` to stream a formatter's output without building it whole.
package final class AtomicOutputFile: TextOutputStream {
    /// The destination as the user gave it (for messages).
    package let path: String
    /// Where the bytes finally go (the destination, a symbolic link resolved).
    private let target: String
    /// The temporary file, nil when writing in place.
    private let temporary: String?
    private var slot: Int?
    private var fd: Int32
    /// Mode and owner to give the file: those of the file it replaces, else nil (new file).
    private let replaced: (mode: mode_t, uid: uid_t, gid: gid_t)?
    private var buffer: [UInt8] = []
    private var failure: DataFileError?
    private var finished = false
    private static let bufferSize = 1 << 16

    /// Opens the temporary file for `path` (or `path` itself when it is a device or pipe).
    package init(path: String) throws(DataFileError) {
        self.path = path
        guard !path.isEmpty else { throw DataFileError(path: path, message: "cannot write a file with an empty name") }
        var target = path
        var st = stat()
        var existing: stat?
        if lstat(path, &st) == 0 {
            if (st.st_mode & S_IFMT) == S_IFLNK {
                // A link to something without a path of its own (/dev/stdout → a pipe):
                // written in place.
                if let real = realpath(path, nil) {
                    target = String(cString: real)
                    free(real)
                    if stat(target, &st) != 0 { throw Self.failure(path, "cannot write", errno) }
                } else if stat(path, &st) != 0 {
                    throw Self.failure(path, "cannot write", errno)
                }
            }
            existing = st
        }
        self.target = target
        if let e = existing, (e.st_mode & S_IFMT) == S_IFDIR { throw Self.failure(path, "cannot write", EISDIR) }
        if let e = existing, (e.st_mode & S_IFMT) != S_IFREG {
            // A device or a pipe: written in place, never replaced.
            fd = open(target, O_WRONLY | O_TRUNC | O_CLOEXEC)
            guard fd >= 0 else { throw Self.failure(path, "cannot write", errno) }
            temporary = nil
            replaced = nil
            buffer.reserveCapacity(Self.bufferSize)
            return
        }
        replaced = existing.map { (mode: $0.st_mode & 0o777, uid: $0.st_uid, gid: $0.st_gid) }
        let (created, name) = try Self.createTemporary(beside: target, path: path)
        fd = created
        temporary = name
        slot = TemporaryPaths.register(name)
        buffer.reserveCapacity(Self.bufferSize)
    }

    deinit {
        if !finished { abandon() }
    }

    /// Appends text (TextOutputStream).
    package func write(_ string: String) {
        guard failure == nil else { return }
        buffer.append(contentsOf: string.utf8)
        if buffer.count >= Self.bufferSize { flush() }
    }

    /// Appends bytes.
    package func write(bytes: [UInt8]) {
        guard failure == nil else { return }
        buffer.append(contentsOf: bytes)
        if buffer.count >= Self.bufferSize { flush() }
    }

    /// Appends raw bytes.
    func write(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard failure == nil else { return }
        if buffer.isEmpty, bytes.count >= Self.bufferSize, let base = bytes.baseAddress {
            // A caller that buffers itself (the seeder, the rejects spool) writes its
            // megabyte straight through, without a second copy.
            let code = Self.writeAll(fd, base, bytes.count)
            if code != 0 { failure = Self.failure(path, "cannot write", code) }
            writtenBehind(bytes.count)
            return
        }
        buffer.append(contentsOf: bytes)
        if buffer.count >= Self.bufferSize { flush() }
    }

    /// Writes out what is buffered and gives the temporary file's path, so a scratch
    /// file (never committed) can be read back; nil when writing in place. The first
    /// write failure, if any, is returned with it.
    func flushedTemporary() -> (path: String?, failure: DataFileError?) {
        flush()
        return (temporary, failure)
    }

    /// Writes out what is buffered, syncs, sets the mode and owner, and renames the
    /// temporary file over the destination. On failure the temporary file is removed
    /// and the destination is unchanged.
    package func commit() throws(DataFileError) {
        guard !finished else { return }
        flush()
        if let failure {
            abandon()
            throw failure
        }
        finished = true
        guard let temporary else {
            let closed = close(fd) == 0
            let code = errno
            fd = -1
            if !closed, code != EINTR { throw Self.failure(path, "cannot write", code) }
            return
        }
        defer {
            TemporaryPaths.unregister(slot)
            slot = nil
        }
        var ok = true
        var code: Int32 = 0
        if let r = replaced {
            // Owner first: fchown clears the set-id bits, the mode is set after it.
            if r.uid != geteuid() || r.gid != getegid() { _ = fchown(fd, r.uid, r.gid) }
            if fchmod(fd, r.mode) != 0 { ok = false; code = errno }
        } else if fchmod(fd, 0o666 & ~Self.umaskValue) != 0 {
            ok = false; code = errno
        }
        if ok, fsync(fd) != 0, errno != EINVAL, errno != EROFS { ok = false; code = errno }
        if close(fd) != 0, ok, errno != EINTR { ok = false; code = errno }
        fd = -1
        if ok, rename(temporary, target) != 0 { ok = false; code = errno }
        if !ok {
            unlink(temporary)
            throw Self.failure(path, "cannot write", code)
        }
    }

    /// Stops writing and removes the temporary file; the destination is unchanged.
    package func abandon() {
        finished = true
        if fd >= 0 { close(fd) }
        fd = -1
        if let temporary { unlink(temporary) }
        TemporaryPaths.unregister(slot)
        slot = nil
    }

    private func flush() {
        guard failure == nil, !buffer.isEmpty else { buffer.removeAll(keepingCapacity: true); return }
        let code = buffer.withUnsafeBufferPointer { b -> Int32 in
            guard let base = b.baseAddress else { return 0 }
            return Self.writeAll(fd, base, b.count)
        }
        writtenBehind(buffer.count)
        buffer.removeAll(keepingCapacity: true)
        if code != 0 { failure = Self.failure(path, "cannot write", code) }
    }

    /// Bytes written so far, and the end of the last range handed to write-back.
    private var written: Int64 = 0, handedOver: Int64 = 0
    private static let writeBehindRange: Int64 = 32 << 20

    /// A long output (a seeded data set: 2 GB at 10M customers) keeps a bounded page
    /// cache: each 32 MiB written is handed to write-back at once, and the range two before
    /// it, written back by then, leaves the cache, so its pages are reused for the next
    /// ones. Only hints: the bytes written are the same, and outputs under 32 MiB see no
    /// call at all.
    private func writtenBehind(_ count: Int) {
        #if os(Linux)
        written += Int64(count)
        let range = Self.writeBehindRange
        while written - handedOver >= range {
            // DONTNEED on dirty pages starts their write-back; on clean ones it drops them.
            _ = posix_fadvise(fd, off_t(handedOver), off_t(range), POSIX_FADV_DONTNEED)
            if handedOver >= 2 * range { _ = posix_fadvise(fd, off_t(handedOver - 2 * range), off_t(range), POSIX_FADV_DONTNEED) }
            handedOver += range
        }
        #endif
    }

    /// Writes all bytes (retrying short writes and interruptions); 0 or the errno.
    static func writeAll(_ fd: Int32, _ base: UnsafePointer<UInt8>, _ count: Int) -> Int32 {
        var done = 0
        while done < count {
            #if canImport(Glibc)
            let n = Glibc.write(fd, base + done, count - done)
            #else
            let n = Darwin.write(fd, base + done, count - done)
            #endif
            if n < 0 {
                if errno == EINTR { continue }
                return errno
            }
            if n == 0 { return EIO }
            done += n
        }
        return 0
    }

    /// A new file beside `target`: `.<name>.tmp-<16 random hex digits>`, created
    /// exclusively and never through a link. Retries a taken name (`random`: the name
    /// source, replaced in tests).
    static func createTemporary(beside target: String, path: String, random: () -> String = randomHex) throws(DataFileError) -> (Int32, String) {
        let (folder, name) = split(target)
        var last: Int32 = EEXIST
        for _ in 0..<32 {
            let candidate = folder + "." + name + ".tmp-" + random()
            let fd = open(candidate, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
            if fd >= 0 { return (fd, candidate) }
            last = errno
            if last != EEXIST { break }
        }
        throw failure(path, "cannot write", last)
    }

    /// `("dir/", "name")` of a path; `("", name)` for a bare name.
    static func split(_ p: String) -> (folder: String, name: String) {
        guard let slash = p.lastIndex(of: "/") else { return ("", p) }
        return (String(p[...slash]), String(p[p.index(after: slash)...]))
    }

    /// 16 hex digits from the system's random source.
    static func randomHex() -> String {
        let v = UInt64.random(in: .min ... .max)
        let s = String(v, radix: 16)
        return String(repeating: "0", count: 16 - s.count) + s
    }

    /// The process's umask (read once; the tool never changes it).
    static let umaskValue: mode_t = {
        let m = umask(0o022)
        umask(m)
        return m
    }()

    static func failure(_ path: String, _ what: String, _ code: Int32) -> DataFileError {
        DataFileError(path: path, message: "\(what): \(String(cString: strerror(code)))")
    }
}
