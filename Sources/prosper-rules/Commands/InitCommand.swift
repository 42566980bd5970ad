import ArgumentParser
import ProsperData
import ProsperModel
import ProsperRules
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `prosper-rules init [DIR] [--from-data FILE [--mapping FILE]] [--force]`: writes a
/// project to edit — prosper.yaml, rules/ (the built-in set), a tests file, and with
/// `--from-data` a mapping stub inferred from the file's header and values.
struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Write a project: prosper.yaml, rules/ (the built-in rules), rules/tests/, and a mapping stub for your data.",
        discussion: """
            Existing files are never overwritten without --force (the command names them and \
            writes nothing). With --from-data FILE (a CSV export in any layout) a mapping file is \
            written from its header, every column with the type its first rows suggest \
            (integer, number, date, boolean, text), and commented proposals for the shapes its \
            first 1,000 rows show (no id column, exact copies, 0/1 and 1/2 codes, bands, money \
            with more than 2 decimals; docs/data.md); prosper.yaml then points at the file and the \
            mapping. A folder in the contract layout (customers.csv + subscriptions.csv) needs no \
            mapping. Exit status: 0 written, 1 a file exists or the data cannot be read, 2 usage.
            """
    )

    @Argument(help: "The project folder (created when missing; default: the working folder).")
    var directory: String = "."

    @Option(help: "Customer data to start from: a CSV export (a mapping stub is written for it) or a folder in the contract layout.")
    var fromData: String?

    @Option(help: "Where to write the mapping stub for --from-data (default: DIR/mapping.yaml).")
    var mapping: String?

    @Option(name: .customLong("as-of"), help: "The project's as-of date YYYY-MM-DD (written to prosper.yaml; default with --from-data: today).")
    var asOf: String?

    @Flag(help: "Overwrite files that exist.")
    var force = false

    func validate() throws {
        if mapping != nil, fromData == nil { throw ValidationError("--mapping names the stub written for --from-data; give --from-data FILE too") }
        if let asOf, Day(iso: asOf) == nil { throw ValidationError("--as-of must be a date YYYY-MM-DD, found '\(asOf)'") }
    }

    func run() throws {
        let dir = directory.hasSuffix("/") && directory.count > 1 ? String(directory.dropLast()) : directory
        var files: [(path: String, text: String)] = []
        for name in BuiltinRules.fileNames {
            guard let text = BuiltinRules.text(named: name) else { continue }
            files.append((FileBytes.join(dir, "rules/" + name), text))
        }
        // The built-in rules' own tests (100 % coverage): `prosper-rules test` runs them.
        for (name, text) in BuiltinRules.testTexts { files.append((FileBytes.join(dir, "rules/tests/" + name), text)) }
        // The rule files' first lines point editors at these (docs/editors.md).
        for s in ConfigSchemas.all { files.append((FileBytes.join(dir, EditorSchemas.folder + "/" + s.file), s.schema.rendered())) }
        var data: (written: String, mapping: String?)?
        if let fromData {
            guard FileBytes.exists(fromData) else {
                Terminal.err("error: --from-data: no such file or folder '\(fromData)'\n")
                throw ExitCode(1)
            }
            if FileBytes.isDirectory(fromData) {
                data = (try projectPath(fromData, dir: dir), nil)
            } else {
                let sample: MappingStub.Sample
                do { sample = try MappingStub.sample(path: fromData) } catch {
                    Terminal.err("error: " + VisibleText.of(error.description) + "\n")
                    throw ExitCode(1)
                }
                let stubPath = mapping ?? FileBytes.join(dir, "mapping.yaml")
                files.append((stubPath, MappingStub.render(sample, dataFile: fromData)))
                data = (try projectPath(fromData, dir: dir), try projectPath(stubPath, dir: dir, mustExist: false))
            }
        }
        let day = asOf.flatMap { Day(iso: $0) } ?? (fromData == nil ? nil : Self.today())
        files.insert((FileBytes.join(dir, ProjectFile.fileName), Self.projectText(data: data?.written, mapping: data?.mapping, asOf: day)), at: 0)

        let existing = files.map(\.path).filter { FileBytes.exists($0) }
        if !existing.isEmpty, !force {
            for path in existing { Terminal.err("error: \(path) exists; pass --force to overwrite it\n") }
            Terminal.err("nothing written\n")
            throw ExitCode(1)
        }
        for (path, text) in files {
            try Self.makeFolders(FileBytes.directory(of: path))
            try ReportPipeline.writeFile(path) { $0.write(text) }
        }
        Terminal.err("wrote \(files.count) files into \(dir == "." ? "the working folder" : dir): \(files.map { Self.relative($0.path, to: dir) }.joined(separator: ", "))\n")
        Terminal.err("next: \(dir == "." ? "" : "cd \(dir) && ")prosper-rules check\(data == nil ? " && prosper-rules report --data DATA" : " && prosper-rules report")\n")
    }

    /// `path` as prosper.yaml in `dir` should write it: relative to `dir` when inside it,
    /// else absolute.
    func projectPath(_ path: String, dir: String, mustExist: Bool = true) throws -> String {
        let absolute = Self.absolute(path)
        let base = Self.absolute(dir)
        if absolute.hasPrefix(base + "/") { return String(absolute.dropFirst(base.count + 1)) }
        return absolute
    }

    static func relative(_ path: String, to dir: String) -> String {
        dir == "." || !path.hasPrefix(dir + "/") ? path : String(path.dropFirst(dir.count + 1))
    }

    /// An absolute, `.`/`..`-free spelling of `path` (which need not exist).
    static func absolute(_ path: String) -> String {
        var parts: [Substring] = []
        var start = path
        if !path.hasPrefix("/") {
            var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
            start = (getcwd(&buffer, buffer.count) != nil ? String(cString: buffer) : ".") + "/" + path
        }
        for part in start.split(separator: "/") {
            if part == "." || part.isEmpty { continue }
            if part == ".." { _ = parts.popLast() } else { parts.append(part) }
        }
        return "/" + parts.joined(separator: "/")
    }

    /// Creates `folder` and its parents when missing.
    static func makeFolders(_ folder: String) throws {
        guard folder != ".", folder != "/", !FileBytes.isDirectory(folder) else { return }
        try makeFolders(FileBytes.directory(of: folder))
        if mkdir(folder, 0o755) != 0, errno != EEXIST {
            Terminal.err("error: cannot create the folder \(folder): \(Terminal.describe(errno))\n")
            throw ExitCode(1)
        }
    }

    static func today() -> Day {
        let seconds = time(nil)
        return Day(number: Int32(clamping: seconds / 86_400))
    }

    static func projectText(data: String?, mapping: String?, asOf: Day?) -> String {
        var out = """
        # yaml-language-server: $schema=schemas/project.schema.json
        # prosper-rules project file, written by `prosper-rules init`. Commands run in this
        # folder read it (check, report, eval, dashboard, …); flags override it. Paths are
        # relative to this file. See docs/data.md, "The project file".
        rules: rules                 # the rule files: edit them, then `prosper-rules check`

        """
        if let data { out += "data: \(MappingStub.quoted(data))\n" } else {
            out += "# data: data               # a folder with customers.csv and subscriptions.csv, or a .jsonl file\n"
        }
        if let mapping { out += "mapping: \(MappingStub.quoted(mapping))   # a stub: map the TODO fields to your columns\n" } else {
            out += "# mapping: mapping.yaml    # for data in another layout (docs/data.md, \"Mapping files\")\n"
        }
        if let asOf { out += "as_of: \(asOf)            # the snapshot date of the data\n" } else {
            out += "# as_of: 2026-11-01        # default: the data's latest last_active_date\n"
        }
        out += """
        # attributes:                # types of custom attributes of the data
        #   plan: text
        # products:                  # your own product catalogue (default: the built-in one)
        #   - name: Payroll
        #     price: 45.00           # list price per month
        #   - name: Seats
        #     price: 5.00
        #     per_seat: 2.50         # optional: per user per month

        """
        return out
    }

}
