import ProsperModel
import ProsperRules

/// A table mapping file: the user's own engine tables and columns, named against the data
/// contract, so that `--engine` and `sql` read them as they are (docs/engines.md).
///
/// ```yaml
/// table_mapping: 1
/// schema: crm                  # optional; --schema overrides
/// customers:
///   table: accounts            # optional, default customers
///   columns:                   # contract field: the user's column
///     customer_id: account_no
///     last_active_date: Last Login
///   attributes:                # optional: rule name: column (without it, every other column)
///     plan: plan_code
/// subscriptions:
///   table: contracts
///   columns: { customer_id: account_no, monthly_price: price_month }
/// ```
///
/// A field not named keeps the contract's column name.
package struct TableMapping: Sendable, Equatable {
    /// One name given a column: a contract field or an attribute, and where it is written.
    package struct Entry: Sendable, Equatable {
        package let name: String
        package let column: String
        /// `file:line:column` of the column in the mapping file.
        package let origin: String
    }

    /// What the mapping says about one table of the contract.
    package struct Table: Sendable, Equatable {
        /// The user's table (nil: the contract's name).
        package var name: String?
        /// `file:line:column` of the table's name, or of its section.
        package var origin: String?
        /// Contract field → the user's column.
        package var columns: [Entry] = []
        /// Custom attributes offered to the rules (nil: every extra column).
        package var attributes: [Entry]?
    }

    /// The file's own path.
    package let path: String
    /// The schema of both tables (`schema:`).
    package var schema: String?
    package var customers = Table()
    package var subscriptions = Table()

    /// The keys of the file, of `customers:` and of `subscriptions:`.
    static let keys = ["table_mapping", "schema", "customers", "subscriptions"]
    static let customerKeys = ["table", "columns", "attributes"]
    static let subscriptionKeys = ["table", "columns"]

    /// The contract fields that are columns of each table.
    package static let customerFields = Schema.contractFields.map(\.name)
    package static let subscriptionFields = TableLayout.subscriptions.columns

    init(path: String) { self.path = path }

    /// Reads and checks a table mapping file; every problem positioned in it.
    package static func load(path: String) throws(ConfigFileError) -> TableMapping {
        guard FileBytes.exists(path) else {  // a folder is read, and reported as one
            throw ConfigFileError(diagnostics: [Diagnostic(file: path, range: nil, .configFileNotFound("table mapping", path))], source: nil)
        }
        let bytes = try ProjectFile.readConfig(path)
        switch parse(bytes: bytes, path: path) {
        case .success(let m): return m
        case .failure(let e): throw e
        }
    }

    /// Parses and checks the text of a table mapping file.
    package static func parse(bytes: [UInt8], path: String) -> Result<TableMapping, ConfigFileError> {
        let parsed = YAMLParser.parse(bytes: bytes, path: path)
        guard parsed.diagnostics.isEmpty, let root = parsed.root else {
            var ds = parsed.diagnostics
            if ds.isEmpty { ds = [Diagnostic(file: path, range: nil, .configFileEmpty("table mapping", next: "it needs at least 'table_mapping: 1' (docs/engines.md)"))] }
            return .failure(ConfigFileError(diagnostics: ds, source: parsed.source))
        }
        var r = YAMLReader(file: path)
        var m = TableMapping(path: path)
        if root.pairs?.contains(where: { $0.key.scalar?.value == "mapping" }) == true {
            // A data mapping (for --mapping) given as a table mapping.
            r.error(root.pairs?.first { $0.key.scalar?.value == "mapping" }?.key, .tableMappingIsDataMapping)
            return .failure(ConfigFileError(diagnostics: r.diagnostics, source: parsed.source))
        }
        var sawVersion = false
        for (key, keyNode, value) in r.pairs(root, "the table mapping file", allowed: keys) {
            switch key {
            case "table_mapping":
                sawVersion = true
                if r.text(value, "table_mapping") != "1" { r.error(value, .configVersion("table mapping", key: "table_mapping")) }
            case "schema":
                m.schema = name(value, "schema", reader: &r)
            case "customers":
                m.customers = table(value, keyNode, "customers", fields: customerFields, allowed: customerKeys, path: path, reader: &r)
            case "subscriptions":
                m.subscriptions = table(value, keyNode, "subscriptions", fields: subscriptionFields, allowed: subscriptionKeys, path: path, reader: &r)
            default:
                break
            }
        }
        if !sawVersion { r.error(nil, .configMissingVersion("table mapping", key: "table_mapping")) }
        if r.diagnostics.isEmpty { return .success(m) }
        return .failure(ConfigFileError(diagnostics: r.diagnostics, source: parsed.source))
    }

    /// A non-empty single value: a table, schema or column name.
    static func name(_ node: YAMLNode, _ what: String, reader r: inout YAMLReader) -> String? {
        guard let t = r.text(node, what) else { return nil }
        if node.scalar?.isNull == true || t.isEmpty {
            r.error(node, .tableMappingEmptyName(what))
            return nil
        }
        return t
    }

    static func origin(_ path: String, _ node: YAMLNode) -> String {
        "\(path):\(node.range.start.line):\(node.range.start.column)"
    }

    /// One table's section: its name, its columns (contract fields only) and, for the
    /// customers, its attributes. Each column is read by one name: two names mapped to one
    /// column, or a name mapped to the column of a field that keeps its own name, are refused.
    static func table(_ node: YAMLNode, _ keyNode: YAMLNode, _ what: String, fields: [String], allowed: [String], path: String, reader r: inout YAMLReader) -> Table {
        var t = Table(origin: origin(path, keyNode))
        var named: [(entry: Entry, node: YAMLNode)] = []
        for (key, _, value) in r.pairs(node, what, allowed: allowed) {
            switch key {
            case "table":
                if let n = name(value, "\(what).table", reader: &r) {
                    t.name = n
                    t.origin = origin(path, value)
                }
            case "columns":
                for (field, fieldNode, columnNode) in r.pairs(value, "\(what).columns", allowed: nil) {
                    guard fields.contains(field) else {
                        unknownField(field, fieldNode, table: what, fields: fields, reader: &r)
                        continue
                    }
                    guard let column = name(columnNode, "\(what).columns.\(field)", reader: &r) else { continue }
                    let e = Entry(name: field, column: column, origin: origin(path, columnNode))
                    t.columns.append(e)
                    named.append((e, columnNode))
                }
            case "attributes":
                var entries: [Entry] = []
                for (attribute, nameNode, columnNode) in r.pairs(value, "\(what).attributes", allowed: nil) {
                    guard validAttribute(attribute, nameNode, reader: &r), let column = name(columnNode, "\(what).attributes.\(attribute)", reader: &r) else { continue }
                    let e = Entry(name: attribute, column: column, origin: origin(path, columnNode))
                    entries.append(e)
                    named.append((e, columnNode))
                }
                t.attributes = entries
            default:
                break
            }
        }
        let renamed = Set(t.columns.map(\.name))
        var readers: [String: (name: String, line: Int)] = [:]
        for (e, node) in named {
            if let first = readers[e.column] {
                r.error(node, .tableMappingColumnTwice(e.column, name: first.name, line: first.line))
            } else if fields.contains(e.column), !renamed.contains(e.column) {
                r.error(node, .tableMappingColumnOfField(e.column, name: e.name))
            } else {
                readers[e.column] = (e.name, node.range.start.line)
            }
        }
        return t
    }

    static func unknownField(_ field: String, _ node: YAMLNode, table: String, fields: [String], reader r: inout YAMLReader) {
        if Schema.derivedFields.contains(where: { $0.name == field }) {
            r.error(node, .tableMappingDerivedField(field, table: table))
            return
        }
        let suggestion = DidYouMean.suggest(field, among: fields).map { "; did you mean '\($0)'?" } ?? "; its fields are: " + fields.joined(separator: ", ")
        r.error(node, .tableMappingUnknownField(field, table: table, suggestion: suggestion))
    }

    /// An attribute's name: a name rules can write, not a field of the contract.
    static func validAttribute(_ name: String, _ node: YAMLNode, reader r: inout YAMLReader) -> Bool {
        if Schema.contract.fields.contains(where: { $0.name == name }) {
            r.error(node, .attributeShadowsField(name, fix: "map the field under columns, or give the attribute another name"))
            return false
        }
        if ReservedNames.derived.contains(name) {
            r.error(node, .attributeDerivedName(name, taken: ReservedNames.derived.sorted().joined(separator: ", "), phrase: "rules already use"))
            return false
        }
        let bytes = Array(name.utf8)
        let letter: (UInt8) -> Bool = { ($0 >= 65 && $0 <= 90) || ($0 >= 97 && $0 <= 122) }
        guard let first = bytes.first, letter(first), bytes.allSatisfy({ letter($0) || ($0 >= 48 && $0 <= 57) || $0 == 95 }) else {
            r.error(node, .attributeInvalidName(name))
            return false
        }
        return true
    }
}
