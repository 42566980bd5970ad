/// Runs a `RegexProgram` over texts: a search for the pattern anywhere in the text
/// (use `^…$` for a whole match), in time linear in the text.
///
/// It simulates the NFA on the set of all its states at once (Thompson / Pike), one
/// text character at a time, so no input can make it backtrack. Each set of states it
/// meets becomes a state of a lazily built DFA whose transitions are cached, so a text
/// usually costs one table lookup per character; computing a missing transition costs
/// O(program size). The cache is bounded (`maxStates`): when it is full, the rest of
/// the text runs as a plain NFA simulation and the next text starts with an empty cache,
/// so memory stays bounded too. Worst case: O(program size × text length) per text.
///
/// A matcher is not thread-safe (its cache changes); use one per thread. It is meant to
/// be reused across many texts (e.g. every distinct value of a text column).
package final class RegexMatcher {
    package let program: RegexProgram

    /// The cache holds at most this many DFA states before it is cleared.
    static let maxStates = 2_048

    /// A DFA state: the NFA instructions reached by consuming the last character (before
    /// following splits and assertions), and what the assertions need to know about the
    /// previous character.
    private struct StateKey: Hashable {
        var pcs: [Int32]
        var atStart: Bool
        var previousIsWord: Bool
    }

    /// `next` value of a transition not computed yet.
    private static let unknown: Int32 = -1
    /// `next` value of a transition on which the pattern has matched.
    private static let matched: Int32 = -2

    private var states: [StateKey] = []
    private var index: [StateKey: Int32] = [:]
    /// 128 entries per state: the transition on each ASCII character.
    private var asciiNext: [Int32] = []
    /// Transitions on other characters.
    private var otherNext: [[UInt32: Int32]] = []
    /// Per state: 1 when the pattern matches at the end of the text, 0 when not, -1 unknown.
    private var endMatches: [Int8] = []
    private var initial: Int32 = 0

    /// Scratch for closures: `mark[pc] == generation` when pc was visited.
    private var mark: [UInt32]
    private var generation: UInt32 = 0
    private var stack: [Int32] = []
    private var consuming: [Int32] = []

    package init(_ program: RegexProgram) {
        self.program = program
        mark = Array(repeating: 0, count: program.instructions.count)
        reset()
    }

    /// Compiles `pattern` and makes a matcher for it.
    package convenience init(pattern: String) throws(RegexProblem) {
        self.init(try RegexProgram(pattern))
    }

    private func reset() {
        states.removeAll(keepingCapacity: true)
        index.removeAll(keepingCapacity: true)
        asciiNext.removeAll(keepingCapacity: true)
        otherNext.removeAll(keepingCapacity: true)
        endMatches.removeAll(keepingCapacity: true)
        initial = intern(StateKey(pcs: [], atStart: true, previousIsWord: false))
    }

    private func intern(_ key: StateKey) -> Int32 {
        if let s = index[key] { return s }
        let s = Int32(states.count)
        states.append(key)
        index[key] = s
        asciiNext.append(contentsOf: repeatElement(Self.unknown, count: 128))
        otherNext.append([:])
        endMatches.append(-1)
        return s
    }

    /// True when the pattern occurs somewhere in `text`.
    package func matches(_ text: String) -> Bool {
        if states.count >= Self.maxStates { reset() }
        var s = initial
        var scalars = text.unicodeScalars.makeIterator()
        while let c = scalars.next() {
            let v = c.value
            var next: Int32
            if v < 128 {
                next = asciiNext[Int(s) &* 128 &+ Int(v)]
            } else {
                next = otherNext[Int(s)][v] ?? Self.unknown
            }
            if next == Self.unknown {
                // A full cache: finish this text without caching (the next text starts afresh).
                guard states.count < Self.maxStates else { return matchesUncached(states[Int(s)], c, &scalars) }
                next = transition(s, c)
            }
            if next == Self.matched { return true }
            s = next
        }
        return matchesAtEnd(s)
    }

    /// Plain NFA simulation from `key`, reading `c` and then the rest of `scalars`.
    private func matchesUncached(_ key: StateKey, _ c: Unicode.Scalar, _ scalars: inout String.UnicodeScalarView.Iterator) -> Bool {
        guard var key = step(key, c) else { return true }
        while let c = scalars.next() {
            guard let next = step(key, c) else { return true }
            key = next
        }
        return closure(key, next: nil)
    }

    private func matchesAtEnd(_ s: Int32) -> Bool {
        let known = endMatches[Int(s)]
        if known >= 0 { return known == 1 }
        let m = closure(states[Int(s)], next: nil)
        endMatches[Int(s)] = m ? 1 : 0
        return m
    }

    /// Computes, caches and returns the transition of state `s` on `c`.
    private func transition(_ s: Int32, _ c: Unicode.Scalar) -> Int32 {
        guard let nextKey = step(states[Int(s)], c) else {
            store(s, c, Self.matched)
            return Self.matched
        }
        let n = intern(nextKey)
        store(s, c, n)
        return n
    }

    /// The state after reading `c` in state `key`; nil when the pattern has matched
    /// before `c`.
    private func step(_ key: StateKey, _ c: Unicode.Scalar) -> StateKey? {
        if closure(key, next: c) { return nil }
        // Step every consuming instruction over c.
        generation &+= 1
        if generation == 0 { clearMarks() }
        var pcs: [Int32] = []
        for pc in consuming where accepts(program.instructions[Int(pc)], c) {
            let target = Int(pc) + 1
            if mark[target] != generation {
                mark[target] = generation
                pcs.append(Int32(target))
            }
        }
        pcs.sort()
        return StateKey(pcs: pcs, atStart: false, previousIsWord: program.usesWordBoundary && RegexCharacters.isWord(c))
    }

    private func store(_ s: Int32, _ c: Unicode.Scalar, _ n: Int32) {
        if c.value < 128 {
            asciiNext[Int(s) * 128 + Int(c.value)] = n
        } else {
            otherNext[Int(s)][c.value] = n
        }
    }

    private func clearMarks() {
        for k in mark.indices { mark[k] = 0 }
        generation = 1
    }

    /// Follows splits, jumps and assertions from the state's instructions and the search
    /// start (the pattern may begin at every position); fills `consuming` with the
    /// instructions that read a character and answers whether `match` was reached.
    /// `next` is the character after this position, nil at the end of the text.
    private func closure(_ key: StateKey, next: Unicode.Scalar?) -> Bool {
        generation &+= 1
        if generation == 0 { clearMarks() }
        consuming.removeAll(keepingCapacity: true)
        stack.removeAll(keepingCapacity: true)
        stack.append(Int32(program.start))
        for pc in key.pcs.reversed() { stack.append(pc) }
        let nextIsWord = program.usesWordBoundary && next.map(RegexCharacters.isWord) == true
        var found = false
        while let top = stack.popLast() {
            let pc = Int(top)
            guard pc >= 0, pc < mark.count, mark[pc] != generation else { continue }
            mark[pc] = generation
            switch program.instructions[pc] {
            case .match:
                found = true
            case .character, .anyExceptLineBreak, .characterClass:
                consuming.append(top)
            case .jump(let t):
                stack.append(Int32(t))
            case .split(let a, let b):
                stack.append(Int32(b))
                stack.append(Int32(a))
            case .assertion(let a):
                let holds: Bool
                switch a {
                case .textStart: holds = key.atStart
                case .textEnd: holds = next == nil
                case .wordBoundary: holds = key.previousIsWord != nextIsWord
                case .notWordBoundary: holds = key.previousIsWord == nextIsWord
                }
                if holds { stack.append(Int32(pc + 1)) }
            }
        }
        return found
    }

    private func accepts(_ instruction: RegexProgram.Instruction, _ c: Unicode.Scalar) -> Bool {
        switch instruction {
        case .character(let x):
            return (program.ignoreCase ? RegexCharacters.fold(c) : c) == x
        case .anyExceptLineBreak:
            return !RegexCharacters.isLineBreak(c)
        case .characterClass(let k):
            return k < program.classes.count && program.classes[k].contains(c, ignoringCase: program.ignoreCase)
        default:
            return false
        }
    }
}
