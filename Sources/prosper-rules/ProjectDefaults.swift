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
    /// file belongs to the project's data, not to a `--data` flag. `projectAsOf` false:
    /// the project's `as_of:` does not apply (a later snapshot has its own date).
    func ingest(data: String?, mapping: String?, asOf: Day?, rejectsPath: String? = nil, projectAsOf: Bool = true) throws -> IngestResult {
        guard let dataPath = data ?? file?.data else {
            Terminal.err("error: no data given (--data) and no 'data:' in \(file?.path ?? "prosper.yaml (none in the working folder)")\n")
            throw ExitCode(1)
        }
        var options = IngestOptions()
        options.asOf = asOf ?? (projectAsOf ? file?.asOf : nil)
        if asOf == nil, projectAsOf, let file, file.asOf != nil { options.asOfSource = "as_of of \(file.path)" }
        options.rejectsPath = rejectsPath
        options.declaredAttributes = file?.attributes ?? [:]
        options.moneyUnit = file?.moneyUnit
        let mappingPath = mapping ?? (data == nil ? file?.mapping : nil)
        if data == nil { try checkPath("data") }
        if mapping == nil, data == nil { try checkPath("mapping") }
        do {
            if let mappingPath { return try MappedIngest.ingest(path: dataPath, mappingPath: mappingPath, options: options) }
            return try Ingestor.ingest(path: dataPath, options: options)
        } catch let error as ConfigFileError {
            Terminal.err(error.rendered + "\n")
            throw ExitCode(1)
        } catch {
            Terminal.err("error: \(error)\n")
            throw ExitCode(1)
        }
    }
}
