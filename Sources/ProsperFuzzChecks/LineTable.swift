import ProsperRules

/// The lines of a file as the data readers count them: split at `\n` (a `\r` before it
/// belongs to the line ending), lengths in bytes, an upper bound of any column count.
struct LineTable {
    let lengths: [Int]

    init(_ bytes: [UInt8]) {
        var lengths: [Int] = []
        var start = 0
        for (i, b) in bytes.enumerated() where b == UInt8(ascii: "\n") {
            var end = i
            if end > start, bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
            lengths.append(end - start)
            start = i + 1
        }
        lengths.append(bytes.count - start)
        self.lengths = lengths
    }

    /// Nil when `line:column` lies in the file (1 ≤ line ≤ lines, 1 ≤ column ≤ length + 1).
    func problem(line: Int, column: Int) -> String? {
        guard line >= 1, line <= lengths.count else { return "line \(line) outside 1...\(lengths.count)" }
        let limit = lengths[line - 1] + 1
        guard column >= 1, column <= limit else { return "column \(column) outside 1...\(limit) of line \(line)" }
        return nil
    }
}

/// Positions of diagnostics against the text the product read (its `SourceText`, which
/// is what the renderer quotes): columns count Unicode scalars.
enum Positions {
    static func check(_ diagnostics: [Diagnostic], file: String, source: SourceText?, bytes: [UInt8]) -> [FuzzViolation] {
        let text = source ?? SourceText(path: file, text: String(decoding: bytes, as: UTF8.self))
        var out: [FuzzViolation] = []
        for d in diagnostics where d.file == file {
            guard let r = d.range else { continue }
            let s = r.start
            guard s.line >= 1, s.line <= text.lineCount, let line = text.line(s.line) else {
                out.append(FuzzViolation("position", "\(d): line \(s.line) outside 1...\(text.lineCount)"))
                continue
            }
            let limit = line.unicodeScalars.count + 1
            if s.column < 1 || s.column > limit {
                out.append(FuzzViolation("position", "\(d): column \(s.column) outside 1...\(limit) of line \(s.line)"))
            }
        }
        return out
    }
}
