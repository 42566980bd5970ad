import ArgumentParser

/// `prosper-rules report`: runs every rule file of the rules folder.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "report", abstract: "Run every rule file of the rules folder and print the full report.")

    @Option(help: "The rules folder (default: 'rules:' of prosper.yaml, else rules).")
    var rules: String?

    @OptionGroup var input: DataOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var engine: EngineOptions

    func run() throws { try ReportPipeline.run(rulePaths: rules.map { [$0] }, input: input, output: output, engine: engine) }
}
