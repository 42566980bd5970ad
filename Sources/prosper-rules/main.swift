import ArgumentParser
import ProsperData

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The `prosper-rules` command: a thin layer over the libraries.
struct ProsperRulesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prosper-rules",
        abstract: "Customer business intelligence driven by rule files.",
        discussion: "Exit status: 0 success, 1 the input has problems, 2 usage error.",
        version: "0.1.0",
        subcommands: [DemoCommand.self, InitCommand.self, ReportCommand.self, DashboardCommand.self, EvalCommand.self, CompareCommand.self, BacktestCommand.self, SweepCommand.self, CheckCommand.self, ExplainCommand.self, OutcomesCommand.self, SeedCommand.self, IngestCommand.self, LoadCommand.self, SQLCommand.self, SchemaCommand.self, TestCommand.self, CacheCommand.self, ServeCommand.self]
    )
}

// Usage errors exit with 2 (not the argument parser's 64), as documented in --help.
/// Exit 1 when standard output could not be written, whatever the command concluded.
func checkedExit(_ code: Int32) -> Never {
    if DataCache.savePending { TerminalProgress.phase("save the data snapshot") }
    DataCache.finishSaving()
    TerminalProgress.finish()
    if Terminal.outputError != 0 {
        Terminal.err("error: cannot write standard output: \(Terminal.describe(Terminal.outputError))\n")
        exit(code == 0 ? 1 : code)
    }
    exit(code)
}

TemporaryPaths.installSignalHandlers()
// The libraries read no environment: the executable turns their options on from it.
if getenv("PROSPER_TIMING") != nil {
    PhaseTimer.sink = { phase, ms in Terminal.err("[timing] \(phase): \(ms) ms\n") }
}

do {
    var command = try ProsperRulesCommand.parseAsRoot()
    if !(command is ServeCommand) { AllocatorTuning.forBatchRun() }
    TerminalProgress.start()
    try command.run()
    checkedExit(0)
} catch let code as ExitCode {
    checkedExit(code.rawValue)
} catch {
    TerminalProgress.finish()
    let code = ProsperRulesCommand.exitCode(for: error)
    if code == .success {
        print(ProsperRulesCommand.fullMessage(for: error))
        exit(0)
    }
    Terminal.err(ProsperRulesCommand.fullMessage(for: error) + "\n")
    exit(code == .validationFailure ? 2 : code.rawValue)
}
