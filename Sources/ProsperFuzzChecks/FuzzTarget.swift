/// The input kinds the fuzzers feed, one libFuzzer target each (Fuzz/, docs/fuzzing.md).
public enum FuzzTarget: String, CaseIterable, Sendable {
    /// A rule file: YAML, expressions, static analysis, compilation and a run.
    case rules
    /// One expression: parse, check, compile; kernels against the scalar reference.
    case expression
    /// `customers.csv` beside a fixed `subscriptions.csv`.
    case customers
    /// `subscriptions.csv` beside a fixed `customers.csv`.
    case subscriptions
    /// A JSON Lines dataset (`customers.jsonl`).
    case jsonl
    /// A mapping file applied to a fixed foreign CSV.
    case mapping
    /// The project file, `prosper.yaml`.
    case project

    /// Checks one input of this kind; every broken invariant, none when all hold.
    public func check(_ bytes: [UInt8]) -> [FuzzViolation] {
        switch self {
        case .rules: RuleFileChecks.check(bytes)
        case .expression: ExpressionChecks.check(bytes)
        case .customers: DataChecks.customers(bytes)
        case .subscriptions: DataChecks.subscriptions(bytes)
        case .jsonl: DataChecks.jsonLines(bytes)
        case .mapping: ConfigChecks.mapping(bytes)
        case .project: ConfigChecks.project(bytes)
        }
    }
}
