/// The request headers `serve` honours for caching and compression.
enum HTTPCaching {
    /// Whether an `Accept-Encoding` value accepts gzip (`gzip`, `x-gzip` or `*`, with a
    /// `q` other than 0).
    static func acceptsGzip(_ header: String?) -> Bool {
        guard let header else { return false }
        for item in header.split(separator: ",") {
            let parts = item.split(separator: ";").map { $0.trimmingSpaces.lowercased() }
            guard let name = parts.first, name == "gzip" || name == "x-gzip" || name == "*" else { continue }
            let refused = parts.dropFirst().contains { p in
                guard p.hasPrefix("q=") else { return false }
                let q = p.dropFirst(2)
                return !q.isEmpty && q.allSatisfy { $0 == "0" || $0 == "." }
            }
            if !refused { return true }
        }
        return false
    }

    /// Whether an `If-None-Match` value names `etag` (weak comparison, `*` matches all).
    static func matches(_ header: String?, etag: String) -> Bool {
        guard let header else { return false }
        let strong = etag.hasPrefix("W/") ? String(etag.dropFirst(2)) : etag
        for item in header.split(separator: ",") {
            var tag = item.trimmingSpaces
            if tag == "*" { return true }
            if tag.hasPrefix("W/") { tag = String(tag.dropFirst(2)) }
            if tag == strong { return true }
        }
        return false
    }

    /// FNV-1a (64 bits) of `text` as 16 hexadecimal digits: names a request's parameters
    /// in an ETag without their characters.
    static func fnv(_ text: String) -> String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in text.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        let s = String(h, radix: 16)
        return String(repeating: "0", count: 16 - s.count) + s
    }
}

extension Substring {
    /// Without leading and trailing spaces and tabs.
    var trimmingSpaces: String {
        var s = self[...]
        while let f = s.first, f == " " || f == "\t" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" { s.removeLast() }
        return String(s)
    }
}
