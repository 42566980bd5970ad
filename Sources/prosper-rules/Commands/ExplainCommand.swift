import ArgumentParser
import ProsperAnalytics
import ProsperData
import ProsperModel
import ProsperReport
import ProsperRules

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `prosper-rules explain CUSTOMER_ID… [RULEFILE…]`: why customers got their results.
struct ExplainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Explain one or more customers' segment, churn alert and offers, rule by rule.",
        discussion: """
        Arguments ending in .yaml/.yml, and folders, are rule files (default: the project's rules); the others are customer ids. \
        --customer field=value … explains a customer given inline (no data needed; defaults for the other fields). See docs/explain.md.
        """
    )

    @Argument(help: "Customer ids, then optionally rule files or folders.")
    var names: [String] = []

    @Option(name: .customLong("why-not"), help: "Explain why this product was not offered (each recommendation of it and its first failing condition).")
    var whyNot: String?

    @Option(name: .customLong("customer"), parsing: .upToNextOption, help: ArgumentHelp("A customer given inline: field=value pairs typed by the schema (defaults for the rest).", valueName: "field=value"))
    var inline: [String] = []

    @Option(help: "Output format: text or json.")
    var format: ExplainFormat = .text

    @OptionGroup var input: DataOptions

    enum ExplainFormat: String, ExpressibleByArgument, CaseIterable { case text, json }

    func validate() throws {
        let (ids, _, _) = split()
        if inline.isEmpty, ids.isEmpty { throw ValidationError("give at least one customer id, or a customer with --customer field=value …") }
        if !inline.isEmpty, !ids.isEmpty { throw ValidationError("give customer ids or --customer, not both (found '\(ids[0])')") }
    }

    /// Customer ids, rule paths and `field=value` pairs among the arguments (`--customer`
    /// takes every argument up to the next option, so rule files after it count as rules).
    func split() -> (ids: [String], rules: [String], pairs: [String]) {
        var ids: [String] = [], rules: [String] = [], pairs: [String] = []
        func isRulePath(_ n: String) -> Bool { n.hasSuffix(".yaml") || n.hasSuffix(".yml") || FileBytes.isDirectory(n) }
        for n in names {
            if isRulePath(n) { rules.append(n) } else { ids.append(n) }
        }
        for n in inline {
            if !n.contains("="), isRulePath(n) { rules.append(n) } else { pairs.append(n) }
        }
        return (ids, rules, pairs)
    }

    func run() throws {
        let (ids, rulePaths, pairs) = split()
        let started = Clock.now()
        var explainStart = started
        let explainer: CustomerExplainer
        var rows: [Int] = []
        if inline.isEmpty {
            let (context, dataset, constants) = try ReportPipeline.ingested(options: input)
            let check = try ReportPipeline.checkedRules(rulePaths.isEmpty ? [try context.rulesFolder(nil)] : rulePaths, dataset: dataset, options: input)
            let ingested = Clock.now()
            explainStart = ingested
            explainer = CustomerExplainer(dataset: dataset, files: check.files, fieldNotes: Self.derivedNotes(constants),
                                          mappingConstants: Dictionary(constants.map { ($0.field, $0.location) }, uniquingKeysWith: { a, _ in a }))
            var unknown: [String] = []
            for id in ids {
                if let r = explainer.row(of: id) { rows.append(r) } else { unknown.append(id) }
            }
            for id in unknown {
                Terminal.err("error: " + DiagnosticMessage.unknownCustomer(id, close: explainer.closeIDs(to: id)).text + "\n")
            }
            if !unknown.isEmpty { throw ExitCode(1) }
            if Terminal.environment("PROSPER_EXPLAIN_TIMING") != nil {
                Terminal.err("timing: data and rules \(Clock.ms(started, ingested)) ms\n")
            }
        } else {
            let context = try ProjectContext.load(explicit: input.project)
            let asOf = input.asOf.flatMap { Day(iso: $0) } ?? context.file?.asOf ?? Clock.today()
            let dataset: Dataset
            do throws(InlineCustomerError) {
                dataset = try InlineCustomer.build(pairs, schema: context.schema, asOf: asOf)
            } catch {
                Terminal.err("error: " + error.description + "\n")
                throw ExitCode(1)
            }
            let paths = rulePaths.isEmpty ? [try context.rulesFolder(nil)] : rulePaths
            let check = try ReportPipeline.checkedRules(paths, dataset: dataset, options: input)
            // Which values were given and which are the defaults.
            let given = Set(pairs.compactMap { $0.split(separator: "=", maxSplits: 1).first.map { String($0).trimmingSpaces } })
            var notes: [String: String] = [:]
            for f in dataset.schema.fields { notes[f.name] = given.contains(f.name) ? "given" : "default" }
            explainer = CustomerExplainer(dataset: dataset, files: check.files, fieldNotes: notes)
            rows = [0]
        }
        let traces = rows.map { explainer.explain(row: $0) }
        if Terminal.environment("PROSPER_EXPLAIN_TIMING") != nil {
            Terminal.err("timing: explain \(rows.count) customer(s) (id lookup, list prices, traces) \(Clock.ms(explainStart, Clock.now())) ms\n")
        }
        if let product = whyNot, !traces.isEmpty, traces[0].recommendations(for: product).isEmpty {
            let products = traces[0].recommendableProducts
            Terminal.err("error: " + DiagnosticMessage.productNotRecommended(product, suggestion: Suggestion.phrase(for: product, in: products)).text + "\n")
            throw ExitCode(1)
        }
        var out = StandardOutputStream()
        switch format {
        case .json:
            out.write(ExplainJSON.render(traces, whyNot: whyNot))
        case .text:
            for (k, t) in traces.enumerated() {
                if k > 0 { out.write("\n") }
                if let product = whyNot, let text = ExplainText.whyNot(t, product: product) {
                    out.write(text)
                } else {
                    out.write(ExplainText.render(t))
                }
            }
        }
        out.flush()
    }
}

extension ExplainCommand {
    /// Notes for the derived fields computed from a mapping constant: `days_inactive` of
    /// a fixed `last_active_date`, `tenure_days` of a fixed `signup_date`.
    static func derivedNotes(_ constants: [MappingConstant]) -> [String: String] {
        var notes: [String: String] = [:]
        for c in constants {
            switch c.field {
            case "last_active_date": notes["days_inactive"] = "from last_active_date, a mapping constant at \(c.location)"
            case "signup_date": notes["tenure_days"] = "from signup_date, a mapping constant at \(c.location)"
            default: break
            }
        }
        return notes
    }
}

/// Wall-clock readings for `PROSPER_EXPLAIN_TIMING` and the inline as-of default.
enum Clock {
    static func now() -> timespec {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return ts
    }

    static func ms(_ a: timespec, _ b: timespec) -> String {
        let micros = (Int64(b.tv_sec) - Int64(a.tv_sec)) * 1_000_000 + (Int64(b.tv_nsec) - Int64(a.tv_nsec)) / 1000
        let tenths = micros / 100
        return "\(tenths / 10).\(tenths % 10)"
    }

    /// Today's date (UTC).
    static func today() -> Day { Day(number: Int32(clamping: Int64(time(nil)) / 86_400)) }
}
