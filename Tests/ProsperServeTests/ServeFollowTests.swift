import Foundation
import ProsperServe
import Testing

/// Edits of the project's files while the server runs: a new version with new figures
/// (the data not read again when only rules changed), a broken rule file that keeps the
/// last good results and shows its problem at line:column, and the fix.
@Suite(.serialized) struct ServeFollowTests {
    @Test func followsRuleEditsReusingTheData() async throws {
        let (scratch, project, server) = try await ServeRoutesTests.started()
        defer { scratch.remove() }
        let v1 = server.server.snapshot.version
        let before = try await server.get("/api/report").body
        #expect(project.ingests == 1)
        #expect(project.moduleRuns == 1)

        // A threshold changes: new figures, the data kept.
        let churn = try scratch.read("rules/churn.yaml")
        try scratch.write("rules/churn.yaml", churn.replacingOccurrences(of: "inactive_days: 45", with: "inactive_days: 3"))
        let v2 = try await server.waitForVersion(after: v1)
        #expect(v2 > v1)
        let after = try await server.get("/api/report").body
        #expect(after != before)
        #expect(after == FixtureProject.reportJSON(scratch.root))
        #expect(project.ingests == 1)
        #expect(project.changes.last == .rules)
        // One module run for the edit: report, page and /api/check's findings.
        #expect(project.moduleRuns == 2)

        // A broken rule: the diagnostic at its place, the last good results still served.
        let broken = churn.replacingOccurrences(of: "when: days_inactive >= inactive_days", with: "when: days_inactiv >= inactive_days")
        #expect(broken != churn)
        try scratch.write("rules/churn.yaml", broken)
        let v3 = try await server.waitForVersion(after: v2)
        let check = try await server.get("/api/check").body
        #expect(check.contains("churn.yaml\", \"line\": 14, \"column\": 11"), "\(check)")
        #expect(check.contains("\"severity\": \"error\""))
        #expect(try await server.get("/api/report").body == after)
        let page = try await server.get("/").body
        #expect(page.contains("1 error in the rule files"))
        #expect(page.contains("churn.yaml:14:11: error:"))
        #expect(page.contains("showing the last good results"))
        #expect(project.moduleRuns == 2)

        // Fixed: the problem goes, the results are those of the fixed file.
        try scratch.write("rules/churn.yaml", churn)
        _ = try await server.waitForVersion(after: v3)
        #expect(try await server.get("/api/check").body == "[]\n")
        #expect(try await server.get("/api/report").body == before)
        #expect(!(try await server.get("/").body.contains("role=\"alert\"")))
        #expect(project.ingests == 1)
        #expect(project.moduleRuns == 3)
        await server.stop()
    }

    @Test func aDataChangeReadsTheDataAgain() async throws {
        let (scratch, project, server) = try await ServeRoutesTests.started()
        defer { scratch.remove() }
        let v1 = server.server.snapshot.version
        let customers = try scratch.read("data/customers.csv")
        let lines = customers.split(separator: "\n", omittingEmptySubsequences: false)
        try scratch.write("data/customers.csv", lines.prefix(41).joined(separator: "\n") + "\n")
        _ = try await server.waitForVersion(after: v1)
        #expect(project.ingests == 2)
        #expect(project.changes.last == .data)
        #expect(try await server.get("/api/report").body == FixtureProject.reportJSON(scratch.root))
        await server.stop()
    }

    /// Readers during a series of edits see, each time, one whole version's report: the
    /// one before or one after an edit, never a mix or a partial body.
    @Test func readersSeeWholeVersionsOnly() async throws {
        let (scratch, _, server) = try await ServeRoutesTests.started()
        defer { scratch.remove() }
        let churn = try scratch.read("rules/churn.yaml")
        var valid: Set<String> = [try #require(FixtureProject.reportJSON(scratch.root))]
        var seen: [String] = []
        for days in [3, 30, 7] {
            // The version before the write: read after it, a server faster than this
            // test's own report (a loaded machine) had already moved on, and the wait
            // below ran out its whole patience (600 s).
            let v = server.server.snapshot.version
            try scratch.write("rules/churn.yaml", churn.replacingOccurrences(of: "inactive_days: 45", with: "inactive_days: \(days)"))
            valid.insert(try #require(FixtureProject.reportJSON(scratch.root)))
            // Read while the server notices and recomputes.
            async let readers = withThrowingTaskGroup(of: [String].self) { group in
                for _ in 0..<3 {
                    group.addTask { var got: [String] = []; for _ in 0..<4 { got.append(try await server.get("/api/report").body) }; return got }
                }
                return try await group.reduce(into: [String]()) { $0 += $1 }
            }
            _ = try await server.waitForVersion(after: v)
            seen += try await readers
        }
        #expect(seen.count == 36)
        for body in seen { #expect(valid.contains(body)) }
        await server.stop()
    }

    /// `/events` sends the current version at once, then each new one.
    @Test func eventsAnnounceNewVersions() async throws {
        let (scratch, _, server) = try await ServeRoutesTests.started()
        defer { scratch.remove() }
        let fd = try HTTPReply.connect(port: server.port)
        defer { close(fd) }
        let request = "GET /events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
        _ = request.withCString { send(fd, $0, strlen($0), 0) }
        let v1 = server.server.snapshot.version
        var received = try await offPool { try Self.read(fd, until: "data: \(v1)\n\n") }
        #expect(received.contains("text/event-stream"))
        #expect(received.contains("event: version\ndata: \(v1)\n\n"))
        let churn = try scratch.read("rules/churn.yaml")
        try scratch.write("rules/churn.yaml", churn.replacingOccurrences(of: "inactive_days: 45", with: "inactive_days: 7"))
        received = try await offPool { try Self.read(fd, until: "data: \(v1 + 1)\n\n") }
        #expect(received.contains("event: version\ndata: \(v1 + 1)\n\n"))
        await server.stop()
    }

    static func read(_ fd: Int32, until marker: String) throws -> String {
        var text = ""
        var buffer = [UInt8](repeating: 0, count: 4096)
        for _ in 0..<100 where !text.contains(marker) {
            let n = recv(fd, &buffer, buffer.count, 0)
            if n <= 0 { break }
            text += String(decoding: buffer[0..<n], as: UTF8.self)
        }
        return text
    }
}
