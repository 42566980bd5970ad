// `swift run prosper-embed-example [RULES_FOLDER]`: evaluates the rule files of a
// folder (default `rules`) over customers this program holds in memory and prints the
// churn alerts and the upsell offers. See EmbeddedRules.swift and docs/data.md.
import ProsperModel

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

let folder = CommandLine.arguments.count > 1 ? CommandLine.arguments[1] : "rules"
let asOf = Day(year: 2026, month: 11, day: 1) ?? Day(number: 20_393)
do {
    for line in try EmbeddedRules.run(rulesFolder: folder, asOf: asOf) { print(line) }
} catch {
    var text = "error: \(error)\n"
    text.withUTF8 { b in _ = write(2, b.baseAddress, b.count) }
    exit(1)
}
