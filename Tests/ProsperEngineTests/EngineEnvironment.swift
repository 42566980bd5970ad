import Foundation
import ProsperData
import ProsperEngines
import ProsperModel
import ProsperReport
import ProsperRules
import Testing

/// The real engines the tests run against, from the environment `scripts/engines/*.sh`
/// writes (docs/engines-setup.md). Missing: the test says how to run it and passes
/// locally; under `CI=true` a missing engine is a failure, so a broken install shows.
enum EngineEnvironment {
    static var isCI: Bool {
        let v = ProcessInfo.processInfo.environment["CI"]?.lowercased() ?? ""
        return v == "true" || v == "1"
    }

    static func postgres() -> String? {
        if let url = ProcessInfo.processInfo.environment["PROSPER_TEST_POSTGRES_URL"], !url.isEmpty { return url }
        missing("PostgreSQL", "eval \"$(scripts/engines/postgres.sh start)\"")
        return nil
    }

    static func spark() -> String? {
        if let url = ProcessInfo.processInfo.environment["PROSPER_TEST_SPARK_URL"], !url.isEmpty { return url }
        missing("Spark", "eval \"$(scripts/engines/spark.sh start)\"")
        return nil
    }

    private static func missing(_ engine: String, _ how: String) {
        let message = "\(engine) is not available, so this test did not run; start one with: \(how) (docs/engines-setup.md)"
        if isCI { Issue.record(Comment(rawValue: message + " — required under CI=true")) } else { print("note: " + message) }
    }
}

/// Paths of the package.
enum EnginePaths {
    static let root: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()
    static let fixtures = root + "/Tests/ProsperEngineTests/Fixtures"
}

struct EngineTestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ d: String) { description = d }
}

/// Data sets and rule sets the differential tests combine.
enum Corpus {
    static let asOf = Day(iso: "2026-11-01") ?? Day(number: 0)

    static func ingest(_ path: String) throws -> Dataset {
        let result = try Ingestor.ingest(path: path, options: IngestOptions(asOf: asOf))
        guard let d = result.dataset else { throw EngineTestFailure("no dataset from \(path): \(result.report.renderText())") }
        return d
    }

    /// A seeded data set (written to a scratch folder and ingested like a user's).
    static func seeded(seed: UInt64, customers: Int) throws -> Dataset {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("prosper-engine-seed-\(seed)-\(customers)-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        _ = try Seeder.write(SeedOptions(seed: seed, customers: customers), to: dir)
        return try ingest(dir)
    }

    static func rules(_ paths: [String], for data: Dataset) throws -> [RuleFile] {
        let check = RuleSetChecker.check(paths: paths, schema: data.schema, products: Array(Set(RuleLoader.catalogue).union(data.products)).sorted())
        if check.hasErrors { throw EngineTestFailure(check.diagnostics.map(\.description).joined(separator: "\n")) }
        return check.files
    }

    /// The report JSON an engine's document gives with its `meta.engine` taken out:
    /// what must equal the in-process JSON byte for byte.
    static func jsonWithoutEngine(_ doc: ReportDocument) -> String {
        var d = doc
        d.meta.removeAll { $0.key == "engine" }
        return JSONFormatter.render(d)
    }

    /// A readable first difference of two texts.
    static func firstDifference(_ a: String, _ b: String) -> String {
        let x = a.split(separator: "\n", omittingEmptySubsequences: false), y = b.split(separator: "\n", omittingEmptySubsequences: false)
        for i in 0..<max(x.count, y.count) {
            let l = i < x.count ? String(x[i]) : "<end>", r = i < y.count ? String(y[i]) : "<end>"
            if l != r { return "line \(i + 1):\n  in-process: \(l.prefix(600))\n  engine:     \(r.prefix(600))" }
        }
        return "equal"
    }
}
