/// Diagnostics as JSON for tools: a list of
/// `{file, line, column, endLine, endColumn, severity, code, message}` in a fixed key
/// order (positions are null when a problem has none).
public enum DiagnosticJSON {
    public static func render(_ ds: [Diagnostic]) -> String {
        if ds.isEmpty { return "[]\n" }
        var out = "[\n"
        for (i, d) in ds.enumerated() {
            func num(_ v: Int?) -> String { v.map(String.init) ?? "null" }
            out += "  {\"file\": \(quote(d.file)), \"line\": \(num(d.range?.start.line)), \"column\": \(num(d.range?.start.column)), "
            out += "\"endLine\": \(num(d.range?.end.line)), \"endColumn\": \(num(d.range?.end.column)), "
            out += "\"severity\": \(quote(d.severity.rawValue)), \"code\": \(quote(d.code)), \"message\": \(quote(d.message))}"
            out += i == ds.count - 1 ? "\n" : ",\n"
        }
        return out + "]\n"
    }

    /// A JSON string literal.
    public static func quote(_ s: String) -> String {
        // Most texts (ids, names, reasons) need no escape: one copy, no per-scalar work.
        if !s.utf8.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C }) {
            return "\"" + s + "\""
        }
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 {
                    let h = String(u.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - h.count) + h
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        return out + "\""
    }
}
