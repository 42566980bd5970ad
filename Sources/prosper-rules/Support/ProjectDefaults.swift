#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ArgumentParser
import ProsperData
import ProsperModel
import ProsperRules

/// The project file (prosper.yaml) and the flags that override it: where the data,
/// mapping and rules are, and the as-of date. Every command that reads data or rules
/// goes through here, so flags win over the file in one place.
struct ProjectContext {
    let file: ProjectFile?

    /// Loads `explicit` or finds prosper.yaml in the working folder; a broken project
    /// file is printed with positions and ends the command with exit code 1.
    static func load(explicit: String? = nil) throws -> ProjectContext {
        do throws(ConfigFileError) {
            if let explicit { return ProjectContext(file: try ProjectFile.load(path: explicit)) }
            return ProjectContext(file: try ProjectFile.find())
        } catch {
            Terminal.err(error.rendered + "\n")
            throw ExitCode(1)
        }
    }

    /// The rules folder: the flag, else the project's, else `rules`. A project rules
    /// path that names nothing is reported at its line in the project file (exit 1).
    /// Outside a project (no prosper.yaml, no rules/ folder here): the rule set carried in
    /// the binary, with a note on standard error saying how to get an editable copy.
    func rulesFolder(_ flag: String?) throws -> String {
        if flag == nil { try checkPath("rules") }
        if let folder = flag ?? file?.rules { return folder }
        guard outsideProject else { return "rules" }
        noteBuiltinRules()
        return BuiltinRules.folder
    }

    /// A rule file named on the command line (`eval rules/churn.yaml`): as given, except
    /// outside a project, where a name of the built-in set (`churn`, `churn.yaml`,
    /// `rules/churn.yaml`) that is not a file here means the built-in file.
    func ruleFile(_ path: String) -> String {
        guard outsideProject, !FileBytes.exists(path), let builtin = BuiltinRules.path(for: path) else { return path }
        noteBuiltinRules()
        return builtin
    }

    /// No project file and no rules/ folder in the working folder.
    var outsideProject: Bool { file == nil && !FileBytes.exists("rules") }

    /// The note is printed once per run (the engine pipeline asks for the folder twice).
    nonisolated(unsafe) private static var notedBuiltinRules = false

    func noteBuiltinRules() {
        guard !Self.notedBuiltinRules else { return }
        Self.notedBuiltinRules = true
        Terminal.err("note: no prosper.yaml and no rules/ folder here: using the \(BuiltinRules.label); run 'prosper-rules init' to write them into a project you can edit\n")
    }

    /// Reports a `data:`/`mapping:`/`rules:` path of the project file that names
    /// nothing, as prosper.yaml:line:column with a did-you-mean, and ends the command.
    func checkPath(_ key: String) throws {
        guard let error = file?.missingPath(key) else { return }
        Terminal.err(error.rendered + "\n")
        throw ExitCode(1)
    }

    /// The project's own product catalogue (nil: none declared, the built-in one applies).
    var catalogue: [CatalogueProduct]? { file?.products }

    /// Products rules may name without a warning: the project's catalogue (else the
    /// built-in one) and the products of the data.
    func knownProducts(data: [String]) -> [String] { CatalogueProduct.knownNames(declared: catalogue, data: data) }

    /// The schema rules are checked against when no data is read: the contract plus
    /// the attributes the project declares.
    var schema: Schema { Schema.contract.adding(custom: file?.attributeFields ?? []) }

    /// Ingests the data: flags first, then the project file. A mapping in the project
    /// file belongs to the project's data, not to a `--data` flag. Always reads the files
    /// (`ingest`, `check`, `test`); the report commands use `loadDataset`. `projectAsOf`
    /// false: the project's `as_of:` does not apply (a later snapshot has its own date).
    func ingest(data: String?, mapping: String?, asOf: Day?, rejectsPath: String? = nil, projectAsOf: Bool = true) throws -> IngestResult {
        let plan = try ingestPlan(data: data, mapping: mapping, asOf: asOf, rejectsPath: rejectsPath, projectAsOf: projectAsOf)
        return try run(plan)
    }

    /// What an ingestion reads and with which options.
    struct IngestPlan {
        let dataPath: String
        let mappingPath: String?
        var options: IngestOptions
    }

    func ingestPlan(data: String?, mapping: String?, asOf: Day?, rejectsPath: String? = nil, projectAsOf: Bool = true) throws -> IngestPlan {
        guard let dataPath = data ?? file?.data else {
            Terminal.err("error: no data given (--data) and no 'data:' in \(file?.path ?? "prosper.yaml (none in the working folder)")\n")
            throw ExitCode(1)
        }
        var options = IngestOptions()
        options.parallel = getenv("PROSPER_SEQUENTIAL") == nil
        options.asOf = asOf ?? (projectAsOf ? file?.asOf : nil)
        if asOf == nil, projectAsOf, let file, file.asOf != nil { options.asOfSource = "as_of of \(file.path)" }
        options.rejectsPath = rejectsPath
        options.declaredAttributes = file?.attributes ?? [:]
        options.moneyUnit = file?.moneyUnit
        options.progress = TerminalProgress.sink
        let mappingPath = mapping ?? (data == nil ? file?.mapping : nil)
        if data == nil { try checkPath("data") }
        if mapping == nil, data == nil { try checkPath("mapping") }
        return IngestPlan(dataPath: dataPath, mappingPath: mappingPath, options: options)
    }

    private func run(_ plan: IngestPlan) throws -> IngestResult {
        do {
            if let mappingPath = plan.mappingPath { return try MappedIngest.ingest(path: plan.dataPath, mappingPath: mappingPath, options: plan.options) }
            return try Ingestor.ingest(path: plan.dataPath, options: plan.options)
        } catch let error as ConfigFileError {
            Terminal.err(error.rendered + "\n")
            throw ExitCode(1)
        } catch {
            Terminal.err("error: \(error)\n")
            throw ExitCode(1)
        }
    }

    /// The dataset of the report commands: from the project's snapshot cache when one
    /// matches the data (docs/cache.md), else ingested from the files and saved as a
    /// snapshot for the next run. `useCache` false (`--no-cache`): read the files and
    /// leave the cache alone. An ingestion without usable customers comes back as
    /// `.unusable` with its report.
    func loadDataset(data: String?, mapping: String?, asOf: Day?, useCache: Bool) throws -> LoadedData {
        var unprofiled = try ingestPlan(data: data, mapping: mapping, asOf: asOf)
        unprofiled.options.profileColumns = false
        let plan = unprofiled
        guard useCache else { return LoadedData(try run(plan)) }
        var timer = PhaseTimer()
        let store = SnapshotStore(folder: DataCache.folder(project: file))
        let request = SnapshotRequest(toolVersion: DataCache.toolVersion, dataPath: plan.dataPath, mappingPath: plan.mappingPath,
                                      projectFile: file?.path, workingFolder: DataCache.workingFolder, options: plan.options)
        TerminalProgress.phase("look up the data snapshot")
        let probe = store.probe(request)
        timer.lap("snapshot look-up (\(DataCache.describe(probe.outcome)))")
        if case .success(let content) = probe.outcome {
            AllocatorTuning.afterSnapshotHit()
            return .content(content)
        }
        let result = try run(plan)
        timer.lap("ingest")
        // Written while the modules run; the process waits for it before it exits.
        DataCache.saveInBackground {
            var t = PhaseTimer()
            store.save(probe, result: result, toolVersion: DataCache.toolVersion, description: plan.dataPath + (plan.mappingPath.map { " with " + $0 } ?? ""))
            t.lap("snapshot save (in the background)")
        }
        return LoadedData(result)
    }
}

/// A dataset with what the commands print about it, or an ingestion that left none.
enum LoadedData {
    case content(SnapshotContent)
    case unusable(IngestResult)

    init(_ result: IngestResult) {
        if let c = SnapshotContent(result) { self = .content(c) } else { self = .unusable(result) }
    }
}
