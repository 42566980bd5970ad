/// The results of a run: rows of text (nil = SQL NULL) per query name.
package struct ResultSets: Sendable {
    package private(set) var rows: [String: [[String?]]] = [:]

    package init() {}

    package subscript(name: String) -> [[String?]] { rows[name] ?? [] }

    package func has(_ name: String) -> Bool { rows[name] != nil }

    /// The results whose names start with `prefix`, without it.
    package func scoped(_ prefix: String) -> ResultSets {
        var out = ResultSets()
        for (k, v) in rows where k.hasPrefix(prefix) { out.rows[String(k.dropFirst(prefix.count))] = v }
        return out
    }

    mutating func add(_ name: String, _ r: [[String?]]) { rows[name, default: []] += r }

    /// Parses the stream the drivers write: a line `@@@ name` before each query's rows,
    /// then the rows as CSV where every value is quoted and an unquoted empty field is
    /// NULL (PostgreSQL's `COPY … (FORMAT csv, FORCE_QUOTE *)`).
    package static func parse(_ text: String) throws(EngineError) -> ResultSets {
        var out = ResultSets()
        var current: String?
        var rows: [[String?]] = []
        var scalars = Array(text.unicodeScalars)
        scalars.append("\n")
        var i = 0
        func flush() { if let current { out.add(current, rows) } }
        while i < scalars.count - 1 {
            // A marker line.
            if scalars[i] == "@", i + 4 <= scalars.count, scalars[i + 1] == "@", scalars[i + 2] == "@", scalars[i + 3] == " " {
                var j = i + 4
                var name = String.UnicodeScalarView()
                while j < scalars.count, scalars[j] != "\n" { name.append(scalars[j]); j += 1 }
                if name.last == "\r" { name.removeLast() }
                flush()
                current = String(name)
                out.add(String(name), [])
                rows = []
                i = j + 1
                continue
            }
            // One CSV record.
            var record: [String?] = []
            var field = String.UnicodeScalarView()
            var quoted = false
            var inQuotes = false
            while i < scalars.count {
                let c = scalars[i]
                if inQuotes {
                    if c == "\"" {
                        if i + 1 < scalars.count, scalars[i + 1] == "\"" { field.append("\""); i += 2; continue }
                        inQuotes = false
                        i += 1
                        continue
                    }
                    field.append(c)
                    i += 1
                    continue
                }
                if c == "\"" { inQuotes = true; quoted = true; i += 1; continue }
                if c == "," {
                    record.append(quoted || !field.isEmpty ? String(field) : nil)
                    field = String.UnicodeScalarView()
                    quoted = false
                    i += 1
                    continue
                }
                if c == "\r", i + 1 < scalars.count, scalars[i + 1] == "\n" { i += 1; continue }
                if c == "\n" {
                    record.append(quoted || !field.isEmpty ? String(field) : nil)
                    i += 1
                    break
                }
                field.append(c)
                i += 1
            }
            if inQuotes { throw EngineError("the engine's result ended inside a quoted value") }
            guard current != nil else { throw EngineError("the engine returned rows before any query marker") }
            rows.append(record)
        }
        flush()
        return out
    }
}
