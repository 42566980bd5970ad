/// One JSON scalar (or a nested composite kept as raw text) found on a line.
struct JSONScalar {
    enum Kind { case string, number, bool, null, composite }
    var kind: Kind
    /// Content range: in the line for most values, in the parser's scratch for
    /// strings with escapes (`inScratch`).
    var start: Int
    var end: Int
    var inScratch: Bool
    /// Where the value starts on the line (for positions).
    var rawStart: Int
}

/// A key and its value.
struct JSONMember {
    var keyStart: Int, keyEnd: Int, keyInScratch: Bool
    var value: JSONScalar
}

/// A syntax error at a line offset.
struct JSONSyntaxError: Error {
    let offset: Int
    let message: String
}

/// Parses one JSON Lines record: an object whose values are scalars, except
/// `subscriptions`, an array of such objects. Deeper values are kept as raw JSON text.
/// Works on bytes; strings are unescaped into `scratch`.
struct JSONLineParser {
    var base: UnsafePointer<UInt8>
    var end: Int
    var p: Int
    var scratch: [UInt8] = []
    var members: [JSONMember] = []
    /// Members of the nested subscription objects, one after the other.
    var nestedMembers: [JSONMember] = []
    /// Each nested object's start offset and its range in `nestedMembers`.
    var nested: [(start: Int, members: Range<Int>)] = []
    /// Offset of the `subscriptions` value, when present.
    var subscriptionsAt: Int?

    init(base: UnsafePointer<UInt8>, start: Int, end: Int) {
        self.base = base
        self.p = start
        self.end = end
    }

    /// Moves on to another line but keeps what earlier lines left in the arrays, so that
    /// many lines parse into one set of flat arrays (ranges per line; scratch offsets
    /// stay valid because they index the shared scratch).
    mutating func nextLine(base: UnsafePointer<UInt8>, start: Int, end: Int) {
        self.base = base
        self.p = start
        self.end = end
        subscriptionsAt = nil
    }

    /// Drops what a failed line appended.
    mutating func truncate(members m: Int, nestedMembers nm: Int, nested n: Int, scratch s: Int) {
        members.removeSubrange(m...)
        nestedMembers.removeSubrange(nm...)
        nested.removeSubrange(n...)
        scratch.removeSubrange(s...)
    }

    /// Starts over on another line, keeping the arrays' storage.
    mutating func reset(base: UnsafePointer<UInt8>, start: Int, end: Int) {
        self.base = base
        self.p = start
        self.end = end
        scratch.removeAll(keepingCapacity: true)
        members.removeAll(keepingCapacity: true)
        nestedMembers.removeAll(keepingCapacity: true)
        nested.removeAll(keepingCapacity: true)
        subscriptionsAt = nil
    }

    mutating func parseRecord(subscriptionsKey: [UInt8]) throws(JSONSyntaxError) {
        skipSpace()
        guard p < end, base[p] == UInt8(ascii: "{") else { throw JSONSyntaxError(offset: p, message: "expected a JSON object ('{')") }
        try parseObject(subscriptionsKey: subscriptionsKey, nested: false)
        skipSpace()
        guard p >= end else { throw JSONSyntaxError(offset: p, message: "unexpected text after the object") }
    }

    /// Parses an object into `members` (top level) or `nestedMembers`.
    private mutating func parseObject(subscriptionsKey: [UInt8]?, nested: Bool) throws(JSONSyntaxError) {
        p += 1  // {
        @inline(__always) func add(_ m: JSONMember) {
            if nested { nestedMembers.append(m) } else { members.append(m) }
        }
        skipSpace()
        if p < end, base[p] == UInt8(ascii: "}") { p += 1; return }
        while true {
            skipSpace()
            guard p < end, base[p] == UInt8(ascii: "\"") else { throw JSONSyntaxError(offset: p, message: "expected a key in double quotes") }
            let key = try parseString()
            skipSpace()
            guard p < end, base[p] == UInt8(ascii: ":") else { throw JSONSyntaxError(offset: p, message: "expected ':' after the key") }
            p += 1
            skipSpace()
            guard p < end else { throw JSONSyntaxError(offset: p, message: "expected a value") }
            let valueStart = p
            if let subscriptionsKey, !key.inScratch, key.end - key.start == subscriptionsKey.count,
               memcmpBytes(base + key.start, subscriptionsKey, subscriptionsKey.count), base[p] == UInt8(ascii: "[") {
                subscriptionsAt = valueStart
                try parseSubscriptions()
                add(JSONMember(keyStart: key.start, keyEnd: key.end, keyInScratch: false,
                               value: JSONScalar(kind: .composite, start: valueStart, end: p, inScratch: false, rawStart: valueStart)))
            } else {
                let v = try parseValue(nestedObjects: false)
                add(JSONMember(keyStart: key.start, keyEnd: key.end, keyInScratch: key.inScratch, value: v))
            }
            skipSpace()
            guard p < end else { throw JSONSyntaxError(offset: p, message: "expected ',' or '}'") }
            if base[p] == UInt8(ascii: ",") { p += 1; continue }
            if base[p] == UInt8(ascii: "}") { p += 1; return }
            throw JSONSyntaxError(offset: p, message: "expected ',' or '}'")
        }
    }

    private mutating func parseSubscriptions() throws(JSONSyntaxError) {
        p += 1  // [
        skipSpace()
        if p < end, base[p] == UInt8(ascii: "]") { p += 1; return }
        while true {
            skipSpace()
            guard p < end, base[p] == UInt8(ascii: "{") else { throw JSONSyntaxError(offset: p, message: "expected a subscription object ('{')") }
            let start = p
            let lo = nestedMembers.count
            try parseObject(subscriptionsKey: nil, nested: true)
            nested.append((start, lo..<nestedMembers.count))
            skipSpace()
            guard p < end else { throw JSONSyntaxError(offset: p, message: "expected ',' or ']'") }
            if base[p] == UInt8(ascii: ",") { p += 1; continue }
            if base[p] == UInt8(ascii: "]") { p += 1; return }
            throw JSONSyntaxError(offset: p, message: "expected ',' or ']'")
        }
    }

    private mutating func parseValue(nestedObjects: Bool) throws(JSONSyntaxError) -> JSONScalar {
        let s = p
        let c = base[p]
        switch c {
        case UInt8(ascii: "\""):
            var v = try parseString()
            v.rawStart = s
            return v
        case UInt8(ascii: "t"):
            try literal("true")
            return JSONScalar(kind: .bool, start: s, end: p, inScratch: false, rawStart: s)
        case UInt8(ascii: "f"):
            try literal("false")
            return JSONScalar(kind: .bool, start: s, end: p, inScratch: false, rawStart: s)
        case UInt8(ascii: "n"):
            try literal("null")
            return JSONScalar(kind: .null, start: s, end: p, inScratch: false, rawStart: s)
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            try skipComposite()
            return JSONScalar(kind: .composite, start: s, end: p, inScratch: false, rawStart: s)
        default:
            try number()
            return JSONScalar(kind: .number, start: s, end: p, inScratch: false, rawStart: s)
        }
    }

    private mutating func literal(_ word: StaticString) throws(JSONSyntaxError) {
        let n = word.utf8CodeUnitCount
        guard p + n <= end, memcmpBytes(base + p, word.utf8Start, n) else {
            throw JSONSyntaxError(offset: p, message: "invalid literal (expected \(word))")
        }
        p += n
    }

    private mutating func number() throws(JSONSyntaxError) {
        let s = p
        if p < end, base[p] == UInt8(ascii: "-") { p += 1 }
        func digits() -> Int {
            let d = p
            while p < end, base[p] >= 48, base[p] <= 57 { p += 1 }
            return p - d
        }
        guard digits() > 0 else { throw JSONSyntaxError(offset: s, message: "invalid value") }
        if p < end, base[p] == UInt8(ascii: ".") {
            p += 1
            guard digits() > 0 else { throw JSONSyntaxError(offset: p, message: "expected digits after '.'") }
        }
        if p < end, base[p] | 0x20 == UInt8(ascii: "e") {
            p += 1
            if p < end, base[p] == UInt8(ascii: "+") || base[p] == UInt8(ascii: "-") { p += 1 }
            guard digits() > 0 else { throw JSONSyntaxError(offset: p, message: "expected exponent digits") }
        }
    }

    /// Skips a nested object or array (strings inside may hold brackets).
    private mutating func skipComposite() throws(JSONSyntaxError) {
        var depth = 0
        let s = p
        while p < end {
            let c = base[p]
            if c == UInt8(ascii: "\"") { _ = try parseString(); continue }
            if c == UInt8(ascii: "{") || c == UInt8(ascii: "[") { depth += 1 }
            if c == UInt8(ascii: "}") || c == UInt8(ascii: "]") {
                depth -= 1
                if depth == 0 { p += 1; return }
            }
            p += 1
        }
        throw JSONSyntaxError(offset: s, message: "unclosed '\(Character(UnicodeScalar(base[s])))'")
    }

    /// Parses a string at `p` (on its opening quote).
    private mutating func parseString() throws(JSONSyntaxError) -> JSONScalar {
        let open = p
        p += 1
        let s = p
        // Skip 8 plain bytes at a time (no quote, backslash or control byte).
        while p + 8 <= end {
            let w = UnsafeRawPointer(base + p).loadUnaligned(as: UInt64.self)
            let ones: UInt64 = 0x0101_0101_0101_0101, high: UInt64 = 0x8080_8080_8080_8080
            let q = w ^ (0x22 &* ones), b = w ^ (0x5C &* ones)
            let special = ((q &- ones) & ~q) | ((b &- ones) & ~b) | ((w &- 0x20 &* ones) & ~w)
            if special & high != 0 { break }
            p += 8
        }
        while p < end {
            let c = base[p]
            if c == UInt8(ascii: "\"") {
                p += 1
                return JSONScalar(kind: .string, start: s, end: p - 1, inScratch: false, rawStart: open)
            }
            if c == UInt8(ascii: "\\") { return try parseEscapedString(open: open, contentStart: s) }
            if c < 0x20 { throw JSONSyntaxError(offset: p, message: "control character in a string") }
            p += 1
        }
        throw JSONSyntaxError(offset: open, message: "unclosed string")
    }

    private mutating func parseEscapedString(open: Int, contentStart: Int) throws(JSONSyntaxError) -> JSONScalar {
        let out = scratch.count
        scratch.append(contentsOf: UnsafeBufferPointer(start: base + contentStart, count: p - contentStart))
        while p < end {
            let c = base[p]
            if c == UInt8(ascii: "\"") {
                p += 1
                return JSONScalar(kind: .string, start: out, end: scratch.count, inScratch: true, rawStart: open)
            }
            if c < 0x20 { throw JSONSyntaxError(offset: p, message: "control character in a string") }
            if c != UInt8(ascii: "\\") { scratch.append(c); p += 1; continue }
            guard p + 1 < end else { break }
            let e = base[p + 1]
            p += 2
            switch e {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): scratch.append(e)
            case UInt8(ascii: "b"): scratch.append(8)
            case UInt8(ascii: "f"): scratch.append(12)
            case UInt8(ascii: "n"): scratch.append(10)
            case UInt8(ascii: "r"): scratch.append(13)
            case UInt8(ascii: "t"): scratch.append(9)
            case UInt8(ascii: "u"):
                var scalar = try hex4()
                if (0xD800...0xDBFF).contains(scalar) {
                    guard p + 1 < end, base[p] == UInt8(ascii: "\\"), base[p + 1] == UInt8(ascii: "u") else {
                        throw JSONSyntaxError(offset: p, message: "unpaired surrogate in \\u escape")
                    }
                    p += 2
                    let low = try hex4()
                    guard (0xDC00...0xDFFF).contains(low) else { throw JSONSyntaxError(offset: p, message: "unpaired surrogate in \\u escape") }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                } else if (0xDC00...0xDFFF).contains(scalar) {
                    throw JSONSyntaxError(offset: p, message: "unpaired surrogate in \\u escape")
                }
                guard let u = Unicode.Scalar(scalar) else { throw JSONSyntaxError(offset: p, message: "invalid \\u escape") }
                scratch.append(contentsOf: Array(String(Character(u)).utf8))
            default:
                throw JSONSyntaxError(offset: p - 2, message: "invalid escape '\\\(Character(UnicodeScalar(e)))'")
            }
        }
        throw JSONSyntaxError(offset: open, message: "unclosed string")
    }

    private mutating func hex4() throws(JSONSyntaxError) -> UInt32 {
        guard p + 4 <= end else { throw JSONSyntaxError(offset: p, message: "invalid \\u escape") }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let c = base[p]
            let d: UInt8
            switch c {
            case 48...57: d = c - 48
            case 65...70: d = c - 55
            case 97...102: d = c - 87
            default: throw JSONSyntaxError(offset: p, message: "invalid \\u escape")
            }
            v = v << 4 | UInt32(d)
            p += 1
        }
        return v
    }

    private mutating func skipSpace() {
        while p < end {
            let c = base[p]
            guard c == 0x20 || c == 0x09 || c == 0x0D || c == 0x0A else { return }
            p += 1
        }
    }
}
