/// Re-reads a scalar's source text the way libyaml decoded it, recording where every
/// byte of the decoded value was written. This lets an error inside an expression point
/// at its true place in the YAML file, also inside quoted, escaped, folded and block
/// scalars (the approach of cel-go's `policy/source.go`).
///
/// The result is checked against libyaml's own value; when the two differ (an exotic
/// construct this reader does not model) it returns nil and callers fall back to the
/// scalar's start, which is imprecise but never wrong.
enum ScalarSourceMap {
    static func locations(value: String, style: YAMLScalarStyle, locator: ByteLocator, start: Int, end: Int) -> [SourceLocation]? {
        let src = locator.source
        // Every offset below is clamped to the file: a disagreement with libyaml can
        // only make positions less precise (the scalar's start), never trap.
        guard start >= 0, end <= src.count, start <= end else { return nil }
        var walker = Walker(src: src, locator: locator, start: start)
        switch style {
        case .plain: walker.flow(from: start, to: end, quote: nil)
        case .singleQuoted, .doubleQuoted:
            guard end - start >= 2 else { return nil }
            walker.flow(from: start + 1, to: end - 1, quote: style == .singleQuoted ? .single : .double)
        case .literal, .folded: walker.block(from: start, to: end, folded: style == .folded)
        }
        let expected = Array(value.utf8)
        guard walker.out == expected else { return nil }
        var locs = walker.locs
        locs.append(walker.endLocation)
        return locs
    }

    enum Quote { case single, double }

    struct Walker {
        let src: [UInt8]
        let locator: ByteLocator
        var out: [UInt8] = []
        var locs: [SourceLocation] = []
        var endLocation: SourceLocation
        // Incremental location tracking (monotonic scans).
        private var cursor: Int
        private var cursorLocation: SourceLocation

        init(src: [UInt8], locator: ByteLocator, start: Int) {
            self.src = src
            self.locator = locator
            self.cursor = start
            self.cursorLocation = locator.location(ofByte: start)
            self.endLocation = cursorLocation
        }

        /// The location of byte `offset` (clamped to the file). Scans forward from the
        /// last lookup; a break counts as one line however many bytes it has, and an
        /// offset inside a multi-byte break gives the break's own location.
        mutating func location(_ offset: Int) -> SourceLocation {
            let target = min(max(offset, 0), src.count)
            if target < cursor { cursor = target; cursorLocation = locator.location(ofByte: target); return cursorLocation }
            while cursor < target {
                let n = LineBreak.length(src, at: cursor)
                if n > 0 {
                    if cursor + n > target { break }
                    cursorLocation = SourceLocation(line: cursorLocation.line + 1, column: 1)
                    cursor += n
                } else {
                    if src[cursor] & 0xC0 != 0x80 { cursorLocation = cursorLocation.advanced(by: 1) }
                    cursor += 1
                }
            }
            return cursorLocation
        }

        mutating func emit(_ bytes: [UInt8], at offset: Int) {
            let l = location(offset)
            for b in bytes { out.append(b); locs.append(l) }
        }

        mutating func emitSourceChar(at offset: Int, end: Int) -> Int {
            guard offset >= 0, offset < src.count else { return max(end, offset + 1) }
            var k = offset + 1
            while k < end, k < src.count, src[k] & 0xC0 == 0x80 { k += 1 }
            let l = location(offset)
            for i in offset..<k { out.append(src[i]); locs.append(l) }
            return k
        }

        /// The length of the line break at `i` when it ends before `to`, else 0.
        func breakLength(_ i: Int, _ to: Int) -> Int {
            let n = LineBreak.length(src, at: i)
            return i + n <= to ? n : 0
        }
        static func isBlank(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 }

        /// Plain and quoted scalars: line folding, `''` and backslash escapes.
        mutating func flow(from: Int, to: Int, quote: Quote?) {
            let to = min(to, src.count)
            var i = max(from, 0)
            while i < to {
                let b = src[i]
                let n = breakLength(i, to)
                if n > 0 {
                    // Trailing blanks before a break are not content.
                    while let last = out.last, Self.isBlank(last) {
                        out.removeLast()
                        locs.removeLast()
                    }
                    // As libyaml: a first break that reads as LF folds to a space, or
                    // gives way to the breaks of the empty lines after it; a line or
                    // paragraph separator is kept, followed by those breaks.
                    let first = LineBreak.decoded(src, at: i, length: n), firstAt = i
                    var trailing: [(at: Int, bytes: [UInt8])] = []
                    i += n
                    while i < to {
                        while i < to, Self.isBlank(src[i]) { i += 1 }
                        let m = breakLength(i, to)
                        guard m > 0 else { break }
                        trailing.append((i, LineBreak.decoded(src, at: i, length: m)))
                        i += m
                    }
                    if first == [0x0A] {
                        if trailing.isEmpty { emit([0x20], at: firstAt) }
                    } else {
                        emit(first, at: firstAt)
                    }
                    for t in trailing { emit(t.bytes, at: t.at) }
                    continue
                }
                if quote == .single, b == 0x27, i + 1 < to, src[i + 1] == 0x27 {
                    emit([0x27], at: i)
                    i += 2
                    continue
                }
                if quote == .double, b == 0x5C, i + 1 < to {
                    i = escape(at: i, to: to)
                    continue
                }
                i = emitSourceChar(at: i, end: to)
            }
            endLocation = location(to)
        }

        mutating func escape(at i: Int, to: Int) -> Int {
            guard i + 1 < to else { return to }
            let c = src[i + 1]
            let simple: [UInt8: UInt8] = [
                0x30: 0x00, 0x61: 0x07, 0x62: 0x08, 0x74: 0x09, 0x09: 0x09, 0x6E: 0x0A, 0x76: 0x0B,
                0x66: 0x0C, 0x72: 0x0D, 0x65: 0x1B, 0x20: 0x20, 0x22: 0x22, 0x2F: 0x2F, 0x5C: 0x5C,
            ]
            if let v = simple[c] { emit([v], at: i); return i + 2 }
            switch c {
            case 0x4E: emit([0xC2, 0x85], at: i); return i + 2
            case 0x5F: emit([0xC2, 0xA0], at: i); return i + 2
            case 0x4C: emit([0xE2, 0x80, 0xA8], at: i); return i + 2
            case 0x50: emit([0xE2, 0x80, 0xA9], at: i); return i + 2
            case 0x78, 0x75, 0x55:
                let width = c == 0x78 ? 2 : (c == 0x75 ? 4 : 8)
                guard i + 2 + width <= to else { return to }
                var cp: UInt32 = 0
                for k in 0..<width {
                    guard let d = hexValue(src[i + 2 + k]) else { return to }
                    cp = cp << 4 | d
                }
                guard let scalar = Unicode.Scalar(cp) else { return to }
                emit(Array(String(Character(scalar)).utf8), at: i)
                return i + 2 + width
            case _ where breakLength(i + 1, to) > 0:
                // Escaped line break: joins lines without a space; blanks skipped, and
                // each further empty line's break kept (libyaml does not fold them).
                var k = i + 1 + breakLength(i + 1, to)
                while k < to {
                    while k < to, Self.isBlank(src[k]) { k += 1 }
                    let m = breakLength(k, to)
                    guard m > 0 else { break }
                    emit(LineBreak.decoded(src, at: k, length: m), at: k)
                    k += m
                }
                return k
            default:
                return i + 1
            }
        }

        func hexValue(_ b: UInt8) -> UInt32? {
            switch b {
            case 0x30...0x39: UInt32(b - 0x30)
            case 0x41...0x46: UInt32(b - 0x41 + 10)
            case 0x61...0x66: UInt32(b - 0x61 + 10)
            default: nil
            }
        }

        /// `|` and `>` block scalars: header, indentation, folding and chomping.
        mutating func block(from: Int, to: Int, folded: Bool) {
            let to = min(to, src.count)
            var i = max(from, 0) + 1
            var chomp: UInt8 = 0  // 0 clip, '-' strip, '+' keep
            var explicitIndent = 0
            while i < to, breakLength(i, to) == 0 {
                let b = src[i]
                if b == 0x2D || b == 0x2B { chomp = b } else if b >= 0x31, b <= 0x39 { explicitIndent = Int(b - 0x30) } else if b == 0x23 { break }
                i += 1
            }
            while i < to, breakLength(i, to) == 0 { i += 1 }
            if i < to { i += breakLength(i, to) }
            // Collect lines, each with its break (offset and what libyaml makes of it).
            struct Line { var start: Int; var end: Int; var breakAt: Int; var breakBytes: [UInt8] }
            var lines: [Line] = []
            var k = i
            while k < to {
                var e = k
                while e < to, breakLength(e, to) == 0 { e += 1 }
                let n = breakLength(e, to)
                lines.append(Line(start: k, end: e, breakAt: e, breakBytes: n > 0 ? LineBreak.decoded(src, at: e, length: n) : [0x0A]))
                k = n > 0 ? e + n : e
            }
            // The scalar's own indentation. An explicit indicator is relative to the
            // enclosing block, which this reader does not track: such scalars fall back
            // to the scalar's start when the re-read text differs from libyaml's.
            var indent = explicitIndent
            if explicitIndent == 0 {
                for l in lines {
                    var s = l.start
                    while s < l.end, src[s] == 0x20 { s += 1 }
                    if s < l.end { indent = s - l.start; break }
                }
            }
            // Content with locations; remember trailing line breaks for chomping.
            var pendingBreaks: [(at: Int, bytes: [UInt8])] = []
            var previousWasText = false
            var previousMoreIndented = false
            for l in lines {
                let blankOnly = (l.start..<l.end).allSatisfy { Self.isBlank(src[$0]) }
                if blankOnly && (l.end - l.start) <= indent {
                    pendingBreaks.append((l.breakAt, l.breakBytes))
                    continue
                }
                let contentStart = min(l.start + indent, l.end)
                let moreIndented = contentStart < l.end && Self.isBlank(src[contentStart])
                if previousWasText, folded, !moreIndented, !previousMoreIndented, let first = pendingBreaks.first, first.bytes == [0x0A] {
                    // A folded LF: a space, or the breaks of the empty lines after it.
                    if pendingBreaks.count == 1 { emit([0x20], at: first.at) }
                    for b in pendingBreaks.dropFirst() { emit(b.bytes, at: b.at) }
                } else {
                    for b in pendingBreaks { emit(b.bytes, at: b.at) }
                }
                pendingBreaks = []
                var s = contentStart
                while s < l.end { s = emitSourceChar(at: s, end: l.end) }
                pendingBreaks.append((l.breakAt, l.breakBytes))
                previousWasText = true
                previousMoreIndented = moreIndented
            }
            switch chomp {
            case 0x2D: break
            case 0x2B: for b in pendingBreaks { emit(b.bytes, at: b.at) }
            default: if previousWasText, let b = pendingBreaks.first { emit(b.bytes, at: b.at) }
            }
            endLocation = location(to)
        }
    }
}
