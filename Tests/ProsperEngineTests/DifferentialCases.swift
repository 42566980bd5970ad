import Foundation
import ProsperModel
import Testing

/// One rule set on one data set.
struct DifferentialCase: Sendable, CustomTestStringConvertible {
    let name: String
    /// Rule folders or files.
    let rules: [String]
    let source: Source
    let limit: Int

    enum Source: Sendable {
        case seeded(seed: UInt64, customers: Int)
        case folder(String)
    }

    var testDescription: String { name }

    /// A name usable in an SQL schema.
    var slug: String { String(name.lowercased().map { $0.isLetter || $0.isNumber ? $0 : "_" }) }

    func data() throws -> Dataset {
        switch source {
        case .seeded(let seed, let n): return try Corpus.seeded(seed: seed, customers: n)
        case .folder(let path): return try Corpus.ingest(path)
        }
    }
}

enum DifferentialCases {
    /// The Spark subset: the shipped rules on every data source, the hostile names, and
    /// each fixture rule set on one hand-made data set (rotating edge, unicode, ties, custom).
    static let spark: [DifferentialCase] = {
        var out = all.filter { c in !c.rules.joined().hasPrefix(EnginePaths.fixtures + "/rulesets/") }
        let fixtureCases = all.filter { c in
            if case .folder = c.source { return c.rules.joined().hasPrefix(EnginePaths.fixtures + "/rulesets/") }
            return false
        }
        var ruleSets: [String] = []
        for c in fixtureCases where !ruleSets.contains(c.rules.joined()) { ruleSets.append(c.rules.joined()) }
        for (k, r) in ruleSets.enumerated() {
            let options = fixtureCases.filter { $0.rules.joined() == r }
            out.append(options[k % options.count])
        }
        return out
    }()

    static let shipped = EnginePaths.root + "/rules"

    static let all: [DifferentialCase] = {
        var cases: [DifferentialCase] = [
            .init(name: "shipped rules, seed 1, 500 customers", rules: [shipped], source: .seeded(seed: 1, customers: 500), limit: Int.max),
            .init(name: "shipped rules, seed 7, 3000 customers", rules: [shipped], source: .seeded(seed: 7, customers: 3000), limit: 20),
            .init(name: "shipped rules, examples data", rules: [shipped], source: .folder(EnginePaths.root + "/examples/data"), limit: Int.max),
            .init(name: "shipped rules, small report fixture", rules: [shipped], source: .folder(EnginePaths.root + "/Tests/ProsperReportTests/Fixtures/small/data"), limit: Int.max),
        ]
        // The fixture rule sets (Fixtures/README.md): each on the seeded data and on the
        // hand-made edge-case data sets it is written for.
        let fm = FileManager.default
        let rulesets = ((try? fm.contentsOfDirectory(atPath: EnginePaths.fixtures + "/rulesets")) ?? []).sorted()
        let datasets = ((try? fm.contentsOfDirectory(atPath: EnginePaths.fixtures + "/data")) ?? []).sorted()
        for r in rulesets {
            let path = EnginePaths.fixtures + "/rulesets/" + r
            let needsCustom = fm.fileExists(atPath: path + "/.custom")
            if !needsCustom {
                cases.append(.init(name: "\(r), seed 11, 2000 customers", rules: [path], source: .seeded(seed: 11, customers: 2000), limit: Int.max))
            }
            for d in datasets where !needsCustom || d.hasPrefix("custom") {
                cases.append(.init(name: "\(r), \(d)", rules: [path], source: .folder(EnginePaths.fixtures + "/data/" + d), limit: Int.max))
            }
        }
        // Names that try to end their quotes: nothing may change the SQL's structure.
        let hostile = EnginePaths.fixtures + "/rulesets-hostile/sql-injection"
        cases.append(.init(name: "hostile names, seed 3, 800 customers", rules: [hostile], source: .seeded(seed: 3, customers: 800), limit: Int.max))
        cases.append(.init(name: "hostile file names, seed 3, 800 customers", rules: [EnginePaths.fixtures + "/rulesets-hostile/file-names"], source: .seeded(seed: 3, customers: 800), limit: Int.max))
        return cases
    }()
}
