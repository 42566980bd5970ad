/// A JSON value with its object keys in the order given, written the same way every
/// time: what `prosper-rules schema` prints (the editor schemas).
package indirect enum JSONValue: Sendable, Equatable {
    case string(String)
    case integer(Int64)
    case bool(Bool)
    case array([JSONValue])
    case object([(String, JSONValue)])
    case null

    package static func == (a: JSONValue, b: JSONValue) -> Bool { a.rendered() == b.rendered() }

    /// The value as JSON text: two-space indentation, one key per line, a final newline
    /// at the top level.
    package func rendered() -> String {
        var out = ""
        write(&out, indent: "")
        return out + "\n"
    }

    private func write(_ out: inout String, indent: String) {
        switch self {
        case .string(let s): Self.quote(s, &out)
        case .integer(let n): out += String(n)
        case .bool(let b): out += b ? "true" : "false"
        case .null: out += "null"
        case .array(let items):
            // Short arrays of texts stay on one line.
            if items.allSatisfy({ if case .string = $0 { return true } else { return false } }), items.count <= 12 {
                out += "["
                for (i, item) in items.enumerated() {
                    if i > 0 { out += ", " }
                    item.write(&out, indent: indent)
                }
                out += "]"
                return
            }
            out += "[\n"
            for (i, item) in items.enumerated() {
                out += indent + "  "
                item.write(&out, indent: indent + "  ")
                out += i + 1 < items.count ? ",\n" : "\n"
            }
            out += indent + "]"
        case .object(let pairs):
            if pairs.isEmpty { out += "{}"; return }
            out += "{\n"
            for (i, (k, v)) in pairs.enumerated() {
                out += indent + "  "
                Self.quote(k, &out)
                out += ": "
                v.write(&out, indent: indent + "  ")
                out += i + 1 < pairs.count ? ",\n" : "\n"
            }
            out += indent + "}"
        }
    }

    private static func quote(_ s: String, _ out: inout String) { out += DiagnosticJSON.quote(s) }
}
