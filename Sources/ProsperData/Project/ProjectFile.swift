#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ProsperModel
import ProsperRules

/// `prosper.yaml`, the project file in the working folder (like dbt_project.yml): where
/// the data, the mapping and the rules are, and the as-of date, so that commands need
/// no flags. Flags override it. Relative paths are relative to the file's folder.
///
/// ```yaml
/// data: examples/data
/// rules: rules
/// as_of: 2026-11-01
/// # mapping: examples/telco/telco-mapping.yaml
/// # table_mapping: warehouse-tables.yaml
/// # attributes: { plan: text, contract_months: integer }
/// ```
package struct ProjectFile: Sendable, Equatable {
    /// The file's own path.
    package let path: String
    /// The data folder or file (`data:`), resolved against the file's folder.
    package var data: String?
    /// A mapping file for data in a foreign layout (`mapping:`).
    package var mapping: String?
    /// The rules folder (`rules:`).
    package var rules: String?
    /// The snapshot date (`as_of:`).
    package var asOf: Day?
    /// Where `report`, `eval` and `dashboard` run (`engine:`, e.g. a `postgresql://` URL
    /// without a password; `--engine` overrides), and the schema of its tables (`schema:`).
    package var engine: String?
    package var schema: String?
    /// A table mapping file naming the engine's own tables and columns (`table_mapping:`;
    /// `--table-mapping` overrides; docs/engines.md).
    package var tableMapping: String?
    /// Declared types of custom attributes (values that do not fit are rejected).
    package var attributes: [String: FieldKind] = [:]
    /// The project's own product catalogue (`products:`, or a products.yaml beside the
    /// project file); nil when the project declares none (the built-in one applies).
    package var products: [CatalogueProduct]?
    /// `money:`: what the data's amounts are (a currency or another unit); nil = unsaid,
    /// and then reports label no amount. A mapping's own `money:` wins.
    package var moneyUnit: MoneyUnit?
    /// Where `data:`, `mapping:` and `rules:` are written, and their text as written.
    package private(set) var pathValues: [String: PathValue] = [:]

    /// A path as written in the project file and where.
    package struct PathValue: Sendable, Equatable {
        package let text: String
        package let range: SourceRange
    }

    /// The declared attributes as schema fields, for checking rules without data:
    /// `Schema.contract.adding(custom: project.attributeFields)`.
    package var attributeFields: [FieldInfo] {
        attributes.keys.sorted().compactMap { name in
            attributes[name].map { FieldInfo(name: name, kind: $0, nullable: true, origin: .custom, summary: "custom attribute (prosper.yaml)") }
        }
    }

    /// The project file's name, looked up in the working folder.
    package static let fileName = "prosper.yaml"

    package static let keys = ["data", "mapping", "rules", "as_of", "attributes", "engine", "schema", "table_mapping", "products", "money"]

    /// Loads `prosper.yaml` from `folder` when it exists (nil when there is none);
    /// a file that exists but cannot be used is an error.
    package static func find(in folder: String = ".") throws(ConfigFileError) -> ProjectFile? {
        let path = folder == "." ? fileName : folder + "/" + fileName
        guard DataSource.exists(path) else { return nil }
        return try load(path: path)
    }

    /// Loads and checks a project file.
    package static func load(path: String) throws(ConfigFileError) -> ProjectFile {
        guard FileBytes.exists(path) else {  // a folder is read, and reported as one
            throw ConfigFileError(diagnostics: [Diagnostic(file: path, range: nil, .configFileNotFound("project", path))], source: nil)
        }
        let bytes = try readConfig(path)
        let parsed = YAMLParser.parse(bytes: bytes, path: path)
        guard parsed.diagnostics.isEmpty else { throw ConfigFileError(diagnostics: parsed.diagnostics, source: parsed.source) }
        var project = ProjectFile(path: path)
        guard let root = parsed.root else { return project }  // an empty project file sets nothing
        var r = YAMLReader(file: path)
        let folder = path.lastIndex(of: "/").map { String(path[..<$0]) }
        func resolve(_ p: String) -> String {
            guard let folder, !p.hasPrefix("/") else { return p }
            return folder + "/" + p
        }
        for (key, _, value) in r.pairs(root, "the project file", allowed: keys) {
            switch key {
            case "data", "mapping", "rules", "table_mapping":
                guard let t = r.text(value, key) else { continue }
                project.pathValues[key] = PathValue(text: t, range: value.range)
                switch key {
                case "data": project.data = resolve(t)
                case "mapping": project.mapping = resolve(t)
                case "table_mapping": project.tableMapping = resolve(t)
                default: project.rules = resolve(t)
                }
            case "money":
                project.moneyUnit = r.moneyUnit(value, in: "the project file")
            case "as_of":
                if let t = r.text(value, "as_of") {
                    if let d = Day(iso: t) { project.asOf = d } else { r.error(value, .configInvalidDate("as_of", found: t)) }
                }
            case "engine":
                if let t = r.text(value, "engine") {
                    let known = ["in-process", "local", "postgresql://", "postgres://", "spark://", "local["]
                    if known.contains(where: { t == $0 || ($0.hasSuffix("://") || $0.hasSuffix("[")) && t.hasPrefix($0) }) {
                        project.engine = t
                    } else {
                        r.error(value, .projectEngine(found: t))
                    }
                    if t.contains(":"), let at = t.lastIndex(of: "@"), t[..<at].split(separator: ":").count > 2 {
                        r.error(value, .projectPassword)
                    }
                }
            case "schema":
                if let t = r.text(value, "schema") { project.schema = t }
            case "products":
                project.products = ProductCatalogueFile.read(value, &r)
            case "attributes":
                for (name, _, typeNode) in r.pairs(value, "attributes", allowed: nil) {
                    guard let t = r.text(typeNode, "attributes.\(name)") else { continue }
                    switch t {
                    case "number": project.attributes[name] = .number(scale: 2)
                    case "integer": project.attributes[name] = .number(scale: 0)
                    case "boolean": project.attributes[name] = .boolean
                    case "date": project.attributes[name] = .date
                    case "text": project.attributes[name] = .string
                    default:
                        let suggestion = DidYouMean.suggest(t, among: ["number", "integer", "boolean", "date", "text"]).map { "; did you mean '\($0)'?" } ?? ""
                        r.error(typeNode, .attributeType(found: t, suggestion: suggestion))
                    }
                }
            default: break
            }
        }
        let besides = ProductCatalogueFile.path(besideProjectFile: path)
        if DataSource.exists(besides) {
            if let node = root.pairs?.first(where: { $0.key.scalar?.value == "products" })?.key {
                r.error(node, .productsTwice(besides: besides))
            } else if r.diagnostics.isEmpty {
                project.products = try ProductCatalogueFile.load(path: besides)
            }
        }
        if !r.diagnostics.isEmpty { throw ConfigFileError(diagnostics: r.diagnostics, source: parsed.source) }
        return project
    }

    init(path: String) { self.path = path }

    /// The error for `key`'s path (`data`, `mapping`, `rules` or `table_mapping`) when it names nothing:
    /// at its place in the project file, with a did-you-mean for a near existing name.
    /// Nil when the path exists or the file does not set it.
    package func missingPath(_ key: String) -> ConfigFileError? {
        guard let text = pathValues[key]?.text, let range = pathValues[key]?.range else { return nil }
        let resolved = key == "data" ? data : key == "mapping" ? mapping : key == "table_mapping" ? tableMapping : rules
        guard let resolved, !Self.pathExists(resolved) else { return nil }
        let suggestion = Self.nearPath(text, resolved: resolved).map { "; did you mean '\($0)'?" } ?? ""
        let source = (try? Self.readAll(path)).map { YAMLParser.parse(bytes: $0, path: path).source }
        return ConfigFileError(diagnostics: [Diagnostic(file: path, range: range, .configPathNotFound(key, text, suggestion: suggestion))], source: source ?? nil)
    }

    static func pathExists(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0
    }

    /// `text` with its last component replaced by the closest name in its folder.
    static func nearPath(_ text: String, resolved: String) -> String? {
        let trimmed = resolved.hasSuffix("/") ? String(resolved.dropLast()) : resolved
        let slash = trimmed.lastIndex(of: "/")
        let folder = slash.map { String(trimmed[..<$0]) } ?? "."
        let name = slash.map { String(trimmed[trimmed.index(after: $0)...]) } ?? trimmed
        guard let dir = opendir(folder.isEmpty ? "/" : folder) else { return nil }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir), names.count < 10_000 {
            let n = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if n != ".", n != ".." { names.append(n) }
        }
        guard let guess = DidYouMean.suggest(name, among: names.sorted()) else { return nil }
        let written = text.hasSuffix("/") ? String(text.dropLast()) : text
        guard let cut = written.lastIndex(of: "/") else { return guess }
        return String(written[...cut]) + guess
    }

    /// Largest configuration file (project, mapping, table mapping, catalogue): 16 MiB.
    static let maxConfigBytes = 16 << 20

    /// The whole of a configuration file, read by the one file reader of the rule files
    /// (``FileBytes``), so a missing, folder, unreadable or too large file gets the same
    /// message as a rule file.
    static func readAll(_ path: String) throws(DataFileError) -> [UInt8] {
        switch FileBytes.read(path, limit: maxConfigBytes) {
        case .success(let bytes): return bytes
        case .failure(let m): throw DataFileError(path: path, message: m.text)
        }
    }

    /// ``readAll(_:)`` for a file that is loaded on its own: the problem is its diagnostic
    /// (`file-not-found`, `file-unreadable`, `file-too-large`).
    static func readConfig(_ path: String) throws(ConfigFileError) -> [UInt8] {
        switch FileBytes.read(path, limit: maxConfigBytes) {
        case .success(let bytes): return bytes
        case .failure(let m): throw ConfigFileError(diagnostics: [Diagnostic(file: path, range: nil, m)], source: nil)
        }
    }
}
