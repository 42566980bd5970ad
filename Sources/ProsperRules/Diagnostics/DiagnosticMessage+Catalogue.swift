import ProsperModel

/// The one message catalogue: every diagnostic the project emits is built here, so
/// texts stay consistent and each has a stable code. Sorted by area, then by code.
extension DiagnosticMessage {
    // MARK: Files

    static func fileNotFound(_ path: String) -> Self { .init("file-not-found", "no such file or folder '\(shown(path))'") }
    static func fileUnreadable(_ path: String, _ reason: String) -> Self { .init("file-unreadable", "cannot read '\(shown(path))': \(reason)") }
    static func fileTooLarge(bytes: Int, limit: Int) -> Self {
        .init("file-too-large", "file is too large (\(bytes) bytes; YAML files of prosper-rules are limited to \(limit) bytes)")
    }
    static let binaryFile = Self("binary-file", "this is not a text file (it contains control bytes); rule files are UTF-8 YAML")
    static let invalidUTF8 = Self("invalid-utf8", "invalid UTF-8 text; save the file as UTF-8")
    static let emptyFile = Self("empty-file", "the file is empty; a rule file needs at least 'kind:'")
    static let noRuleFiles = Self("no-rule-files", "no rule files (*.yaml, *.yml) found")

    // MARK: YAML

    static func yamlSyntax(problem: String, context: String?) -> Self {
        if let context { return .init("yaml-syntax", "YAML syntax error: \(problem) \(context)") }
        return .init("yaml-syntax", "YAML syntax error: \(problem)")
    }
    static let yamlTab = Self("yaml-tab", "YAML does not allow tabs for indentation; indent with spaces")
    static let yamlAlias = Self("yaml-alias", "YAML aliases (*name) are not supported in rule files; write the value out")
    static func yamlTooDeep(limit: Int) -> Self { .init("yaml-too-deep", "YAML nesting is deeper than \(limit) levels") }
    static func yamlTooManyNodes(limit: Int) -> Self { .init("yaml-too-many-nodes", "the YAML document has more than \(limit) values") }
    static let yamlMultipleDocuments = Self("yaml-multiple-documents", "a rule file holds one YAML document; remove the second '---'")
    static func duplicateKey(_ key: String, firstLine: Int) -> Self {
        .init("duplicate-key", "duplicate key '\(shown(key))' (first given on line \(firstLine))")
    }

    // MARK: Rule files

    package static func expectedShape(_ what: String, expected: String, found: String) -> Self {
        .init("wrong-shape", "\(what) must be \(expected), found \(found)")
    }
    static func missingKey(_ key: String, in context: String) -> Self { .init("missing-key", "\(context) needs '\(shown(key))'") }
    static func unknownKey(_ key: String, in context: String, suggestion: String) -> Self {
        .init("unknown-key", "unknown key '\(shown(key))' in \(context)\(suggestion)")
    }
    static func unknownKind(_ kind: String, suggestion: String) -> Self {
        .init("unknown-kind", "unknown kind '\(shown(kind))'; expected segments, churn, upsell or analytics\(suggestion)")
    }
    static func duplicateRuleName(_ name: String, firstLine: Int) -> Self {
        .init("duplicate-rule-name", "duplicate name '\(shown(name))' (first used on line \(firstLine))")
    }
    static func nameShadowsField(_ name: String, what: String) -> Self {
        .init("name-shadows-field", "\(what) '\(shown(name))' has the name of a data field; choose another name")
    }
    static func duplicateDefinition(_ name: String, firstLine: Int) -> Self {
        .init("duplicate-definition", "'\(shown(name))' is already defined on line \(firstLine)")
    }
    static func invalidThreshold(_ name: String) -> Self {
        .init("invalid-threshold", "threshold '\(shown(name))' must be a number, text, true/false, a date(\"…\") or a list of those")
    }
    static func invalidNumberValue(_ text: String, what: String) -> Self { .init("invalid-number", "\(what) must be a number, found '\(shown(text))'") }
    static func invalidName(_ name: String) -> Self {
        .init("invalid-name", "'\(shown(name))' is not a valid name; use letters, digits and '_', starting with a letter")
    }
    static func segmentsFileMissing(_ path: String) -> Self { .init("segments-file-missing", "segments file '\(shown(path))' does not exist") }
    static func segmentsFileKind(_ path: String, kind: String) -> Self {
        .init("segments-file-kind", "'\(shown(path))' is a \(kind) file; 'segments' must name a file of kind segments")
    }
    static func segmentsCycle(_ chain: [String]) -> Self {
        .init("segments-cycle", "'segments' references loop: \(chain.joined(separator: " → ")); 'segments' must name a file of kind segments")
    }
    static func segmentsDefaultKind(_ kind: String) -> Self {
        .init("segments-file-kind", "a file named segments.yaml gives its segments to the rule files next to it, but its kind is \(kind); rename it or make it kind: segments")
    }
    static let noLevels = Self("no-levels", "churn rules need at least one level under 'levels'")
    static func emptyList(_ what: String) -> Self { .init("empty-list", "\(what) must list at least one entry") }
    static func recommendsOwnedProduct(_ product: String) -> Self {
        .init("recommends-owned-product", "this rule recommends '\(shown(product))' only to customers who already have it")
    }
    static func invalidStrategy(_ s: String, suggestion: String) -> Self {
        .init("invalid-strategy", "unknown strategy '\(shown(s))'; expected 'first' or 'all'\(suggestion)")
    }
    static func invalidGrouping(_ name: String, suggestion: String) -> Self {
        .init("invalid-grouping", "cannot group by '\(shown(name))'; use 'product', 'segment', 'loyalty_tier', a data field or a derived field giving text\(suggestion)")
    }
    static func invalidVersion(_ text: String) -> Self { .init("invalid-version", "version must be a number or a short text, found \(text)") }
    static func invalidScore(_ text: String, what: String) -> Self {
        .init("invalid-number", "\(what) must be a number from 0 to 1,000,000, found '\(shown(text))'")
    }
    static func positiveInteger(_ what: String) -> Self { .init("invalid-number", "\(what) must be a whole number of at least 1") }
    static func fieldCycle(_ name: String) -> Self { .init("field-cycle", "field '\(shown(name))' depends on itself") }
    static func thresholdOverrideUnknown(_ name: String, suggestion: String) -> Self {
        .init("unknown-threshold", "no threshold '\(shown(name))' to set\(suggestion)")
    }
    static func thresholdOverrideType(_ name: String, expected: String, found: String) -> Self {
        .init("threshold-type", "threshold '\(shown(name))' is \(expected); '\(shown(found))' is not")
    }

    // MARK: Expressions: syntax

    static func unexpectedCharacter(_ c: String) -> Self { .init("unexpected-character", "unexpected character '\(shown(c))'") }
    static let unterminatedString = Self("unterminated-string", "text is missing its closing quote")
    static func invalidEscape(_ c: String) -> Self { .init("invalid-escape", "unknown escape '\\\(c)'; use \\\", \\\\, \\n or \\t") }
    static func invalidNumber(_ text: String) -> Self { .init("invalid-number", "'\(shown(text))' is not a valid number") }
    static func tooManyDecimals(_ text: String, max: Int) -> Self {
        .init("too-many-decimals", "'\(shown(text))' has more than \(max) decimal places")
    }
    static func numberTooLarge(_ text: String) -> Self { .init("number-too-large", "'\(shown(text))' is too large") }
    static let emptyExpression = Self("empty-expression", "the expression is empty")
    static func unexpectedToken(_ found: String, expected: String) -> Self {
        .init("unexpected-token", "expected \(expected), found \(found)")
    }
    static func expressionTooDeep(limit: Int) -> Self {
        .init("expression-too-deep", "the expression nests more than \(limit) levels deep; split it into fields")
    }
    static func expressionTooLong(limit: Int) -> Self { .init("expression-too-long", "the expression is longer than \(limit) characters") }
    static let unclosedInterpolation = Self("unclosed-interpolation", "'{' in the text is not closed by '}'; write '{{' for a literal brace")
    static let strayCloseBrace = Self("stray-brace", "'}' without '{'; write '}}' for a literal brace")
    static func misplacedEquals() -> Self { .init("single-equals", "'=' is not an operator; use '==' to compare") }

    // MARK: Expressions: types

    static func unknownName(_ name: String, suggestion: String) -> Self { .init("unknown-name", "unknown name '\(shown(name))'\(suggestion)") }
    static func unknownFunction(_ name: String, suggestion: String) -> Self {
        .init("unknown-function", "unknown function '\(shown(name))'\(suggestion)")
    }
    static func argumentCount(_ function: String, expected: String, found: Int) -> Self {
        .init("argument-count", "\(function)() takes \(expected), found \(found)")
    }
    static func argumentType(_ function: String, position: Int, expected: String, found: String) -> Self {
        .init("type-mismatch", "argument \(position) of \(function)() must be \(expected), found \(found)")
    }
    static func operandTypes(_ op: String, _ left: String, _ right: String) -> Self {
        .init("type-mismatch", "'\(shown(op))' cannot combine \(left) and \(right)")
    }
    static func operandType(_ op: String, expected: String, found: String) -> Self {
        .init("type-mismatch", "'\(shown(op))' needs \(expected), found \(found)")
    }
    static func notBoolean(_ what: String, found: String) -> Self { .init("not-boolean", "\(what) must be true or false, found \(found)") }
    static func conditionBranches(_ a: String, _ b: String) -> Self {
        .init("type-mismatch", "'then' gives \(a) but 'else' gives \(b); both must have the same type")
    }
    static func listElements(_ a: String, _ b: String) -> Self { .init("type-mismatch", "a list cannot mix \(a) and \(b)") }
    static func invalidDate(_ text: String) -> Self { .init("invalid-date", "'\(shown(text))' is not a date; write YYYY-MM-DD, e.g. \"2026-01-31\"") }
    static func invalidRegex(_ reason: String) -> Self { .init("invalid-regex", "invalid regular expression: \(reason)") }
    static func constantRequired(_ what: String) -> Self { .init("constant-required", "\(what) must be a fixed value, not depend on the customer") }
    static func unsupportedList(_ what: String) -> Self { .init("unsupported-list", "\(what) cannot be computed per customer; use a list literal, a list threshold or 'products'") }
    static func nullComparison(_ op: String) -> Self {
        .init("null-comparison", "'\(op) null' is always false; use '== null' or '!= null' to test for a missing value", severity: .warning)
    }
    static func neverMatches(_ what: String) -> Self { .init("never-matches", "\(what) can never match", severity: .warning) }
    static func shadowedByEarlier(_ what: String, by other: String) -> Self {
        .init("shadowed", "\(what) can never be reached: \(other) before it matches every customer", severity: .warning)
    }
    static func unknownProduct(_ name: String, suggestion: String) -> Self {
        .init("unknown-product", "'\(shown(name))' is not a product of the catalogue\(suggestion)", severity: .warning)
    }
    static func unknownSegment(_ name: String, suggestion: String) -> Self {
        .init("unknown-segment", "'\(shown(name))' is not a segment of the segments file\(suggestion)", severity: .warning)
    }

    // MARK: Regular expressions (matches())

    /// Why a `matches()` pattern is refused; the position is the diagnostic's range.
    static func regex(_ kind: RegexProblem.Kind) -> Self {
        switch kind {
        case .patternTooLong(let n):
            return .init("regex-too-large", "the pattern has \(n) characters; the limit is \(RegexLimits.maxPatternLength)")
        case .programTooLarge:
            return .init("regex-too-large", "the pattern is too large: its repetitions expand to more than \(RegexLimits.maxInstructions) steps; use smaller counts ({m,n}) or '*'/'+'")
        default:
            return invalidRegex(regexReason(kind))
        }
    }

    private static func regexReason(_ kind: RegexProblem.Kind) -> String {
        switch kind {
        case .backreference(let s): "backreferences ('\(shown(s))') are not supported: they need a backtracking engine"
        case .lookaround(let s): "lookaround '\(shown(s))' is not supported; test the text with a second matches() joined by 'and' / 'and not'"
        case .atomicGroup: "atomic groups '(?>' are not supported; use '(?:'"
        case .possessive(let s): "possessive quantifier '\(shown(s))' is not supported; use '\(String(s.dropLast()))'"
        case .namedGroup: "named groups are not supported; use '(' or '(?:'"
        case .unsupportedFlag(let s): "'\(shown(s))' is not supported; the only flag is '(?i)' at the very start of the pattern"
        case .lateCaseFlag: "'(?i)' must be at the very start of the pattern"
        case .unknownEscape(let s): "unknown escape '\(shown(s))'; escapes are \\d \\w \\s \\D \\W \\S \\b \\B \\n \\t \\r \\f \\uXXXX and a backslash before punctuation ('\\\\' is a backslash)"
        case .unsupportedEscape(let s, let suggestion): "'\(shown(s))' is not supported; \(suggestion)"
        case .trailingBackslash: "the pattern ends with a lone backslash; write '\\\\' for a backslash"
        case .unclosedGroup: "'(' is never closed; add ')'"
        case .unopenedGroup: "')' without '('; write '\\)' for a literal parenthesis"
        case .unclosedClass: "'[' is never closed; add ']' (or write '\\[' for a literal bracket)"
        case .emptyClass: "empty character class; write '\\]' for a literal bracket inside [...]"
        case .reversedRange(let a, let b): "range '\(a)-\(b)' is reversed; write '\(b)-\(a)'"
        case .classInRange: "a range cannot start or end at \\d, \\w or \\s; write '\\-' for a literal dash"
        case .ambiguousDash: "'-' inside [...] must be first, last or between two characters of a range; write '\\-' for a literal dash"
        case .bracketInClass: "'[' inside [...] is not supported (POSIX [:alpha:] classes and nested classes differ between databases); use \\w, \\d, \\s or write '\\['"
        case .intersectionInClass: "'&&' inside [...] means intersection in Java; write '\\&' for a literal ampersand"
        case .negatedShorthandInClass(let s): "'\(shown(s))' inside [...] is not supported; use '[^...]' or '\(shown(s))' outside the brackets"
        case .nothingToRepeat(let s): "nothing to repeat before '\(shown(s))'; put what should repeat before it, in '(?:…)' for a group (write '\\\(s.first.map(String.init) ?? "")' for a literal character)"
        case .invalidBrace: "'{' starts no repetition {m}, {m,} or {m,n}; write '\\{' for a literal brace"
        case .reversedRepetition(let lo, let hi): "repetition {\(lo),\(hi)} has its minimum above its maximum; write {\(hi),\(lo)}"
        case .repetitionTooLarge(let n): "repetition count \(n) is above \(RegexLimits.maxRepetition), the limit; use '*' or '+' for 'any number'"
        case .tooDeep: "groups are nested deeper than \(RegexLimits.maxNesting) levels"
        case .patternTooLong, .programTooLarge: "the pattern is too large"
        }
    }
}

/// A name, key, path or text from the user as a message quotes it: at most 64 Unicode
/// scalars (a 100,000-character unknown name costs a message of a few dozen bytes, like
/// its windowed source excerpt) and with control and bidirectional characters visible.
func shown(_ text: String) -> String {
    let limit = 64
    var cut = text
    if text.unicodeScalars.count > limit {
        cut = String(String.UnicodeScalarView(text.unicodeScalars.prefix(limit))) + "…"
    }
    return VisibleText.of(cut)
}

// MARK: Regular expressions in SQL (matches() compiled for a database engine)

extension DiagnosticMessage {
    /// A `matches()` pattern that does not parse, met by the SQL translation (checked rule
    /// files never reach it: their patterns are compiled on load).
    package static func regexForSQL(_ kind: RegexProblem.Kind) -> Self { regex(kind) }

    /// A construct of a `matches()` pattern that `engine` cannot run with exactly the
    /// in-process semantics.
    package static func regexNotExactIn(_ engine: String, construct: String, reason: String, suggestion: String) -> Self {
        .init("regex-not-portable", "'\(shown(construct))' cannot run in \(engine) exactly: \(reason); \(suggestion)")
    }

    /// A `matches()` pattern whose exact translation for `engine` is too long.
    package static func regexTooLargeIn(_ engine: String, limit: Int, unit: String = "bytes") -> Self {
        .init(
            "regex-not-portable",
            "the pattern becomes more than \(limit) \(unit) as a \(engine) regular expression: \\w, \\W, \\b, \\B and (?i) are written out there as explicit Unicode character ranges; use fewer of them or a narrower class such as [A-Za-z0-9_]"
        )
    }
}

// MARK: Upsell actions (offers that are not products)

extension DiagnosticMessage {
    /// A recommendation with neither `recommend:` nor `action:`.
    static func offerMissing(_ rule: String) -> Self {
        .init("missing-offer", "recommendation '\(shown(rule))' needs 'recommend:' (a product) or 'action:' (something to do, e.g. \"call the account manager\")")
    }
    /// A recommendation with both `recommend:` and `action:`.
    static var offerTwice: Self {
        .init("offer-twice", "a recommendation offers either a product ('recommend:') or an action ('action:'), not both")
    }
    /// An action's `value:` that is not an amount.
    static func invalidActionValue(_ action: String, found: String) -> Self {
        .init("invalid-price", "the value of action '\(shown(action))' must be an amount from 0 to 1000000.00 with at most 2 decimals, found '\(shown(found))'")
    }
    /// An action whose text is the name of a known product.
    static func actionNamesProduct(_ name: String) -> Self {
        .init("action-is-product", "'\(shown(name))' is a product of the catalogue; offer it with 'recommend:' so that customers who have it are skipped", severity: .warning)
    }
}

// MARK: explain (customers named on the command line)

extension DiagnosticMessage {
    /// `explain ID` for an id the data does not have.
    package static func unknownCustomer(_ id: String, close: [String]) -> Self {
        let hint = close.isEmpty ? "" : "; did you mean " + close.map { "'\(shown($0))'" }.joined(separator: ", ") + "?"
        return .init("unknown-customer", "no customer '\(shown(id))' in the data\(hint)")
    }
    /// `--why-not PRODUCT` for a product no upsell rule recommends.
    package static func productNotRecommended(_ product: String, suggestion: String) -> Self {
        .init("product-not-recommended", "no upsell rule recommends '\(shown(product))'\(suggestion)")
    }
    /// `--customer` text without `=`.
    package static func inlineNotAPair(_ text: String) -> Self {
        .init("inline-not-a-pair", "expected field=value, found '\(shown(text))'")
    }
    /// `--customer name=…` for a field the schema does not have.
    package static func inlineUnknownField(_ name: String, suggestion: String) -> Self {
        .init("inline-unknown-field", "unknown field '\(shown(name))'\(suggestion)")
    }
    /// `--customer name=…` given twice.
    package static func inlineDuplicateField(_ name: String) -> Self {
        .init("inline-duplicate-field", "field '\(shown(name))' is given twice")
    }
    /// A value that does not fit the field's type.
    package static func inlineBadValue(_ name: String, _ value: String, expected: String) -> Self {
        .init("inline-bad-value", "'\(shown(value))' is not a valid value of \(shown(name)): expected \(expected)")
    }
    /// A derived field that cannot be given without the fields it is derived from.
    package static func inlineDerivedNeeds(_ name: String, _ needed: String) -> Self {
        .init("inline-derived-field", "\(shown(name)) is derived from \(needed)")
    }
}

// MARK: Churn levels

extension DiagnosticMessage {
    /// A level name one or two edits away from a usual one (`hihg`); names stay free.
    static func levelNearMiss(_ name: String, usual: String) -> Self {
        .init("level-near-miss", "level '\(shown(name))' looks like a misspelling; did you mean '\(usual)'?", severity: .warning)
    }
}

// MARK: Rules that say nothing about the data (`check --data`, report notes)

extension DiagnosticMessage {
    /// `what`: e.g. "signal 'inactive'"; `of`: the customers it was evaluated on, e.g.
    /// "the 1,204 eligible customers".
    package static func neverFiresOnData(_ what: String, of population: String, why: String, suggestion: String) -> Self {
        .init("never-fires-on-data", "\(what) never fires on this data (\(population))\(why); \(suggestion)", severity: .warning)
    }
    package static func alwaysFiresOnData(_ what: String, of population: String, suggestion: String) -> Self {
        .init("always-fires-on-data", "\(what) fires for every one of \(population); \(suggestion)", severity: .warning)
    }
    package static func noneEligibleOnData(customers: String) -> Self {
        .init("none-eligible-on-data", "no customer is eligible on this data (0 of \(customers)), so no signal is evaluated; check the 'eligible' condition and its thresholds", severity: .warning)
    }
    package static func segmentEmptyOnData(_ segment: String, customers: String) -> Self {
        .init("segment-empty-on-data", "segment '\(shown(segment))' catches nobody in this data (0 of \(customers)); check its condition, or an earlier segment catches its customers first", severity: .warning)
    }
    package static func segmentEveryoneOnData(_ segment: String, customers: String) -> Self {
        .init("segment-everyone-on-data", "segment '\(shown(segment))' catches every customer in this data (\(customers)), so grouping by segment tells nothing; check the fields its condition reads", severity: .warning)
    }
    package static func customersWithoutSegment(_ count: String, of customers: String, ids: String) -> Self {
        .init("no-segment-on-data", "\(count) of \(customers) match no segment and there is no 'otherwise' (\(ids)); add 'otherwise: <name>' or a segment that catches them", severity: .warning)
    }
    /// `value`: the one value as a literal, or nil when the field is empty everywhere;
    /// `readers`: the rules reading it (labels from `RuleFile.ruleConditions`).
    package static func constantFieldOnData(_ field: String, value: String?, readers: [String], customers: String) -> Self {
        let what = value.map { "is \($0)" } ?? "is empty (null)"
        let who = readers.count == 1 ? "\(readers[0]) reads it" : readers.dropLast().joined(separator: ", ") + " and \(readers.last ?? "") read it"
        return .init("constant-field-on-data", "field '\(shown(field))' \(what) for every customer in this data (\(customers)); \(who), so it cannot tell customers apart: map the field to a column of the data (a mapping constant fills it) or drop the condition", severity: .warning)
    }
    package static func productNotInData(_ product: String, suggestion: String) -> Self {
        .init("product-not-in-data", "no customer in this data has or ever had '\(shown(product))'\(suggestion); check the name against the data's products (a product nobody has yet is fine to offer)", severity: .warning)
    }
}

// MARK: Rule tests (`prosper-rules test`, docs/testing-rules.md)

extension DiagnosticMessage {
    package static func testShape(_ what: String, expected: String, found: String) -> Self {
        .init("wrong-shape", "\(what) must be \(expected), found \(found)")
    }
    package static func testMissingKey(_ key: String, in context: String) -> Self { .init("missing-key", "\(context) needs '\(shown(key))'") }
    package static func testUnknownKey(_ key: String, in context: String, suggestion: String) -> Self {
        .init("unknown-key", "unknown key '\(shown(key))' in \(context)\(suggestion)")
    }
    package static func testDuplicateKey(_ key: String, firstLine: Int) -> Self {
        .init("duplicate-key", "duplicate key '\(shown(key))' (first given on line \(firstLine))")
    }
    package static let testNoCases = Self("empty-list", "'cases' must list at least one test case")
    package static func testUnknownField(_ name: String, suggestion: String) -> Self {
        .init("unknown-field", "unknown customer field '\(shown(name))'\(suggestion)")
    }
    package static func testComputedField(_ name: String, from: String) -> Self {
        .init("computed-field", "'\(shown(name))' is computed from \(from); give that instead")
    }
    package static func testConflictingFields(_ a: String, _ b: String) -> Self {
        .init("conflicting-fields", "'\(shown(a))' and '\(shown(b))' both set the same value; give one of them")
    }
    package static func testFieldValue(_ field: String, expected: String, found: String) -> Self {
        .init("invalid-value", "'\(shown(field))' must be \(expected), found '\(shown(found))'")
    }
    package static func testUnknownProduct(_ name: String, suggestion: String) -> Self {
        .init("unknown-product", "unknown product '\(shown(name))'\(suggestion)")
    }
    package static func testUnknownValue(_ what: String, _ name: String, known: [String]) -> Self {
        let hint = Suggestion.phrase(for: name, in: known)
        let list = hint.isEmpty ? "; the \(what)s are: " + known.map { shown($0) }.joined(separator: ", ") : hint
        return .init("unknown-\(what)", "no \(what) '\(shown(name))' in the rules under test\(known.isEmpty ? "" : list)")
    }
    package static func testNoRuleFile(_ kind: String, key: String) -> Self {
        .init("no-rule-file", "'\(shown(key))' needs a \(kind) rule file, and the rules under test have none")
    }
    package static func testUnknownThreshold(_ name: String, suggestion: String) -> Self {
        .init("unknown-threshold", "no threshold '\(shown(name))' in the rules under test\(suggestion)")
    }
    package static let testNoTestFiles = Self("no-test-files", "no test files (*.yaml, *.yml) found")
    package static func testRulesHaveErrors(_ count: Int) -> Self {
        .init("rules-have-errors", "the rules under test have \(count) error\(count == 1 ? "" : "s") (run 'prosper-rules check'); no case of this file ran")
    }
}

extension DiagnosticMessage {
    package static func testFileNotFound(_ path: String) -> Self { .init("file-not-found", "no such test file or folder '\(shown(path))'") }
    package static func testCustomersUnusable(_ reason: String) -> Self { .init("invalid-customers", "the customers of this file cannot be built: \(reason)") }
}

// MARK: Computed offer values and offers that replace

extension DiagnosticMessage {
    /// A `value:` expression that is not a number.
    static func offerValueNotNumber(_ rule: String, found: String) -> Self {
        .init("offer-value-not-number", "the value of recommendation '\(shown(rule))' must be a number (an amount a month), found \(found)")
    }
    /// A `value:` expression whose result can have more than 2 decimal places.
    static func offerValueScale(_ rule: String, scale: Int) -> Self {
        .init("offer-value-scale", "the value of recommendation '\(shown(rule))' can have \(scale) decimal places but money has at most 2; write round(…, 2) around it")
    }
    /// A plain number as the `value:` of a product offer that is not an amount.
    static func invalidOfferValue(_ product: String, found: String) -> Self {
        .init("invalid-price", "the value of the offer of '\(shown(product))' must be an amount from 0 to 1000000.00 with at most 2 decimals, found '\(shown(found))'")
    }
    /// `replaces:` naming the product the recommendation offers.
    static func replacesOffered(_ product: String) -> Self {
        .init("replaces-offered", "an offer of '\(shown(product))' cannot replace '\(shown(product))' itself; list the products the customer pays for now and gives up")
    }
    /// A product listed twice in `replaces:`.
    static func replacesTwice(_ product: String) -> Self {
        .init("replaces-twice", "'\(shown(product))' is listed twice in 'replaces:'")
    }
}

// MARK: Decision tables (`table:`)

extension DiagnosticMessage {
    static func tableCell(_ cell: String, reason: String) -> Self { .init("table-cell", "cannot read \"\(shown(cell))\" as a test: \(reason)") }
    static func tableRowWidth(_ row: String, cells: Int, inputs: Int, outputs: Int) -> Self {
        .init("table-row-width", "\(row) has \(cells) cell\(cells == 1 ? "" : "s"); the table has \(inputs) input\(inputs == 1 ? "" : "s") and \(outputs) output\(outputs == 1 ? "" : "s") (\(inputs + outputs) cells a row)")
    }
    static func tableUnknownOutput(_ name: String, allowed: [String], suggestion: String) -> Self {
        .init("table-output", "unknown output '\(shown(name))'\(suggestion.isEmpty ? "; the outputs of this kind are: " + allowed.joined(separator: ", ") : suggestion)")
    }
    static func tableMissingOutput(_ required: [String]) -> Self {
        .init("table-output", "the outputs must include \(required.map { "'\($0)'" }.joined(separator: " or "))")
    }
    static func tableOutputCell(_ output: String, found: String) -> Self {
        .init("table-output-cell", "output '\(shown(output))' needs a value in every row, found '\(shown(found))'")
    }
    static func tableHitPolicy(_ found: String, allowed: [String], suggestion: String) -> Self {
        .init("table-hit-policy", "hit policy '\(shown(found))' is not available here; use \(allowed.joined(separator: ", "))\(suggestion)")
    }
    static let tablePriorityWithoutPolicy = Self("table-priority", "'priority' orders rows only with 'hit: priority'")
    static func tablePriorityMissing(_ value: String, output: String) -> Self {
        .init("table-priority", "'\(shown(value))' is not in 'priority'; list every value of output '\(shown(output))' there")
    }
    static let tableRowsTwice = Self("table-rows", "a table has 'rows' or 'rows_file', not both")
    static let tableNoRows = Self("table-rows", "a table needs 'rows' (a list of rows) or 'rows_file' (a CSV file beside the rule file)")
    static let tableCSVEmpty = Self("table-rows-file", "the rows file is empty; its first line names the inputs and outputs")
    static func tableCSVSyntax(_ reason: String) -> Self { .init("table-rows-file", "cannot read the rows file: \(reason)") }
    static func tableCSVHeader(expected: [String], found: [String]) -> Self {
        .init("table-rows-file", "the first line must name the inputs, then the outputs: \(expected.map(shown).joined(separator: ",")); found \(found.map(shown).joined(separator: ","))")
    }
    static func tableOverlap(_ a: Int, _ b: Int, example: String) -> Self {
        .init("table-overlap", "rows \(a) and \(b) both match \(example); with 'hit: unique' at most one row may match a customer")
    }
    static func tableGaps(_ examples: [String], more: Int) -> Self {
        .init("table-gap", "no row matches " + examples.joined(separator: "; nor ") + (more > 0 ? " (and \(more) more)" : ""), severity: .warning)
    }
    static func tableRowShadowed(_ row: Int, by rows: [Int]) -> Self {
        let list = rows.count == 1 ? "row \(rows[0])" : "rows " + rows.map(String.init).joined(separator: ", ")
        return .init("shadowed", "table row \(row) can never be hit: every customer it matches is taken by \(list) before it", severity: .warning)
    }
    static func tableRowEmpty(_ row: Int) -> Self { .init("never-matches", "table row \(row) can never match: its cells together match no value", severity: .warning) }
    static func tableAnalysisSkipped(_ what: String, cells: Int) -> Self {
        .init("table-analysis-skipped", "\(what) skipped: the inputs split into more than \(cells) combinations", severity: .note)
    }
    static func tableHitForStrategy(_ hit: String, strategy: String) -> Self {
        .init("table-hit-policy", "hit policy '\(shown(hit))' does not fit 'strategy: \(strategy)'; use \(strategy == "all" ? "'hit: collect' (or unique)" : "'hit: first', unique or priority")")
    }
}

extension DiagnosticMessage {
    /// A product fact (`price_of("X")`, `count_of([…])`) names a product nobody in the data has or had.
    package static func productFactNotInData(_ product: String, fact: String, isCount: Bool, suggestion: String) -> Self {
        let effect = isCount ? "it adds nothing to \(shown(fact))" : "\(shown(fact)) is the same for every customer"
        return .init("product-not-in-data", "no customer in this data has or ever had '\(shown(product))'\(suggestion), so \(effect); check the name against the data's products", severity: .warning)
    }
}

// MARK: Thresholds computed from the data

extension DiagnosticMessage {
    static func dataThresholdStatistic(_ name: String) -> Self {
        .init("invalid-threshold", "threshold '\(shown(name))' computed from the data needs one statistic: 'quantile' (with 'of'), 'median', 'mean', 'min' or 'max'")
    }
    static func dataThresholdQuantile(_ name: String, found: String) -> Self {
        .init("invalid-threshold", "threshold '\(shown(name))': 'quantile' must be a number between 0 and 1 (both excluded), such as 0.9; found '\(shown(found))'")
    }
    static func dataThresholdType(_ name: String, key: String, expected: String, found: String) -> Self {
        .init("invalid-threshold", "threshold '\(shown(name))': '\(key)' must be \(expected), found \(found)")
    }
    static func dataThresholdNested(_ name: String, uses other: String) -> Self {
        .init("invalid-threshold", "threshold '\(shown(name))' cannot use '\(shown(other))', which is computed from the data too; write what '\(shown(other))' is computed from instead")
    }
    static func dataThresholdField(_ name: String, uses field: String) -> Self {
        .init("invalid-threshold", "threshold '\(shown(name))' cannot use the field '\(shown(field))' of 'fields:' (fields may use thresholds, not the other way round); write its expression here instead")
    }
}

// MARK: Sweep (`prosper-rules sweep`, docs/sweep.md)

extension DiagnosticMessage {
    static let sweepNothing = Self("sweep-grid", "sweep needs what to vary: --vary NAME=lo..hi/step, --vary NAME=a,b,c, or --combination 'LABEL: name=value, name=value'")
    static let sweepBothForms = Self("sweep-grid", "give --vary or --combination, not both")
    static func sweepTooManyVary(_ n: Int) -> Self {
        .init("sweep-grid", "at most two --vary at once (found \(n)); to try other settings together, name each one with --combination 'LABEL: a=1, b=2, c=3'")
    }
    static func sweepVarySyntax(_ item: String) -> Self {
        .init("sweep-grid", "--vary needs NAME=SPEC, a range lo..hi/step (e.g. inactive_days=30..90/15) or a list a,b,c; found '\(shown(item))'")
    }
    static func sweepCombinationSyntax(_ item: String) -> Self {
        .init("sweep-grid", "--combination needs 'LABEL: name=value, name=value'; found '\(shown(item))'")
    }
    static func sweepUnknownThreshold(_ name: String, file: String, suggestion: String) -> Self {
        .init("unknown-threshold", "no threshold '\(shown(name))' in \(shown(file)) to vary\(suggestion)")
    }
    static func sweepSegmentsThreshold(_ name: String, segments: String) -> Self {
        .init("sweep-grid", "threshold '\(shown(name))' is also a threshold of the segments file \(shown(segments)); sweep varies the rule file's own thresholds only, so rename one of them")
    }
    static func sweepListThreshold(_ name: String) -> Self {
        .init("sweep-grid", "threshold '\(shown(name))' is a list; sweep varies thresholds with one value (a number, money, a date, text or true/false)")
    }
    static func sweepVariedTwice(_ name: String) -> Self { .init("sweep-grid", "threshold '\(shown(name))' is varied twice") }
    static func sweepSetTwice(_ label: String, _ name: String) -> Self {
        .init("sweep-grid", "combination '\(shown(label))' sets '\(shown(name))' twice")
    }
    static func sweepEmptyValue(_ name: String) -> Self { .init("sweep-grid", "the values of '\(shown(name))' include an empty one") }
    static func sweepMoneyDecimals(_ name: String, found: String, decimals: Int) -> Self {
        .init("threshold-type", "threshold '\(shown(name))' is compared with money, which has at most 2 decimal places; '\(shown(found))' has \(decimals)")
    }
    static func sweepRangeType(_ name: String, type: String) -> Self {
        .init("sweep-range", "threshold '\(shown(name))' is \(type); a range lo..hi/step needs a number or a date threshold (list the values instead: a,b,c)")
    }
    static func sweepRangeBound(_ name: String, found: String, expected: String) -> Self {
        .init("sweep-range", "range of '\(shown(name))': '\(shown(found))' is not \(expected)")
    }
    static func sweepRangeStep(_ name: String, found: String) -> Self {
        .init("sweep-range", "range of '\(shown(name))': the step must be greater than 0, found '\(shown(found))'")
    }
    static func sweepRangeOrder(_ name: String, low: String, high: String) -> Self {
        .init("sweep-range", "range of '\(shown(name))' is empty: it starts at \(shown(low)), after its end \(shown(high))")
    }
    static func sweepTooMany(_ count: String) -> Self {
        .init("sweep-size", "the sweep has \(count) combinations; at most 10,000 are allowed (raise a step or shorten a range or list)")
    }
    static func sweepDuplicateLabel(_ label: String) -> Self { .init("sweep-grid", "combination label '\(shown(label))' is given twice") }
    static let sweepReservedLabel = Self("sweep-grid", "the label 'current' names the file's own values (row 0); choose another label")
    static func sweepNotChurnOrUpsell(_ kind: String) -> Self {
        .init("sweep-kind", "sweep takes churn or upsell rules; this file is kind '\(shown(kind))'")
    }
}

// MARK: Configuration files: the project file, mapping and table mapping files, the product catalogue (ProsperData)
//
// The same situations as in rule files have the same codes: a missing file or path is
// `file-not-found`, a value of the wrong YAML shape `wrong-shape`, an unknown key
// `unknown-key`. `suggestion` is a ready phrase ("; did you mean 'x'?" or empty).
extension DiagnosticMessage {
    /// `kind`: "project", "table mapping".
    package static func configFileNotFound(_ kind: String, _ path: String) -> Self { .init("file-not-found", "no \(kind) file '\(path)'") }
    /// `kind`: "mapping", "table mapping"; `next`: what to write, e.g. "see docs/data.md".
    package static func configFileEmpty(_ kind: String, next: String) -> Self { .init("empty-file", "the \(kind) file is empty; \(next)") }
    /// A path the project file gives (`data:`, `rules:`, …) that names nothing.
    package static func configPathNotFound(_ key: String, _ text: String, suggestion: String) -> Self {
        .init("file-not-found", "\(key): no such file or folder '\(text)'\(suggestion)")
    }
    package static func configKeyNotText(in what: String) -> Self { .init("wrong-shape", "keys in \(what) must be plain text") }
    package static func configDuplicateKey(_ key: String, in what: String, firstLine: Int) -> Self {
        .init("duplicate-key", "'\(key)' appears twice in \(what) (first on line \(firstLine))")
    }
    package static func configUnknownKey(_ key: String, in what: String, suggestion: String) -> Self {
        .init("unknown-key", "unknown key '\(key)' in \(what)\(suggestion)")
    }
    /// `kind`: "mapping", "table mapping"; `key`: its version key.
    package static func configMissingVersion(_ kind: String, key: String) -> Self {
        .init("missing-key", "the \(kind) file needs '\(key): 1' (the format version)")
    }
    package static func configVersion(_ kind: String, key: String) -> Self {
        .init("bad-version", "this version of prosper-rules reads \(kind) files of version 1 ('\(key): 1')")
    }
    package static func configInvalidDate(_ key: String, found: String) -> Self { .init("bad-date", "\(key) must be a date YYYY-MM-DD, found '\(found)'") }
    package static func attributeType(found: String, suggestion: String) -> Self {
        .init("bad-type", "attribute type must be one of number, integer, boolean, date, text; found '\(found)'\(suggestion)")
    }
    package static let mappingAttributeType = Self("bad-type", "type must be one of number, integer, boolean, date, text")
    /// `rule`: how to avoid the clash ("map it under customers instead", …).
    package static func attributeShadowsField(_ name: String, fix: String) -> Self {
        .init("attribute-shadows-field", "attribute '\(name)' has the name of a contract field; \(fix)")
    }
    package static func attributeDerivedName(_ name: String, taken: String, phrase: String) -> Self {
        .init("attribute-shadows-field", "attribute '\(name)' has a name \(phrase) (\(taken)); choose another name")
    }
    package static func attributeInvalidName(_ name: String) -> Self {
        .init("invalid-name", "'\(name)' is not a name rules can use; use letters, digits and '_', starting with a letter")
    }
    package static func moneyOneKey(in what: String) -> Self {
        .init("bad-money", "money in \(what) needs exactly one of currency (a code such as USD) or unit (the name of a non-currency unit, such as value points)")
    }
    /// `advice`: "; did you mean 'USD'?" or the note on `unit:`.
    package static func moneyCurrency(found: String, advice: String) -> Self {
        .init("bad-money", "money.currency must be a three-letter currency code in capitals (ISO 4217, such as USD or EUR), found '\(found)'\(advice)")
    }
    package static let moneyUnitName = Self("bad-money", "money.unit must be a short name (1 to 40 characters, no control characters), such as value points")

    // Project file
    package static func projectEngine(found: String) -> Self {
        .init("bad-engine", "engine must be in-process, postgresql://user@host:port/database, spark://host:port or local[N]; found '\(found)'")
    }
    package static let projectPassword = Self("password-in-project", "do not write a password in the project file: use PGPASSWORD or ~/.pgpass")
    package static func productsTwice(besides path: String) -> Self { .init("products-twice", "products are declared here and in \(path); keep one of them") }

    // Product catalogue
    package static func catalogueShape(found: String) -> Self {
        .init("wrong-shape", "products must be a list of products (- name: …, price: …), found \(found)")
    }
    package static let catalogueEmptyName = Self("empty-name", "a product's name must not be empty")
    package static let catalogueMissingName = Self("missing-key", "a product needs a name (name: …)")
    package static func catalogueDuplicate(_ name: String, firstLine: Int) -> Self {
        .init("duplicate-product", "product '\(name)' is declared twice (first on line \(firstLine))")
    }
    package static func catalogueMissingPrice(_ name: String) -> Self { .init("missing-key", "product '\(name)' needs a list price (price: 12.50, per month)") }
    package static func cataloguePriceQuoted(_ what: String, found: String) -> Self {
        .init("invalid-price", "\(what) must be a number, found the text '\(found)'; write it without quotes")
    }
    package static func cataloguePrice(_ what: String, found: String) -> Self {
        .init("invalid-price", "\(what) must be an amount from 0 to 1000000.00 with at most 2 decimals, found '\(found)'")
    }

    // Table mapping files (docs/engines.md)
    package static let tableMappingIsDataMapping = Self("wrong-mapping-kind",
        "this is a data mapping file (for --mapping, docs/data.md); a table mapping names engine tables and starts with 'table_mapping: 1' (docs/engines.md)")
    package static func tableMappingEmptyName(_ what: String) -> Self { .init("expected-name", "\(what) needs a name, found nothing") }
    package static func tableMappingColumnTwice(_ column: String, name: String, line: Int) -> Self {
        .init("column-mapped-twice", "the column '\(column)' is already mapped to \(name) on line \(line); each name reads its own column")
    }
    package static func tableMappingColumnOfField(_ column: String, name: String) -> Self {
        .init("column-mapped-twice", "the column '\(column)' is read by the contract field \(column), which keeps its own name here; map \(column) to its own column, or \(name) to another")
    }
    package static func tableMappingDerivedField(_ field: String, table: String) -> Self {
        .init("derived-field", "\(field) is derived (computed from the subscriptions and the as-of date), not a column of \(table); it cannot be mapped")
    }
    /// `suggestion`: "; did you mean 'x'?" or "; its fields are: …".
    package static func tableMappingUnknownField(_ field: String, table: String, suggestion: String) -> Self {
        .init("unknown-field", "'\(field)' is not a field of the data contract's \(table) table\(suggestion)")
    }

    // Mapping files (docs/data.md)
    package static func mappingFormat(_ format: String) -> Self { .init("bad-format", "source format '\(format)' is not supported; mapping files read csv") }
    package static func mappingDuplicates(_ all: [String], found: String, suggestion: String) -> Self {
        .init("bad-duplicates", "duplicates must be one of \(all.joined(separator: ", ")), found '\(found)'\(suggestion)")
    }
    package static func mappingMissingFields(_ names: [String]) -> Self {
        .init("missing-field", "customers has no rule for the contract field\(names.count == 1 ? "" : "s") "
            + names.map { "'\($0)'" }.joined(separator: ", ") + "; map a column or give a fixed value")
    }
    package static func mappingNotExpression(found: String) -> Self {
        .init("expected-expression", "expression must be an expression over the source columns, e.g. round(customer_value / 12, 2); \(found)")
    }
    /// `choices`: "; expected one of: …" or "; did you mean 'x'?".
    package static func mappingConversion(_ name: String, choices: String) -> Self { .init("unknown-conversion", "unknown conversion '\(name)'\(choices)") }
    package static func mappingRowNumber(found: String) -> Self {
        .init("bad-row-number", "row_number must be 'true' (the 1-based number of the data row), found '\(found)'")
    }
    package static func mappingRuleSources(_ what: String) -> Self {
        .init("bad-rule", "\(what) needs exactly one of column, value, expression, months_before_as_of, days_before_as_of, row_number")
    }
    package static func mappingWidth(found: String) -> Self {
        .init("bad-width", "width must be a whole number from 1 to 18 (the digits of the zero-padded row number), found '\(found)'")
    }
    package static func mappingWidthWithoutRowNumber(_ what: String) -> Self {
        .init("width-without-row-number", "width pads a row number; \(what) has no 'row_number: true'")
    }
    package static func mappingMapTwice(_ what: String, mapLine: Int) -> Self {
        .init("map-twice", "\(what) has both map (line \(mapLine)) and map_file; give one of them")
    }
    /// `key`: "map" or "map_file".
    package static func mappingMapWithoutColumn(_ what: String, key: String) -> Self {
        .init("map-without-column", "\(what): \(key) translates the codes of a source column; add 'column:'")
    }
    package static func mappingDefaultWithoutMap(_ what: String) -> Self {
        .init("map-default-without-map", "map_default is the label for codes a map does not list; \(what) has no map or map_file")
    }
    package static let mappingMissingCustomers = Self("missing-key", "the mapping file needs a 'customers:' section")
    package static func mappingProductColumn(_ name: String) -> Self { .init("missing-key", "products.\(name) needs 'column'") }
    package static let mappingSplitTotal = Self("missing-key", "price.split needs 'total'")
    package static let mappingPlanKeys = Self("missing-key", "price.plan needs 'product' and 'total'")
    package static let mappingSubscriptionsPrice = Self("missing-key", "subscriptions needs 'price' (fixed, split or plan) to give the products a monthly price")
    package static func mappingEmptyMap(_ what: String) -> Self { .init("empty-map", "\(what).map lists no codes; write 'code: label' pairs") }
    package static func mapFileColumns(found: Int) -> Self {
        .init("bad-map-file", "a map file has two columns, code and label (with a header row); found \(found)")
    }
    package static func mapFileEmpty(_ name: String) -> Self {
        .init("bad-map-file", "the map file '\(name)' is empty; expected a header row and then code,label rows")
    }
    /// A row or the file of a map file that cannot be read, with the reader's message.
    package static func mapFileProblem(_ message: String) -> Self { .init("bad-map-file", message) }
    package static let mapFileBlankCode = Self("bad-map-file", "a blank code is never looked up (a blank cell takes 'default:'); remove this row")
    package static func mapFileCodeTwice(_ code: String, firstLine: Int) -> Self {
        .init("bad-map-file", "code '\(VisibleText.of(code))' appears twice (first on line \(firstLine))")
    }
    package static func mapFileUnreadable(_ name: String, reason: String?) -> Self {
        .init("bad-map-file", "cannot read the map file '\(name)'" + (reason.map { ": " + $0 } ?? ""))
    }
    package static func mapFileNoCodes(_ name: String) -> Self { .init("bad-map-file", "the map file '\(name)' lists no codes") }
    /// `detail`: the columns there are, or a did-you-mean.
    package static func mappingUnknownColumn(_ shown: String, detail: String) -> Self { .init("unknown-column", "the source has no column \(shown)\(detail)") }
    package static let mappingPriceKind = Self("bad-price", "price needs exactly one of fixed, split, plan")
    package static func mappingStatus(found: String) -> Self { .init("bad-status", "status must be active or cancelled, found '\(found)'") }
    package static func mappingMissingPrice(_ product: String) -> Self { .init("missing-price", "price.fixed has no price for '\(product)'") }
    package static func mappingAmount(_ what: String, found: String) -> Self {
        .init("bad-amount", "\(what) must be an amount >= 0 with at most 2 decimals, found '\(found)'")
    }
    package static func mappingAmbiguousColumn(_ name: String, columns: String) -> Self {
        .init("ambiguous-column", "'\(name)' names two source columns, \(columns); use 'column:' for one of them, or rename one in the export")
    }
    package static func mappingNamesNoColumn(_ what: String, text: String, hint: String) -> Self {
        .init("unknown-name", "\(what): '\(text)' reads as an expression but names no source column\(hint)")
    }
    package static func mappingExpressionType(_ what: String, _ problem: String) -> Self { .init("mapping-expression-type", "\(what): \(problem)") }
    /// `reads`: "reads as_of" or "counts back from the as-of date".
    package static func mappingNeedsAsOf(_ reads: String) -> Self {
        .init("needs-as-of", "this rule \(reads): add 'as_of: YYYY-MM-DD' to the mapping or pass --as-of")
    }
}

// MARK: Rule-file, expression, engine and SQL messages once written inline where they were raised
extension DiagnosticMessage {
    /// `what`: "levels", "signals", "recommendations".
    package static func tooManyEntries(_ what: String, limit: Int) -> Self { .init("too-many-entries", "at most \(limit) \(what) are supported") }
    package static func tooManyTableRows(limit: Int) -> Self { .init("too-many-entries", "a table has at most \(limit) rows") }
    package static func thresholdNumberProblem(_ name: String, problem: String) -> Self {
        .init("invalid-threshold", "threshold '\(name)': \(problem); quote it to use it as text")
    }
    package static func invalidListPrice(_ product: String, found: String) -> Self {
        .init("invalid-price", "the price of '\(product)' must be an amount from 0 to 1000000.00 with at most 2 decimals, found '\(found)'")
    }
    package static let revenueGroupedTwice = Self("invalid-grouping", "revenue is grouped by at most two fields (rows and columns)")
    package static func groupingDerivedNotText(_ name: String, type: String) -> Self {
        .init("invalid-grouping", "cannot group by '\(name)': it is a derived field giving \(type); only a derived field giving text can be grouped by, e.g. 'if employees < 50 then \"small\" else \"large\"'")
    }
    package static func groupingAmount(_ name: String) -> Self {
        .init("invalid-grouping", "cannot group by '\(name)': it is an amount with decimals; group by a text, true/false, date or whole-number field")
    }
    package static func functionWithoutCall(_ name: String) -> Self { .init("unknown-name", "'\(name)' is a function; call it as \(name)(…)") }
    package static func arithmeticOnDates(_ op: String) -> Self {
        .init("type-mismatch", "'\(op)' does not work on dates; use add_days(d, n) or add_months(d, n) to move a date, days_between(a, b) for the days between two")
    }
    package static func roundScale(max: Int) -> Self { .init("invalid-argument", "round() keeps 0 to \(max) decimal places") }
    package static func constantFault(_ kind: String) -> Self { .init("constant-fault", "this constant expression fails: \(kind)") }
    package static func operatorWord(_ text: String, word: String) -> Self {
        .init("unexpected-character", "unexpected character '\(text)'; did you mean '\(word)'?")
    }
    package static let chainedComparison = Self("chained-comparison", "comparisons cannot be chained; join them with 'and'")
    /// A compiled rule that cannot be bound to the data (`error`: the binder's message).
    package static func binding(_ message: String) -> Self { .init("binding", message) }
    package static let offerValueType = Self("binding", "an offer's value must be a number with at most 2 decimals")
    package static func fieldNotText(_ name: String) -> Self { .init("binding", "the field '\(name)' does not give text") }
    /// `dialect`: the engine's display name; `why`: what it cannot do exactly.
    package static func sqlUnsupported(_ dialect: String, _ why: String) -> Self { .init("sql-unsupported", "cannot run in \(dialect) exactly: \(why)") }
}
