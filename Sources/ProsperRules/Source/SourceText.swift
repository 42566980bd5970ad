/// The text of one input file with a table of line starts, so diagnostics can quote
/// the offending line. Lines end where libyaml's do (LF, CR, CR LF, NEL, U+2028,
/// U+2029). A window of a line is found in O(log n + window), so quoting thousands of
/// places on one 2 MB line never rescans the line.
package struct SourceText: Sendable {
    /// The path as the user gave it (used in every message).
    package let path: String
    /// The decoded text.
    package let text: String
    private let lines: [Range<String.Index>]
    /// Unicode scalars before the start of each line, and in each line.
    private let lineScalarStart: [Int]
    private let lineLengths: [Int]
    /// The index of every `stride`-th Unicode scalar of the text.
    private let checkpoints: [String.Index]
    private static let stride = 256

    package init(path: String, text: String) {
        self.path = path
        self.text = text
        var lines: [Range<String.Index>] = []
        var starts: [Int] = [], lengths: [Int] = []
        var checkpoints: [String.Index] = []
        let scalars = text.unicodeScalars
        var start = scalars.startIndex, i = scalars.startIndex
        var n = 0, lineStartCount = 0
        while i < scalars.endIndex {
            if n % Self.stride == 0 { checkpoints.append(i) }
            let c = scalars[i]
            i = scalars.index(after: i)
            n += 1
            guard LineBreak.isBreak(c) else { continue }
            lines.append(start..<scalars.index(before: i))
            starts.append(lineStartCount)
            lengths.append(n - 1 - lineStartCount)
            if c == "\r", i < scalars.endIndex, scalars[i] == "\n" {
                if n % Self.stride == 0 { checkpoints.append(i) }
                i = scalars.index(after: i)
                n += 1
            }
            start = i
            lineStartCount = n
        }
        if n % Self.stride == 0 { checkpoints.append(i) }
        lines.append(start..<scalars.endIndex)
        starts.append(lineStartCount)
        lengths.append(n - lineStartCount)
        self.lines = lines
        self.lineScalarStart = starts
        self.lineLengths = lengths
        self.checkpoints = checkpoints
    }

    /// The text of 1-based line `number` without its line break, nil when out of range.
    package func line(_ number: Int) -> Substring? {
        guard number >= 1, number <= lines.count else { return nil }
        return Substring(text.unicodeScalars[lines[number - 1]])
    }

    /// The length of 1-based line `number` in Unicode scalars (0 when out of range).
    package func lineLength(_ number: Int) -> Int {
        guard number >= 1, number <= lines.count else { return 0 }
        return lineLengths[number - 1]
    }

    /// Scalars `from ..< to` (0-based, clamped) of 1-based line `number`.
    package func scalars(ofLine number: Int, from: Int, to: Int) -> [Unicode.Scalar] {
        guard number >= 1, number <= lines.count else { return [] }
        let range = lines[number - 1]
        let first = lineScalarStart[number - 1] + max(from, 0)
        var i = index(ofScalar: first)
        if i < range.lowerBound { i = range.lowerBound }
        var out: [Unicode.Scalar] = []
        let scalars = text.unicodeScalars
        var k = max(from, 0)
        while k < to, i < range.upperBound {
            out.append(scalars[i])
            i = scalars.index(after: i)
            k += 1
        }
        return out
    }

    /// The index of the `n`-th Unicode scalar of the text (clamped to the end).
    private func index(ofScalar n: Int) -> String.Index {
        let scalars = text.unicodeScalars
        guard n > 0, !checkpoints.isEmpty else { return scalars.startIndex }
        let k = min(n / Self.stride, checkpoints.count - 1)
        var i = checkpoints[k]
        var left = n - k * Self.stride
        while left > 0, i < scalars.endIndex {
            i = scalars.index(after: i)
            left -= 1
        }
        return i
    }

    /// Number of lines.
    package var lineCount: Int { lines.count }
}
