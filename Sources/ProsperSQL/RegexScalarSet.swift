import ProsperRules

/// A set of Unicode scalar values as sorted, disjoint, non-adjacent inclusive ranges.
/// Surrogates (U+D800–U+DFFF) are never members: no text holds them, and PostgreSQL
/// and Java read them differently inside a pattern.
struct ScalarSet: Equatable {
    private(set) var ranges: [ClosedRange<UInt32>]

    static let maxScalar: UInt32 = 0x10FFFF
    static let surrogates: ClosedRange<UInt32> = 0xD800...0xDFFF

    /// The normalized set of `ranges` (any order, overlapping, with surrogates).
    init(_ ranges: [ClosedRange<UInt32>]) {
        var pieces: [ClosedRange<UInt32>] = []
        pieces.reserveCapacity(ranges.count + 1)
        for r in ranges {
            let lo = r.lowerBound, hi = min(r.upperBound, Self.maxScalar)
            guard lo <= hi else { continue }
            // Cut the surrogates out.
            if hi < Self.surrogates.lowerBound || lo > Self.surrogates.upperBound {
                pieces.append(lo...hi)
            } else {
                if lo < Self.surrogates.lowerBound { pieces.append(lo...(Self.surrogates.lowerBound - 1)) }
                if hi > Self.surrogates.upperBound { pieces.append((Self.surrogates.upperBound + 1)...hi) }
            }
        }
        pieces.sort { $0.lowerBound < $1.lowerBound }
        var merged: [ClosedRange<UInt32>] = []
        merged.reserveCapacity(pieces.count)
        for r in pieces {
            if let last = merged.last, r.lowerBound <= last.upperBound &+ 1 {
                merged[merged.count - 1] = last.lowerBound...max(last.upperBound, r.upperBound)
            } else {
                merged.append(r)
            }
        }
        self.ranges = merged
    }

    /// One scalar.
    init(_ c: Unicode.Scalar) { self.init([c.value...c.value]) }

    /// Every scalar (the surrogates excluded) for which `member` holds, by scanning them all.
    init(scanning member: (Unicode.Scalar) -> Bool) {
        var out: [ClosedRange<UInt32>] = []
        var start: UInt32? = nil
        var v: UInt32 = 0
        while v <= Self.maxScalar {
            let inside = Unicode.Scalar(v).map(member) ?? false
            if inside {
                if start == nil { start = v }
            } else if let s = start {
                out.append(s...(v - 1))
                start = nil
            }
            v += 1
        }
        if let s = start { out.append(s...Self.maxScalar) }
        self.init(out)
    }

    var isEmpty: Bool { ranges.isEmpty }

    /// The single scalar of a one-element set.
    var single: Unicode.Scalar? {
        guard ranges.count == 1, let r = ranges.first, r.lowerBound == r.upperBound else { return nil }
        return Unicode.Scalar(r.lowerBound)
    }

    func contains(_ v: UInt32) -> Bool {
        var lo = 0, hi = ranges.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if ranges[mid].upperBound < v { lo = mid + 1 } else { hi = mid }
        }
        return lo < ranges.count && ranges[lo].contains(v)
    }

    func union(_ other: ScalarSet) -> ScalarSet { ScalarSet(ranges + other.ranges) }

    /// Every scalar not in the set (surrogates still excluded).
    var complement: ScalarSet {
        var out: [ClosedRange<UInt32>] = []
        var next: UInt32 = 0
        for r in ranges {
            if r.lowerBound > next { out.append(next...(r.lowerBound - 1)) }
            next = r.upperBound &+ 1
        }
        if next <= Self.maxScalar { out.append(next...Self.maxScalar) }
        return ScalarSet(out)
    }
}

/// The exact sets behind `\d`, `\w`, `\s`, `.` and `(?i)` of `matches()`, computed from
/// the very functions the in-process engine uses (`RegexCharacters`), so a translation
/// agrees with it whatever Unicode version the database has.
enum RegexScalarTables {
    static let digit = ScalarSet(scanning: RegexCharacters.isDigit)
    static let word = ScalarSet(scanning: RegexCharacters.isWord)
    static let space = ScalarSet(scanning: RegexCharacters.isSpace)
    static let lineBreaks = ScalarSet(scanning: RegexCharacters.isLineBreak)

    static func named(_ n: RegexNamedClass) -> ScalarSet {
        switch n {
        case .digit: return digit
        case .word: return word
        case .space: return space
        }
    }

    /// A scalar whose simple case mappings are not all itself, with them.
    struct Cased {
        let scalar: Unicode.Scalar
        let lower: Unicode.Scalar
        let upper: Unicode.Scalar
        let fold: Unicode.Scalar
    }

    /// Every scalar with a case mapping. Every other scalar is its own lowercase,
    /// uppercase and fold. Unassigned and private-use scalars have no mappings.
    static let cased: [Cased] = {
        var out: [Cased] = []
        var v: UInt32 = 0
        while v <= ScalarSet.maxScalar {
            defer { v += 1 }
            guard let c = Unicode.Scalar(v) else { continue }
            switch c.properties.generalCategory {
            case .unassigned, .privateUse, .surrogate: continue
            default: break
            }
            let lower = RegexCharacters.lowercase(c), upper = RegexCharacters.uppercase(c)
            if lower != c || upper != c {
                out.append(Cased(scalar: c, lower: lower, upper: upper, fold: RegexCharacters.fold(c)))
            }
        }
        return out
    }()

    /// The scalars of `cased` by their fold.
    static let byFold: [Unicode.Scalar: [Unicode.Scalar]] = {
        var out: [Unicode.Scalar: [Unicode.Scalar]] = [:]
        for k in cased { out[k.fold, default: []].append(k.scalar) }
        return out
    }()

    /// The scalars a literal `x` matches under `(?i)`: those with the same fold.
    static func sameFold(_ x: Unicode.Scalar) -> ScalarSet {
        let f = RegexCharacters.fold(x)
        var members: [ClosedRange<UInt32>] = [x.value...x.value]
        for c in byFold[f] ?? [] { members.append(c.value...c.value) }
        // A scalar without mappings is its own fold.
        if RegexCharacters.fold(f) == f, RegexCharacters.lowercase(f) == f, RegexCharacters.uppercase(f) == f {
            members.append(f.value...f.value)
        }
        return ScalarSet(members)
    }

    /// What a class whose own members are `inner` (before any negation) matches under
    /// `(?i)`: a scalar is in when it, its lowercase, uppercase or fold is in `inner`.
    static func caseClosure(_ inner: ScalarSet) -> ScalarSet {
        var added: [ClosedRange<UInt32>] = []
        for k in cased where !inner.contains(k.scalar.value) {
            if inner.contains(k.lower.value) || inner.contains(k.upper.value) || inner.contains(k.fold.value) {
                added.append(k.scalar.value...k.scalar.value)
            }
        }
        return added.isEmpty ? inner : ScalarSet(inner.ranges + added)
    }
}
