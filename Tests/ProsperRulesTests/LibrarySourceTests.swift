import Foundation
import Testing

/// Properties of the library sources that no compiler checks, read from the source tree:
/// every diagnostic comes from the one message catalogue
/// (`Sources/ProsperRules/Diagnostics/DiagnosticMessage+Catalogue.swift`), and no library
/// reads the environment or writes to the terminal (the executable does both).
@Suite struct LibrarySourceTests {
    static let sources = Fixtures.repositoryRoot + "/Sources"
    static let catalogueFile = sources + "/ProsperRules/Diagnostics/DiagnosticMessage+Catalogue.swift"

    /// The library targets (everything but the executables and the C targets).
    /// Read from the folder, so a new library target is covered without editing this list.
    static let libraries: [String] = {
        let executables: Set<String> = ["prosper-rules", "prosper-bench", "CLibYAML", "CZlib", "CProsperKernels"]
        let names = (try? FileManager.default.contentsOfDirectory(atPath: sources)) ?? []
        return names.filter { !executables.contains($0) && !$0.hasPrefix(".") }.sorted()
    }()

    @Test func everyKnownLibraryIsScanned() {
        for name in ["ProsperModel", "ProsperRules", "ProsperData", "ProsperAnalytics", "ProsperRuleTesting", "ProsperSQL", "ProsperReport",
                     "ProsperEngines", "ProsperFuzzChecks", "ProsperServe"] {
            #expect(Self.libraries.contains(name), "\(name)")
        }
    }

    /// Every `.swift` file under `Sources/<target>`, as (path relative to Sources, text).
    static func files(_ target: String) -> [(String, String)] {
        let root = sources + "/" + target
        guard let e = FileManager.default.enumerator(atPath: root) else { return [] }
        var out: [(String, String)] = []
        for case let name as String in e where name.hasSuffix(".swift") {
            if let text = try? String(contentsOfFile: root + "/" + name, encoding: .utf8) { out.append((target + "/" + name, text)) }
        }
        return out.sorted { $0.0 < $1.0 }
    }

    static func matches(_ pattern: String, in text: String) -> [[String]] {
        guard let re = try? NSRegularExpression(pattern: pattern) else { return [] }
        let ns = text as NSString
        return re.matches(in: text, range: NSRange(location: 0, length: ns.length)).map { m in
            (0..<m.numberOfRanges).map { m.range(at: $0).location == NSNotFound ? "" : ns.substring(with: m.range(at: $0)) }
        }
    }

    static let catalogue = (try? String(contentsOfFile: catalogueFile, encoding: .utf8)) ?? ""
    /// The names of the catalogue's entries (`static func name` / `static let name`).
    static let entryNames = matches(#"static (?:func|let) ([A-Za-z0-9_]+)"#, in: catalogue).map { $0[1] }
    /// Every code the catalogue gives, with the entries that use it.
    static let codes = matches(#"(?:\.init|Self)\(\s*"([^"]*)""#, in: catalogue).map { $0[1] }

    @Test func catalogueIsRead() {
        #expect(Self.entryNames.count > 200, "the catalogue was not found at \(Self.catalogueFile)")
    }

    /// One entry per name: a situation is written once (overloads with other arguments
    /// would be two templates under one name).
    @Test func entryNamesAreUnique() {
        var seen: [String: Int] = [:]
        for n in Self.entryNames { seen[n, default: 0] += 1 }
        let twice = seen.filter { $0.value > 1 }.map(\.key).sorted()
        #expect(twice.isEmpty, "catalogue entries defined more than once: \(twice)")
    }

    /// Codes are stable identifiers: lower-case words joined by '-' (a part given by an
    /// argument, `unknown-\(what)`, counts as a word).
    @Test func codesAreWellFormed() {
        let bad = Set(Self.codes).filter { $0.replacingOccurrences(of: #"\\\([a-z]+\)"#, with: "x", options: .regularExpression).range(of: #"^[a-z0-9]+(-[a-z0-9]+)*$"#, options: .regularExpression) == nil }
        #expect(bad.isEmpty, "malformed codes: \(bad.sorted())")
    }

    /// No library builds a diagnostic from a literal code: `Diagnostic(…, code: "…")`,
    /// `DiagnosticMessage("…", …)` and the config readers' `error(node, "…", …)` are only
    /// in the catalogue. (IngestWarning's underscore codes are the data's own documented
    /// warning codes, docs/data.md.)
    @Test(arguments: libraries)
    func noInlineDiagnosticCodes(_ target: String) {
        for (path, text) in Self.files(target) where !path.hasSuffix("DiagnosticMessage+Catalogue.swift") {
            for (i, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let l = String(line)
                let inline = l.contains("DiagnosticMessage(\"") || l.range(of: #"code: "[a-z0-9]+(-[a-z0-9]+)+""#, options: .regularExpression) != nil
                    || l.range(of: #"\berror\([^()]*, "[a-z0-9]+(-[a-z0-9]+)*", "#, options: .regularExpression) != nil
                #expect(!inline, "\(path):\(i + 1): a diagnostic code written inline; add an entry to the message catalogue: \(l.trimmingCharacters(in: .whitespaces))")
            }
        }
    }

    /// Every catalogue entry the data side names (`error(node, .entry…)`,
    /// `Diagnostic(…, .entry…)`) is in the catalogue.
    @Test func dataSideEntriesAreInTheCatalogue() {
        let names = Set(Self.entryNames)
        var used: Set<String> = []
        for (_, text) in Self.files("ProsperData") {
            for m in Self.matches(#"(?:error\(|at\(|Diagnostic\()[^\n]*?, \.([a-z][A-Za-z0-9]*)"#, in: text) { used.insert(m[1]) }
        }
        #expect(used.count > 40, "the data side names \(used.count) catalogue entries")
        let unknown = used.subtracting(names).subtracting(["range"])
        #expect(unknown.isEmpty, "not catalogue entries: \(unknown.sorted())")
    }

    /// What a library must not do: read the environment, write to the terminal.
    static let forbidden: [(pattern: String, what: String)] = [
        (#"\bgetenv\("#, "reads the environment (getenv)"),
        (#"ProcessInfo\.processInfo\.environment"#, "reads the environment (ProcessInfo)"),
        (#"(^|[^A-Za-z0-9_.])print\("#, "prints (print)"),
        (#"\bfputs\("#, "prints (fputs)"),
        (#"\bputs\("#, "prints (puts)"),
        (#"FileHandle\.standard(Error|Output)"#, "writes to the terminal (FileHandle)"),
        (#"\bwrite\((1|2|STDOUT_FILENO|STDERR_FILENO),"#, "writes to the terminal (write(2, …))"),
    ]

    /// Files allowed one of the above, and why.
    static let allowed: [String: String] = [
        // Starts psql and spark-submit as a shell would: finds them on PATH and gives them
        // the inherited environment. Configuration values come in as parameters.
        "ProsperEngines/ProcessRunner.swift": "reads the environment (ProcessInfo)",
    ]

    /// Libraries read no environment variables and print nothing: PROSPER_SEQUENTIAL,
    /// PROSPER_TIMING, the Spark variables and TMPDIR are read by the executable and
    /// passed in as options (IngestOptions.parallel, PhaseTimer.sink, SparkSettings).
    @Test(arguments: libraries)
    func noEnvironmentNoTerminal(_ target: String) {
        #expect(!Self.files(target).isEmpty, "no sources found for \(target)")
        for (path, text) in Self.files(target) {
            for (i, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let l = String(line)
                if l.trimmingCharacters(in: .whitespaces).hasPrefix("//") { continue }
                for f in Self.forbidden where l.range(of: f.pattern, options: .regularExpression) != nil && Self.allowed[path] != f.what {
                    Issue.record("\(path):\(i + 1): a library \(f.what): \(l.trimmingCharacters(in: .whitespaces))")
                }
            }
        }
    }
}
