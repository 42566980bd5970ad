import Foundation
import ProsperAnalytics
import ProsperData
import ProsperModel
import ProsperReport
import ProsperRules
import ProsperServe

/// The fixture project (80 customers of the sample, the project's rules) copied into a
/// temporary folder the tests may edit.
final class ScratchProject {
    static let fixture: String = {
        var url = URL(fileURLWithPath: #filePath)
        url.deleteLastPathComponent()
        return url.path + "/Fixtures/project"
    }()

    let root: String

    init() throws {
        root = NSTemporaryDirectory() + "prosper-serve-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.copyItem(atPath: Self.fixture, toPath: root)
    }

    func remove() { try? FileManager.default.removeItem(atPath: root) }

    func read(_ name: String) throws -> String { try String(contentsOfFile: root + "/" + name, encoding: .utf8) }

    /// Writes `text` to `name` as an editor saves it (a new file renamed over the old).
    func write(_ name: String, _ text: String) throws {
        try text.write(toFile: root + "/" + name, atomically: true, encoding: .utf8)
    }
}

/// A `ServedProject` over a project folder with the libraries alone (what the executable
/// does, without its flags): counts ingestions, reuses the data when only rules changed.
final class FixtureProject: ServedProject, @unchecked Sendable {
    let root: String
    private let lock = NSLock()
    private var kept: Dataset?
    private var ingestCount = 0
    private var runCount = 0
    private var kinds: [ChangeKind] = []
    private var explainCount = 0
    private var compareCount = 0

    init(root: String) { self.root = root }

    var ingests: Int { lock.withLock { ingestCount } }
    /// Runs of the modules so far (one per computation whose rules have no error).
    var moduleRuns: Int { lock.withLock { runCount } }
    var changes: [ChangeKind] { lock.withLock { kinds } }
    /// Explain and compare answers computed so far (the server memoises them per version).
    var explains: Int { lock.withLock { explainCount } }
    var compares: Int { lock.withLock { compareCount } }

    func watchedPaths() -> WatchedPaths {
        WatchedPaths(rules: [root + "/rules"], data: [root + "/prosper.yaml", root + "/data"])
    }

    static func ingest(_ root: String) -> Dataset? {
        var options = IngestOptions()
        options.asOf = Day(iso: "2026-11-01")
        return (try? Ingestor.ingest(path: root + "/data", options: options))?.dataset
    }

    /// The report JSON of the folder as it is now, built directly (no server).
    static func reportJSON(_ root: String) -> String? {
        guard let dataset = ingest(root) else { return nil }
        let check = RuleSetChecker.check(paths: [root + "/rules"], schema: dataset.schema)
        guard !check.hasErrors, let doc = try? ReportBuilder.build(dataset: dataset, files: check.files, limit: Int.max, parallel: false, dataNotes: true) else { return nil }
        var out = ""
        JSONFormatter.write(doc, to: &out)
        return out
    }

    func compute(changed: ChangeKind) throws(ServeComputeError) -> ServedResults {
        let cached: Dataset? = lock.withLock {
            kinds.append(changed)
            return changed == .rules ? kept : nil
        }
        let dataset: Dataset
        if let cached {
            dataset = cached
        } else {
            lock.withLock { ingestCount += 1 }
            guard let d = Self.ingest(root) else { throw ServeComputeError("no usable customers in the data") }
            dataset = d
            lock.withLock { kept = d }
        }
        let check = RuleSetChecker.check(paths: [root + "/rules"], schema: dataset.schema)
        // As the executable: one module run for the report, the page and the findings.
        let live = LiveReport.compute(dataset: dataset, check: check, limit: Int.max, pageLimit: 20) { d, f, l throws(Diagnostic) in
            self.lock.withLock { self.runCount += 1 }
            return try ReportBuilder.buildWithFindings(dataset: d, files: f, limit: l, parallel: false)
        }
        let diagnostics = live.diagnostics.map {
            ServedDiagnostic(file: $0.file, line: $0.range?.start.line, column: $0.range?.start.column, severity: $0.severity.rawValue, message: $0.message)
        }
        let checkJSON = DiagnosticJSON.render(live.diagnostics)
        guard let report = live.report, let page = live.page else { return ServedResults(checkJSON: checkJSON, diagnostics: diagnostics, good: nil) }
        var json = ServedBody()
        JSONFormatter.write(report, to: &json)
        let files = check.files
        return ServedResults(checkJSON: checkJSON, diagnostics: diagnostics, good: GoodResults(
            dashboardHTML: HTMLFormatter.render(page), report: json,
            explain: { id in
                self.lock.withLock { self.explainCount += 1 }
                let e = CustomerExplainer(dataset: dataset, files: files)
                guard let row = e.row(of: id) else { return .error(404, "no customer '\(id)'") }
                return ServedAnswer(status: 200, json: ExplainJSON.render([e.explain(row: row)]))
            },
            compare: { a, b in
                self.lock.withLock { self.compareCount += 1 }
                guard ["churn", "upsell"].contains(a), ["churn", "upsell"].contains(b) else { return .error(404, "no rule file '\(a)' or '\(b)'") }
                return ServedAnswer(status: 200, json: "{\"a\": \"\(a)\", \"b\": \"\(b)\"}\n")
            }
        ))
    }
}

/// A server on a free loopback port, run in a task; `stop()` cancels it.
final class RunningServer: @unchecked Sendable {
    let server: ProsperServer
    private var task: Task<Void, any Error>?
    private let lock = NSLock()
    private var boundPort = 0

    init(project: any ServedProject, configuration: ServeConfiguration) {
        server = ProsperServer(project: project, configuration: configuration, pollMilliseconds: 25)
    }

    var port: Int { lock.withLock { boundPort } }

    /// How long a test waits for the server before it gives up. The server's handlers run
    /// on Swift's cooperative pool (one thread per core), which the other suites running in
    /// parallel can hold for minutes on a loaded 2-core CI machine: a bound, not a delay.
    static let patienceSeconds = 600

    /// Starts and waits (bounded) until it listens and the first results are published.
    func start() async throws {
        task = Task { [server] in
            try await server.run { port in self.lock.withLock { self.boundPort = port } }
        }
        for _ in 0..<(Self.patienceSeconds * 100) where port == 0 || server.snapshot.version == 0 {
            try await Task.sleep(for: .milliseconds(10))
        }
    }

    func stop() async {
        task?.cancel()
        _ = await task?.result
    }

    /// Waits (bounded by `patienceSeconds`) until the served version is past `version`.
    func waitForVersion(after version: Int) async throws -> Int {
        for _ in 0..<(Self.patienceSeconds * 100) {
            let v = server.snapshot.version
            if v > version { return v }
            try await Task.sleep(for: .milliseconds(10))
        }
        return server.snapshot.version
    }

    /// Blocking socket calls run on a dispatch thread, never on the cooperative pool the
    /// server's handlers need (two cores: two blocked test threads would starve it).
    func get(_ path: String, method: String = "GET", headers: [String: String] = [:]) async throws -> HTTPReply {
        let port = port
        return try await offPool { try HTTPReply.fetch(port: port, path: path, method: method, headers: headers) }
    }
}

/// Runs blocking work on a dispatch thread and awaits it.
func offPool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { c in
        DispatchQueue.global().async { c.resume(with: Result { try work() }) }
    }
}

/// One HTTP/1.1 exchange over a plain loopback socket (`Connection: close`): the raw
/// request line is sent as given, so a test can send paths a URL type would clean up.
struct HTTPReply {
    let status: Int
    let headers: [String: String]
    let body: String
    /// The body's bytes as received (not de-chunked): e.g. a gzip body.
    let raw: [UInt8]

    struct Failure: Error, CustomStringConvertible { let description: String }

    static func fetch(port: Int, path: String, method: String, headers: [String: String], readLimit: Int = 1 << 26) throws -> HTTPReply {
        let fd = try connect(port: port)
        defer { close(fd) }
        var request = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n"
        for (k, v) in headers { request += "\(k): \(v)\r\n" }
        request += "\r\n"
        _ = request.withCString { send(fd, $0, strlen($0), 0) }
        var data = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while data.count < readLimit {
            let n = recv(fd, &buffer, buffer.count, 0)
            if n <= 0 { break }
            data.append(contentsOf: buffer[0..<n])
        }
        return try parse(data)
    }

    static func connect(port: Int) throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket failed") }
        var timeout = timeval(tv_sec: time_t(RunningServer.patienceSeconds), tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let ok = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        guard ok == 0 else {
            close(fd)
            throw Failure(description: "cannot connect to port \(port)")
        }
        return fd
    }

    static func parse(_ data: [UInt8]) throws -> HTTPReply {
        let text = String(decoding: data, as: UTF8.self)
        guard let split = text.range(of: "\r\n\r\n") else { throw Failure(description: "no header end in: \(text.prefix(200))") }
        // The head is ASCII: its length in bytes is its length in UTF-8.
        let headLength = text[..<split.upperBound].utf8.count
        let raw = Array(data[min(headLength, data.count)...])
        let head = text[..<split.lowerBound].components(separatedBy: "\r\n")
        let statusLine = head.first?.split(separator: " ") ?? []
        guard statusLine.count >= 2, let status = Int(statusLine[1]) else { throw Failure(description: "bad status line") }
        var headers: [String: String] = [:]
        for line in head.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        var body = String(text[split.upperBound...])
        if headers["transfer-encoding"] == "chunked" { body = dechunk(body) }
        return HTTPReply(status: status, headers: headers, body: body, raw: raw)
    }

    static func dechunk(_ s: String) -> String {
        var bytes = Array(s.utf8)[...]
        var out = [UInt8]()
        while let lineEnd = bytes.firstIndex(of: 0x0D) {
            let size = Int(String(decoding: bytes[bytes.startIndex..<lineEnd], as: UTF8.self), radix: 16) ?? 0
            let start = lineEnd + 2
            guard size > 0, start + size <= bytes.endIndex else { break }
            out.append(contentsOf: bytes[start..<start + size])
            bytes = bytes[(start + size + 2)...]
        }
        return String(decoding: out, as: UTF8.self)
    }
}
