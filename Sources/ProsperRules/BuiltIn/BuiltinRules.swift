/// The shipped rule set (rules/*.yaml) carried in the binary, so the tool is useful
/// outside a project: `demo`, `report`, `eval` and `dashboard` run it when the working
/// folder has no prosper.yaml and no rules/ folder, and `prosper-rules init` writes it.
///
/// The files have virtual paths under ``folder`` (`builtin:rules/churn.yaml`): the rule
/// loader reads them like files on disk (``FileBytes``), so every diagnostic still has
/// its file, line and column. The texts are generated from rules/ by
/// scripts/embed-builtin-rules.sh; a test fails when they differ.
public enum BuiltinRules {
    /// The prefix of every virtual path.
    public static let scheme = "builtin:"
    /// The virtual rules folder: pass it where a rules folder is expected.
    public static let folder = "builtin:rules"
    /// The version of the set as shown in reports ("built-in rules, version …"): the
    /// tool's version, since the set changes only with the tool.
    public static let version = "0.1.0"
    /// The description the report's meta gives a run of the built-in rules.
    public static let label = "built-in rules, version \(version)"

    /// The file names of the set, in name order.
    public static var fileNames: [String] { texts.map(\.name) }

    /// The text of the file `name` (e.g. `churn.yaml`), nil when the set has none.
    public static func text(named name: String) -> String? {
        texts.first { $0.name == name }?.text
    }

    /// True for a virtual path (`builtin:…`).
    public static func isVirtual(_ path: String) -> Bool { path.hasPrefix(scheme) }

    /// The text at a virtual path: `builtin:rules/NAME`; nil for anything else.
    static func text(atPath path: String) -> String? {
        let prefix = folder + "/"
        guard path.hasPrefix(prefix) else { return nil }
        return text(named: String(path.dropFirst(prefix.count)))
    }

    /// The virtual path of the built-in file that `name` means, for `eval churn.yaml`
    /// outside a project: `churn`, `churn.yaml`, `rules/churn.yaml` or the virtual path.
    public static func path(for name: String) -> String? {
        var n = name
        for prefix in [folder + "/", "./rules/", "rules/"] where n.hasPrefix(prefix) { n.removeFirst(prefix.count) }
        if !n.hasSuffix(".yaml") { n += ".yaml" }
        return text(named: n) == nil ? nil : folder + "/" + n
    }
}
