import ArgumentParser
import ProsperData
import ProsperModel
import ProsperRules

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `prosper-rules demo`: seeds the 500-customer sample and prints the full report.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "demo", abstract: "Seed a 500-customer sample into a temporary folder and print the full report.")

    @Option(help: "Where to write the sample (default: a temporary folder).")
    var out: String?

    @Option(help: "Output format: table, json, csv, markdown or html.")
    var format: ReportFormat = .table

    @Option(help: "The rules folder (default: 'rules:' of prosper.yaml, else ./rules).")
    var rules: String?

    func run() throws {
        let context = try ProjectContext.load()
        let rulesFolder = try context.rulesFolder(rules)
        guard FileBytes.isDirectory(rulesFolder) else {
            Terminal.err("error: no rules folder '\(rulesFolder)'; pass --rules DIR, or run the demo where there is no prosper.yaml and no rules/ folder to use the built-in rules\n")
            throw ExitCode(1)
        }
        let dir: String
        if let out {
            dir = out
        } else {
            var template = Array("/tmp/prosper-demo-XXXXXX".utf8CString)
            let made = template.withUnsafeMutableBufferPointer { buffer -> String? in
                guard let base = buffer.baseAddress, let result = mkdtemp(base) else { return nil }
                return String(cString: result)
            }
            guard let made else {
                Terminal.err("error: cannot create a temporary folder\n")
                throw ExitCode(1)
            }
            dir = made
        }
        // The temporary sample is removed afterwards; an --out folder is kept.
        defer {
            if out == nil {
                for name in FileBytes.list(dir) { unlink(FileBytes.join(dir, name)) }
                rmdir(dir)
            }
        }
        let summary: SeedSummary
        do {
            summary = try Seeder.write(SeedOptions(seed: 1, customers: 500), to: dir)
        } catch {
            Terminal.err("error: " + VisibleText.of(error.description) + "\n")
            throw ExitCode(1)
        }
        Terminal.err("demo: seeded \(summary.customers) customers into \(dir)\(out == nil ? " (removed afterwards)" : "")\n")
        var input = try DataOptions.parse([])
        input.data = dir
        input.limit = RowLimit(rows: 10)
        // A temporary sample: nothing to re-run.
        input.noCache = true
        var output = try OutputOptions.parse([])
        output.format = format
        try ReportPipeline.run(rulePaths: [rulesFolder], input: input, output: output)
    }
}
