/// A compiled `matches()` pattern: a Thompson NFA as a small instruction program,
/// immutable and shareable. Run it with a `RegexMatcher`.
///
/// Why hand-written: Swift's `Regex` (and every Swift package we could use) backtracks,
/// so a pattern like `^(\w+\s?)*$` on a name containing `&` takes exponential time.
/// None offers a linear-time guarantee; this engine never backtracks, so a match costs
/// at most O(program size × text length), on any pattern and any text.
package struct RegexProgram: Sendable {
    /// One step of the NFA.
    enum Instruction: Sendable, Equatable {
        /// Consume this character (already case-folded when `ignoreCase`).
        case character(Unicode.Scalar)
        /// Consume any character but a line break.
        case anyExceptLineBreak
        /// Consume a character of `classes[index]`.
        case characterClass(Int)
        /// Go on at both targets.
        case split(Int, Int)
        case jump(Int)
        /// Go on only when the test holds between the previous and the next character.
        case assertion(RegexAssertion)
        case match
    }

    let instructions: [Instruction]
    let classes: [RegexCharacterClass]
    /// `(?i)` at the start of the pattern.
    let ignoreCase: Bool
    /// The instruction the search starts at.
    let start: Int
    /// True when the program contains `\b` or `\B` (the matcher then tracks word characters).
    let usesWordBoundary: Bool

    /// Parses and compiles `pattern`; a problem names the offending place in the pattern.
    package init(_ pattern: String) throws(RegexProblem) {
        let (node, ignoreCase) = try RegexParser.parse(pattern)
        let estimate = Self.size(node)
        guard estimate <= RegexLimits.maxInstructions else {
            throw RegexProblem(.programTooLarge, 0, pattern.utf8.count)
        }
        var c = Compiler(ignoreCase: ignoreCase)
        c.instructions.reserveCapacity(estimate + 1)
        c.emit(node)
        c.instructions.append(.match)
        instructions = c.instructions
        classes = c.classes
        self.ignoreCase = ignoreCase
        start = 0
        usesWordBoundary = c.instructions.contains { i in
            if case .assertion(let a) = i { return a == .wordBoundary || a == .notWordBoundary }
            return false
        }
    }

    /// An upper bound of the instructions `node` compiles to, saturating far above the cap,
    /// computed before anything is emitted (so `(a{255}){255}` costs nothing to refuse).
    /// Recursion follows group nesting, which the parser caps.
    static func size(_ node: RegexNode) -> Int {
        let ceiling = RegexLimits.maxInstructions * 4
        switch node {
        case .empty: return 0
        case .literal, .anyExceptLineBreak, .characterClass, .assertion: return 1
        case .concatenation(let items):
            var total = 0
            for n in items { total = min(total + size(n), ceiling) }
            return total
        case .alternation(let branches):
            var total = 0
            for n in branches { total = min(total + size(n) + 2, ceiling) }
            return total
        case .repetition(let inner, let lo, let hi):
            // Each copy counts at least one instruction, so empty bodies cannot hide work:
            // lo copies, then (hi - lo) optional copies of split + body, or a loop of
            // split + body + jump.
            let body = max(size(inner), 1)
            let (required, o1) = body.multipliedReportingOverflow(by: lo)
            let (optional, o2) = (body + 1).multipliedReportingOverflow(by: hi.map { $0 - lo } ?? 1)
            if o1 || o2 { return ceiling }
            return min(required + optional + (hi == nil ? 1 : 0), ceiling)
        }
    }

    /// Emits instructions; every target is an index into `instructions`.
    private struct Compiler {
        let ignoreCase: Bool
        var instructions: [Instruction] = []
        var classes: [RegexCharacterClass] = []

        mutating func emit(_ node: RegexNode) {
            switch node {
            case .empty:
                break
            case .literal(let c):
                instructions.append(.character(ignoreCase ? RegexCharacters.fold(c) : c))
            case .anyExceptLineBreak:
                instructions.append(.anyExceptLineBreak)
            case .characterClass(let set):
                classes.append(set)
                instructions.append(.characterClass(classes.count - 1))
            case .assertion(let a):
                instructions.append(.assertion(a))
            case .concatenation(let items):
                for n in items { emit(n) }
            case .alternation(let branches):
                // split L1, next; L1: a; jump end; next: split L2, …; last branch; end:
                var jumps: [Int] = []
                for (k, b) in branches.enumerated() {
                    if k == branches.count - 1 {
                        emit(b)
                    } else {
                        let split = instructions.count
                        instructions.append(.split(split + 1, -1))
                        emit(b)
                        jumps.append(instructions.count)
                        instructions.append(.jump(-1))
                        instructions[split] = .split(split + 1, instructions.count)
                    }
                }
                for j in jumps { instructions[j] = .jump(instructions.count) }
            case .repetition(let inner, let lo, let hi):
                for _ in 0..<lo { emit(inner) }
                if let hi {
                    // (inner (inner (…)?)?)?: each optional copy may skip to the end.
                    var skips: [Int] = []
                    for _ in lo..<hi {
                        skips.append(instructions.count)
                        instructions.append(.split(instructions.count + 1, -1))
                        emit(inner)
                    }
                    for s in skips { instructions[s] = .split(s + 1, instructions.count) }
                } else {
                    // L: split body, end; body; jump L; end:
                    let loop = instructions.count
                    instructions.append(.split(loop + 1, -1))
                    emit(inner)
                    instructions.append(.jump(loop))
                    instructions[loop] = .split(loop + 1, instructions.count)
                }
            }
        }
    }
}
