/// A small JSON reader for the differential test. Unlike JSONSerialization it keeps
/// numbers as the exact text written (so `19708.00` is compared as written, never
/// through a binary double) and keeps every key of an object in order, duplicates
/// included, so the test can see a key that is written twice.
enum JSONValue: Equatable, CustomStringConvertible {
    case object([(key: String, value: JSONValue)])
    case array([JSONValue])
    case string(String)
    /// The number exactly as written.
    case number(String)
    case bool(Bool)
    case null

    static func == (a: JSONValue, b: JSONValue) -> Bool {
        switch (a, b) {
        case (.object(let x), .object(let y)): x.count == y.count && zip(x, y).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        case (.array(let x), .array(let y)): x == y
        case (.string(let x), .string(let y)): x == y
        case (.number(let x), .number(let y)): x == y
        case (.bool(let x), .bool(let y)): x == y
        case (.null, .null): true
        default: false
        }
    }

    var description: String {
        switch self {
        case .object(let kv): "{" + kv.map { "\"\($0.key)\": \($0.value)" }.joined(separator: ", ") + "}"
        case .array(let a): "[" + a.map(\.description).joined(separator: ", ") + "]"
        case .string(let s): "\"\(s)\""
        case .number(let n): n
        case .bool(let b): b ? "true" : "false"
        case .null: "null"
        }
    }

    /// The first value under `key` in an object (nil when absent or not an object).
    subscript(key: String) -> JSONValue? {
        guard case .object(let kv) = self else { return nil }
        return kv.first { $0.key == key }?.value
    }

    /// The first value under `key` that is a number, as written. A key written twice
    /// (a figure and a table with one name) still finds the figure.
    func number(_ key: String) -> String? {
        guard case .object(let kv) = self else { return nil }
        for (k, v) in kv where k == key { if case .number(let n) = v { return n } }
        return nil
    }

    /// The first value under `key` that is an array.
    func array(_ key: String) -> [JSONValue]? {
        guard case .object(let kv) = self else { return nil }
        for (k, v) in kv where k == key { if case .array(let a) = v { return a } }
        return nil
    }

    var text: String? { if case .string(let s) = self { return s } else { return nil } }
    var numberText: String? { if case .number(let n) = self { return n } else { return nil } }

    /// Every object key written more than once, with its path (`churn.alerts`).
    func duplicateKeys(path: String = "") -> [String] {
        switch self {
        case .object(let kv):
            var seen: Set<String> = []
            var out: [String] = []
            for (k, v) in kv {
                let p = path.isEmpty ? k : path + "." + k
                if !seen.insert(k).inserted { out.append(p) }
                out += v.duplicateKeys(path: p)
            }
            return out
        case .array(let a):
            return a.enumerated().flatMap { $1.duplicateKeys(path: "\(path)[\($0)]") }
        default:
            return []
        }
    }
}

struct JSONSyntaxError: Error, CustomStringConvertible {
    let offset: Int
    let message: String
    var description: String { "JSON syntax error at byte \(offset): \(message)" }
}

/// A strict RFC 8259 reader (no comments, no trailing commas).
struct ExactJSONReader {
    private let b: [UInt8]
    private var i = 0

    static func parse(_ text: String) throws -> JSONValue {
        var r = ExactJSONReader(b: Array(text.utf8))
        r.skipSpace()
        let v = try r.value(depth: 0)
        r.skipSpace()
        guard r.i == r.b.count else { throw JSONSyntaxError(offset: r.i, message: "text after the value") }
        return v
    }

    private init(b: [UInt8]) { self.b = b }

    private mutating func skipSpace() {
        while i < b.count, b[i] == 0x20 || b[i] == 0x0A || b[i] == 0x0D || b[i] == 0x09 { i += 1 }
    }

    private func fail(_ m: String) -> JSONSyntaxError { JSONSyntaxError(offset: i, message: m) }

    private mutating func value(depth: Int) throws -> JSONValue {
        guard depth < 100 else { throw fail("too deep") }
        guard i < b.count else { throw fail("unexpected end") }
        switch b[i] {
        case UInt8(ascii: "{"):
            i += 1
            var kv: [(key: String, value: JSONValue)] = []
            skipSpace()
            if i < b.count, b[i] == UInt8(ascii: "}") { i += 1; return .object(kv) }
            while true {
                skipSpace()
                guard i < b.count, b[i] == UInt8(ascii: "\"") else { throw fail("expected a key") }
                let k = try string()
                skipSpace()
                guard i < b.count, b[i] == UInt8(ascii: ":") else { throw fail("expected ':'") }
                i += 1
                skipSpace()
                kv.append((k, try value(depth: depth + 1)))
                skipSpace()
                guard i < b.count else { throw fail("unexpected end") }
                if b[i] == UInt8(ascii: ",") { i += 1; continue }
                if b[i] == UInt8(ascii: "}") { i += 1; return .object(kv) }
                throw fail("expected ',' or '}'")
            }
        case UInt8(ascii: "["):
            i += 1
            var a: [JSONValue] = []
            skipSpace()
            if i < b.count, b[i] == UInt8(ascii: "]") { i += 1; return .array(a) }
            while true {
                skipSpace()
                a.append(try value(depth: depth + 1))
                skipSpace()
                guard i < b.count else { throw fail("unexpected end") }
                if b[i] == UInt8(ascii: ",") { i += 1; continue }
                if b[i] == UInt8(ascii: "]") { i += 1; return .array(a) }
                throw fail("expected ',' or ']'")
            }
        case UInt8(ascii: "\""):
            return .string(try string())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        default:
            return .number(try number())
        }
    }

    private mutating func literal(_ word: String) throws {
        let w = Array(word.utf8)
        guard i + w.count <= b.count, Array(b[i..<i + w.count]) == w else { throw fail("expected \(word)") }
        i += w.count
    }

    private mutating func number() throws -> String {
        let start = i
        func digits(_ r: inout ExactJSONReader) -> Int {
            let s = r.i
            while r.i < r.b.count, r.b[r.i] >= 0x30, r.b[r.i] <= 0x39 { r.i += 1 }
            return r.i - s
        }
        if i < b.count, b[i] == UInt8(ascii: "-") { i += 1 }
        let intStart = i
        let n = digits(&self)
        guard n > 0 else { throw fail("expected a value") }
        if n > 1, b[intStart] == 0x30 { throw fail("leading zero") }
        if i < b.count, b[i] == UInt8(ascii: ".") {
            i += 1
            guard digits(&self) > 0 else { throw fail("digits expected after '.'") }
        }
        if i < b.count, b[i] == UInt8(ascii: "e") || b[i] == UInt8(ascii: "E") {
            i += 1
            if i < b.count, b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") { i += 1 }
            guard digits(&self) > 0 else { throw fail("digits expected in the exponent") }
        }
        return String(decoding: b[start..<i], as: UTF8.self)
    }

    private mutating func string() throws -> String {
        i += 1  // opening quote
        var out: [UInt8] = []
        while true {
            guard i < b.count else { throw fail("unterminated string") }
            let c = b[i]
            i += 1
            if c == UInt8(ascii: "\"") { break }
            if c < 0x20 { throw fail("control character in a string") }
            guard c == UInt8(ascii: "\\") else { out.append(c); continue }
            guard i < b.count else { throw fail("unterminated escape") }
            let e = b[i]
            i += 1
            switch e {
            case UInt8(ascii: "\""): out.append(0x22)
            case UInt8(ascii: "\\"): out.append(0x5C)
            case UInt8(ascii: "/"): out.append(0x2F)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var u = try hex4()
                if (0xD800..<0xDC00).contains(u) {
                    guard i + 1 < b.count, b[i] == UInt8(ascii: "\\"), b[i + 1] == UInt8(ascii: "u") else { throw fail("lone surrogate") }
                    i += 2
                    let lo = try hex4()
                    guard (0xDC00..<0xE000).contains(lo) else { throw fail("bad surrogate pair") }
                    u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00)
                }
                guard let scalar = Unicode.Scalar(u) else { throw fail("bad \\u escape") }
                out += Array(String(Character(scalar)).utf8)
            default:
                throw fail("bad escape")
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private mutating func hex4() throws -> UInt32 {
        guard i + 4 <= b.count else { throw fail("short \\u escape") }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let c = b[i]
            i += 1
            switch c {
            case 0x30...0x39: v = v * 16 + UInt32(c - 0x30)
            case 0x41...0x46: v = v * 16 + UInt32(c - 0x41 + 10)
            case 0x61...0x66: v = v * 16 + UInt32(c - 0x61 + 10)
            default: throw fail("bad hex digit")
            }
        }
        return v
    }
}
