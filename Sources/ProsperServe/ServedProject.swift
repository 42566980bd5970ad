/// What changed on disk since the last computation, as the watcher saw it.
package enum ChangeKind: String, Sendable {
    /// The first computation, when the server starts.
    case initial
    /// Only rule files changed (added, removed or edited): the ingested data can be reused.
    case rules
    /// The data, the mapping or the project file changed: everything is read again.
    case data
}

/// One problem of the rule files, for the banner on top of the page.
package struct ServedDiagnostic: Sendable, Equatable {
    package let file: String
    package let line: Int?
    package let column: Int?
    package let severity: String
    package let message: String

    package init(file: String, line: Int?, column: Int?, severity: String, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.severity = severity
        self.message = message
    }

    /// `file:line:column: severity: message`, as the terminal shows it.
    package var text: String {
        var place = file
        if let line { place += ":\(line)" + (column.map { ":\($0)" } ?? "") }
        return place + ": " + severity + ": " + message
    }
}

/// The answer to a computed request (`/api/explain/ID`, `/api/compare`): a status and a
/// JSON body. Produced by the project, never from the file system.
package struct ServedAnswer: Sendable {
    package let status: Int
    package let json: String

    package init(status: Int, json: String) {
        self.status = status
        self.json = json
    }

    /// A JSON error `{"error": "…"}` with `status`.
    package static func error(_ status: Int, _ message: String) -> ServedAnswer {
        ServedAnswer(status: status, json: "{\"error\": " + JSONText.quote(message) + "}\n")
    }
}

/// The results of one good computation: everything the routes serve, rendered once.
package struct GoodResults: Sendable {
    /// The dashboard page (as `prosper-rules dashboard` writes it).
    public let dashboardHTML: String
    /// Exactly the bytes of `report --format json`, written once (at 1M customers some
    /// 200 MB: held once, shared by every request).
    public let report: ServedBody
    /// `/api/explain/ID`: the customer's trace as `explain ID --format json`, or a 404.
    package let explain: @Sendable (String) -> ServedAnswer
    /// `/api/compare?a=NAME&b=NAME`: two of the project's rule files by name, or a 4xx.
    package let compare: @Sendable (String, String) -> ServedAnswer
    /// Tells one computation's results from another's (a kept result's body is reused).
    let identity = Identity()

    final class Identity: Sendable {}

    public init(dashboardHTML: String, report: ServedBody, explain: @escaping @Sendable (String) -> ServedAnswer,
                compare: @escaping @Sendable (String, String) -> ServedAnswer) {
        self.dashboardHTML = dashboardHTML
        self.report = report
        self.explain = explain
        self.compare = compare
    }

    /// The results with the report given as text.
    public init(dashboardHTML: String, reportJSON: String, explain: @escaping @Sendable (String) -> ServedAnswer,
                compare: @escaping @Sendable (String, String) -> ServedAnswer) {
        self.init(dashboardHTML: dashboardHTML, report: ServedBody(reportJSON), explain: explain, compare: compare)
    }
}

/// What one computation produced: the check (always) and the results (nil when the
/// rules have errors or the data cannot be read: the last good results stay served).
package struct ServedResults: Sendable {
    /// Exactly the bytes of `check --format json`.
    package let checkJSON: String
    /// The problems shown on top of the page (errors and warnings).
    package let diagnostics: [ServedDiagnostic]
    /// Nil: nothing new to show (the rules have errors).
    package let good: GoodResults?

    package init(checkJSON: String, diagnostics: [ServedDiagnostic], good: GoodResults?) {
        self.checkJSON = checkJSON
        self.diagnostics = diagnostics
        self.good = good
    }
}

/// The files whose changes the server follows.
package struct WatchedPaths: Sendable, Equatable {
    /// Rule files and rules folders (a folder's `*.yaml`/`*.yml` files are followed,
    /// files added or removed included).
    package var rules: [String]
    /// Data files and folders, the mapping file and the project file.
    package var data: [String]

    package init(rules: [String], data: [String]) {
        self.rules = rules
        self.data = data
    }
}

/// The project a server serves. The executable implements it over its project file and
/// flags; tests implement it over a fixture folder. Called from one background thread
/// at a time, never from a request.
package protocol ServedProject: Sendable {
    /// The paths to follow (asked again after every computation: a project file may
    /// name other files after an edit).
    func watchedPaths() -> WatchedPaths

    /// Checks the rules and recomputes everything. `.rules`: the data read last time
    /// may be reused. A failure that is not about the rules (e.g. the data cannot be
    /// read) throws ``ServeComputeError``; the last good results stay served.
    func compute(changed: ChangeKind) throws(ServeComputeError) -> ServedResults
}

/// A computation that produced no check (the data or the project file cannot be read).
package struct ServeComputeError: Error, Sendable, Equatable {
    package let message: String
    package init(_ message: String) { self.message = message }
}
