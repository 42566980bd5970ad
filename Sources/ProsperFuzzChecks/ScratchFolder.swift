#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A fresh temporary folder for one check (the product reads files by path); removed
/// with everything written into it. One per call, so parallel tests do not collide.
/// Made under `base` (`/tmp` unless given): the library reads no environment (TMPDIR).
final class ScratchFolder {
    let path: String
    private var names: [String] = []

    init?(base: String = "/tmp") {
        var template = Array((base + "/prosper-fuzz.XXXXXX").utf8CString)
        let made = template.withUnsafeMutableBufferPointer { b -> Bool in
            guard let p = b.baseAddress else { return false }
            return mkdtemp(p) != nil
        }
        guard made else { return nil }
        path = template.withUnsafeBufferPointer { b in
            String(decoding: b.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
    }

    /// Writes `bytes` to `name` in the folder; its path, nil when writing failed.
    func write(_ name: String, _ bytes: [UInt8]) -> String? {
        let file = path + "/" + name
        guard let f = fopen(file, "wb") else { return nil }
        names.append(name)
        let written = bytes.withUnsafeBufferPointer { b in b.isEmpty ? 0 : fwrite(b.baseAddress, 1, b.count, f) }
        fclose(f)
        return written == bytes.count ? file : nil
    }

    func write(_ name: String, _ text: String) -> String? { write(name, Array(text.utf8)) }

    deinit {
        for n in names { unlink(path + "/" + n) }
        rmdir(path)
    }
}
