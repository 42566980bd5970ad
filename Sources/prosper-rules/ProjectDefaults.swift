import ProsperRules

/// Defaults used before a project file is read.
enum ProjectDefaults {
    /// The rules folder: `rules` in the working folder.
    static func rulesFolder() -> String { "rules" }
}
