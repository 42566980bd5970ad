import ArgumentParser

/// `prosper-rules eval RULEFILE`: runs one rule file of any kind.
struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "eval", abstract: "Run one rule file over the customer data and print its results.")

    @Argument(help: "The rule file, e.g. rules/churn.yaml.")
    var ruleFile: String

    @OptionGroup var input: DataOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var engine: EngineOptions

    func run() throws {
        let path = try ProjectContext.load(explicit: input.project).ruleFile(ruleFile)
        try ReportPipeline.run(rulePaths: [path], input: input, output: output, engine: engine)
    }
}
