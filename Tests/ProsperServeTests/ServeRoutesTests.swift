import Foundation
import ProsperServe
import Testing

/// The server in-process over a copy of the fixture project, asked over real HTTP on a
/// loopback port: every route, the security rules, and the live follow of rule edits.
@Suite(.serialized) struct ServeRoutesTests {
    static func started(token: String? = nil, heartbeatMilliseconds: Int = 15_000, gzipMinimumBytes: Int = 65_536) async throws -> (ScratchProject, FixtureProject, RunningServer) {
        let scratch = try ScratchProject()
        let project = FixtureProject(root: scratch.root)
        let configuration = try ServeConfiguration(host: "127.0.0.1", port: 0, token: token, heartbeatMilliseconds: heartbeatMilliseconds, gzipMinimumBytes: gzipMinimumBytes)
        let server = RunningServer(project: project, configuration: configuration)
        try await server.start()
        return (scratch, project, server)
    }

    @Test func everyRouteAnswersWithTheSecurityHeaders() async throws {
        let (scratch, _, server) = try await Self.started()
        defer { scratch.remove() }
        let page = try await server.get("/")
        #expect(page.status == 200)
        #expect(page.headers["content-type"] == "text/html; charset=utf-8")
        #expect(page.body.contains("id=\"prosper-serve\""))
        #expect(page.body.contains("new EventSource(\"/events\""))
        #expect(page.body.contains("Customer dashboard"))
        // The page's meta policy is the one in the header: the dashboard's, plus the live script and connect-src.
        let csp = try #require(page.headers["content-security-policy"])
        #expect(csp.hasPrefix("default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-"))
        #expect(csp.hasSuffix("; connect-src 'self'"))
        #expect(page.body.contains("content=\"\(csp)\""))

        let report = try await server.get("/api/report")
        #expect(report.status == 200)
        #expect(report.body == FixtureProject.reportJSON(scratch.root))
        #expect(try await server.get("/api/report.json").body == report.body)
        #expect(try await server.get("/report.json").body == report.body)
        #expect(try await server.get("/api/check").body == "[]\n")
        let explain = try await server.get("/api/explain/C0000001")
        #expect(explain.status == 200 && explain.body.contains("\"C0000001\""))
        #expect(try await server.get("/api/explain/C0000001.json").body == explain.body)
        #expect(try await server.get("/api/explain/NOPE").status == 404)
        #expect(try await server.get("/api/compare?a=churn&b=upsell").status == 200)
        #expect(try await server.get("/api/compare?a=churn").status == 400)
        let health = try await server.get("/healthz")
        #expect(health.body.contains("\"status\": \"ok\""))
        #expect(try await server.get("/nothing").status == 404)
        let head = try await server.get("/api/report", method: "HEAD")
        #expect(head.status == 200 && head.body.isEmpty)
        // The JSON answers may be kept and revalidated (ETag); the page and errors never.
        for (path, cache) in [("/", "no-store"), ("/api/report", "no-cache"), ("/api/check", "no-cache"), ("/api/explain/C0000001", "no-cache"),
                              ("/api/explain/NOPE", "no-store"), ("/healthz", "no-store"), ("/nothing", "no-store"), ("/api/compare?a=x&b=y", "no-store")] {
            let r = try await server.get(path)
            #expect(r.headers["content-security-policy"] == csp, "\(path)")
            #expect(r.headers["x-content-type-options"] == "nosniff", "\(path)")
            #expect(r.headers["cache-control"] == cache, "\(path)")
        }
        await server.stop()
    }

    /// Paths and names from a request never reach the file system.
    @Test(arguments: [
        "/api/explain/..%2F..%2F..%2F..%2Fetc%2Fpasswd", "/api/explain/../../etc/passwd", "/../../etc/passwd",
        "/api/compare?a=/etc/passwd&b=churn", "/api/compare?a=..%2F..%2Fetc%2Fpasswd&b=churn", "/api/compare?a=churn&b=rules/churn.yaml",
        "/etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/api/report/../../../etc/passwd", "/prosper.yaml", "/rules/churn.yaml", "/data/customers.csv",
    ])
    func pathTraversalGetsAnErrorNeverAFile(path: String) async throws {
        let (scratch, _, server) = try await Self.started()
        defer { scratch.remove() }
        let r = try await server.get(path)
        #expect((400..<500).contains(r.status), "\(path): \(r.status)")
        #expect(!r.body.contains("root:"))
        #expect(!r.body.contains("inactive_days"))
        #expect(!r.body.contains("customer_id,"))
        await server.stop()
    }

    @Test(arguments: ["POST", "PUT", "DELETE", "PATCH", "OPTIONS"])
    func onlyGetAndHeadAreAllowed(method: String) async throws {
        let (scratch, _, server) = try await Self.started()
        defer { scratch.remove() }
        let before = try scratch.read("rules/churn.yaml")
        let r = try await server.get("/api/report", method: method, headers: ["Content-Length": "0"])
        #expect(r.status == 405)
        #expect(r.headers["allow"] == "GET, HEAD")
        #expect(r.headers["content-security-policy"] != nil)
        #expect(try scratch.read("rules/churn.yaml") == before)
        await server.stop()
    }

    @Test func aTokenIsRequiredWhenConfigured() async throws {
        let token = "test-token-0123456789abcdef"
        let (scratch, _, server) = try await Self.started(token: token)
        defer { scratch.remove() }
        for path in ["/", "/api/report", "/events", "/healthz"] {
            let r = try await server.get(path)
            #expect(r.status == 401, "\(path)")
            #expect(r.headers["www-authenticate"] == "Bearer")
            #expect(r.headers["content-security-policy"] != nil)
        }
        #expect(try await server.get("/api/report", headers: ["Authorization": "Bearer wrong-token-0123456789"]).status == 401)
        #expect(try await server.get("/api/report", headers: ["Authorization": "Bearer " + token]).status == 200)
        #expect(try await server.get("/api/report?token=" + token).status == 200)
        // The page hands the token to its script (for the event stream).
        #expect(try await server.get("/?token=" + token).body.contains("data-token=\"\(token)\""))
        await server.stop()
    }

    @Test func aPortInUseIsAClearError() async throws {
        let (scratch, project, server) = try await Self.started()
        defer { scratch.remove() }
        let second = ProsperServer(project: project, configuration: try ServeConfiguration(host: "127.0.0.1", port: server.port))
        await #expect(throws: ServeConfigurationError.self) { try await second.run() }
        do {
            try await second.run()
        } catch let error as ServeConfigurationError {
            #expect(error.description.contains("already in use"))
        }
        await server.stop()
    }

    /// The table of configurations: loopback needs no token, any other host gets one.
    @Test(arguments: [
        ("127.0.0.1", nil as String?, false, true), ("localhost", nil, false, true), ("::1", nil, false, true),
        ("0.0.0.0", nil, true, true), ("192.0.2.7", "a-token-of-16-chars", true, true), ("bad host!", nil, false, false),
        ("127.0.0.1", "short", false, false), ("127.0.0.1", "has space in token!", false, false),
    ])
    func configurations(host: String, token: String?, needsToken: Bool, valid: Bool) throws {
        guard valid else {
            #expect(throws: ServeConfigurationError.self) { try ServeConfiguration(host: host, port: 8080, token: token) }
            return
        }
        let c = try ServeConfiguration(host: host, port: 8080, token: token)
        #expect((c.token != nil) == (needsToken || token != nil))
        #expect(c.generatedToken == (needsToken && token == nil))
        if c.generatedToken { #expect(c.token?.count == 32) }
    }

    @Test func badPortsAreRefused() {
        #expect(throws: ServeConfigurationError.badPort(70_000)) { try ServeConfiguration(port: 70_000) }
        #expect(throws: ServeConfigurationError.badPort(-1)) { try ServeConfiguration(port: -1) }
    }
}
