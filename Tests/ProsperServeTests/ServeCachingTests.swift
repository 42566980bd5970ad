import CZlib
import Foundation
import NIOCore
@testable import ProsperServe
import Testing

/// What lets the server answer a 1M-customer project to many clients: computed answers
/// memoised per version, ETags and 304s, gzip made once per version, and the event
/// stream's heartbeat (with closed clients dropped).
@Suite(.serialized) struct ServeCachingTests {
    @Test func explainAndCompareAreComputedOncePerVersion() async throws {
        let (scratch, project, server) = try await ServeRoutesTests.started()
        defer { scratch.remove() }
        let first = try await server.get("/api/explain/C0000001")
        #expect(first.status == 200)
        for _ in 0..<3 { #expect(try await server.get("/api/explain/C0000001").body == first.body) }
        // The `.json` twin and a percent-encoded id are the same answer.
        #expect(try await server.get("/api/explain/C0000001.json").body == first.body)
        #expect(try await server.get("/api/explain/%430000001").body == first.body)
        #expect(project.explains == 1)

        // Concurrent identical requests share one computation.
        let bodies = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<6 { group.addTask { try await server.get("/api/explain/C0000002").body } }
            return try await group.reduce(into: [String]()) { $0.append($1) }
        }
        #expect(Set(bodies).count == 1)
        #expect(project.explains == 2)
        // A 404 answer is an answer too: computed once.
        for _ in 0..<2 { #expect(try await server.get("/api/explain/NOPE").status == 404) }
        #expect(project.explains == 3)

        for _ in 0..<3 { #expect(try await server.get("/api/compare?a=churn&b=upsell").status == 200) }
        _ = try await server.get("/api/compare?a=upsell&b=churn")
        #expect(project.compares == 2)

        // A new version starts with empty caches.
        let v = server.server.snapshot.version
        let churn = try scratch.read("rules/churn.yaml")
        try scratch.write("rules/churn.yaml", churn.replacingOccurrences(of: "inactive_days: 45", with: "inactive_days: 3"))
        _ = try await server.waitForVersion(after: v)
        _ = try await server.get("/api/explain/C0000001")
        _ = try await server.get("/api/compare?a=churn&b=upsell")
        #expect(project.explains == 4)
        #expect(project.compares == 3)
        await server.stop()
    }

    /// The caches are bounded: the least recently used answers go first.
    @Test func theAnswerCacheKeepsTheLastAnswers() async throws {
        let cache = AnswerCache(capacity: 3)
        let computed = Counter()
        for key in ["a", "b", "c", "a", "d", "a", "b"] {
            _ = await cache.answer(key) { computed.add(); return ServedAnswer(status: 200, json: key) }
        }
        // a b c (3) · a held · d drops b · a held · b again (drops c).
        #expect(computed.value == 5)
        #expect(cache.count == 3)
        #expect(String(buffer: await cache.answer("a") { computed.add(); return .error(500, "recomputed") }.bytes.identity) == "a")
        #expect(computed.value == 5)
    }

    @Test func anETagRevalidatesToA304WithTheSecurityHeaders() async throws {
        let (scratch, _, server) = try await ServeRoutesTests.started()
        defer { scratch.remove() }
        for path in ["/", "/api/report", "/api/check", "/api/explain/C0000001", "/api/compare?a=churn&b=upsell"] {
            let full = try await server.get(path)
            let etag = try #require(full.headers["etag"], "\(path)")
            #expect(etag.hasPrefix("\"") && etag.hasSuffix("\""))
            let again = try await server.get(path, headers: ["If-None-Match": etag])
            #expect(again.status == 304, "\(path)")
            #expect(again.raw.isEmpty, "\(path)")
            #expect(again.headers["etag"] == etag)
            #expect(again.headers["content-security-policy"] == full.headers["content-security-policy"])
            #expect(again.headers["x-content-type-options"] == "nosniff")
            #expect(again.headers["cache-control"] == full.headers["cache-control"])
            // One tag among others, and a weak one, match too; another does not.
            #expect(try await server.get(path, headers: ["If-None-Match": "\"other\", W/" + etag]).status == 304)
            #expect(try await server.get(path, headers: ["If-None-Match": "\"other\""]).status == 200)
            #expect(try await server.get(path, method: "HEAD", headers: ["If-None-Match": etag]).status == 304)
        }
        // Errors have no ETag.
        #expect(try await server.get("/api/explain/NOPE").headers["etag"] == nil)
        #expect(try await server.get("/nothing").headers["etag"] == nil)

        let report = try #require(try await server.get("/api/report").headers["etag"])
        let check = try #require(try await server.get("/api/check").headers["etag"])
        // A broken rule file: a new version, but the report kept is the same report.
        let churn = try scratch.read("rules/churn.yaml")
        var v = server.server.snapshot.version
        try scratch.write("rules/churn.yaml", churn.replacingOccurrences(of: "when: days_inactive >= inactive_days", with: "when: days_inactiv >= inactive_days"))
        v = try await server.waitForVersion(after: v)
        #expect(try await server.get("/api/report", headers: ["If-None-Match": report]).status == 304)
        #expect(try await server.get("/api/check", headers: ["If-None-Match": check]).status == 200)
        // New results: the old tag no longer matches.
        try scratch.write("rules/churn.yaml", churn.replacingOccurrences(of: "inactive_days: 45", with: "inactive_days: 3"))
        _ = try await server.waitForVersion(after: v)
        let changed = try await server.get("/api/report", headers: ["If-None-Match": report])
        #expect(changed.status == 200)
        #expect(changed.headers["etag"] != report)
        await server.stop()
    }

    @Test func largeAnswersGoGzippedOncePerVersion() async throws {
        // The fixture's report is some 24 KB: a 1 KiB threshold makes it large.
        let (scratch, _, server) = try await ServeRoutesTests.started(gzipMinimumBytes: 1024)
        defer { scratch.remove() }
        let plain = try await server.get("/api/report")
        #expect(plain.headers["content-encoding"] == nil)
        #expect(plain.headers["vary"] == "Accept-Encoding")
        let identity = Array(plain.body.utf8)
        #expect(plain.raw == identity)
        let snapshot = server.server.snapshot
        let bytes = try #require(snapshot.buffers.report)
        #expect(!bytes.gzipStarted, "no gzip without a request that accepts it")

        let zipped = try await server.get("/api/report", headers: ["Accept-Encoding": "br;q=1, gzip;q=0.8"])
        #expect(zipped.headers["content-encoding"] == "gzip")
        #expect(zipped.headers["vary"] == "Accept-Encoding")
        #expect(zipped.headers["content-length"] == String(zipped.raw.count))
        #expect(zipped.raw.count < identity.count / 3)
        #expect(try Self.gunzip(zipped.raw) == identity)
        // Its own ETag; a second request gets the very bytes kept.
        #expect(zipped.headers["etag"] != plain.headers["etag"])
        #expect(zipped.headers["etag"]?.hasSuffix("-gz\"") == true)
        #expect(try await server.get("/api/report", headers: ["Accept-Encoding": "gzip"]).raw == zipped.raw)
        #expect(try await server.get("/api/report", headers: ["Accept-Encoding": "gzip", "If-None-Match": zipped.headers["etag"] ?? ""]).status == 304)
        #expect(bytes.gzipStarted)
        #expect(server.server.snapshot.buffers.report === bytes)

        // Refused or not asked for: identity.
        for encoding in ["identity", "gzip;q=0", "br", "deflate, gzip;q=0.0"] {
            let r = try await server.get("/api/report", headers: ["Accept-Encoding": encoding])
            #expect(r.headers["content-encoding"] == nil, "\(encoding)")
            #expect(r.raw == identity, "\(encoding)")
        }
        // Below the threshold: never gzipped, no Vary.
        let small = try await server.get("/api/check", headers: ["Accept-Encoding": "gzip"])
        #expect(small.headers["content-encoding"] == nil)
        #expect(small.headers["vary"] == nil)
        #expect(small.body == "[]\n")
        // A computed answer above the threshold is gzipped too.
        let explain = try await server.get("/api/explain/C0000001")
        if explain.raw.count >= 1024 {
            let z = try await server.get("/api/explain/C0000001", headers: ["Accept-Encoding": "gzip"])
            #expect(z.headers["content-encoding"] == "gzip")
            #expect(try Self.gunzip(z.raw) == explain.raw)
        }
        await server.stop()
    }

    /// The table of `Accept-Encoding` and `If-None-Match` values.
    @Test(arguments: [
        ("gzip", true), ("GZIP", true), ("x-gzip", true), ("*", true), ("deflate, gzip", true), ("gzip;q=0.5", true), (" gzip ; q=1 ", true),
        ("gzip;q=0", false), ("gzip;q=0.000", false), ("identity", false), ("", false), ("br, deflate", false), ("gzipped", false),
    ])
    func acceptEncoding(header: String, accepts: Bool) {
        #expect(HTTPCaching.acceptsGzip(header) == accepts)
    }

    @Test func ifNoneMatch() {
        #expect(HTTPCaching.matches("\"a-1\"", etag: "\"a-1\""))
        #expect(HTTPCaching.matches("W/\"a-1\"", etag: "\"a-1\""))
        #expect(HTTPCaching.matches("\"x\", \"a-1\"", etag: "\"a-1\""))
        #expect(HTTPCaching.matches("*", etag: "\"a-1\""))
        #expect(!HTTPCaching.matches("\"a-1-gz\"", etag: "\"a-1\""))
        #expect(!HTTPCaching.matches(nil, etag: "\"a-1\""))
        #expect(!HTTPCaching.matches("", etag: "\"a-1\""))
    }

    /// gzip of empty, small and multi-window inputs inflates back to the same bytes.
    @Test(arguments: [0, 1, 100, 3 << 20])
    func gzipRoundTrips(size: Int) throws {
        var rng = SplitMix(seed: UInt64(size))
        // Compressible but not trivial: words from a small alphabet.
        let bytes = (0..<size).map { _ in UInt8(0x61 + Int(rng.next() % 6)) }
        var buffer = ByteBufferAllocator().buffer(capacity: size)
        buffer.writeBytes(bytes)
        let z = try #require(Gzip.compress(buffer))
        let raw = Array(z.readableBytesView)
        #expect(raw.prefix(2) == [0x1f, 0x8b])
        #expect(try Self.gunzip(raw) == bytes)
    }

    @Test func eventsSendAHeartbeatAndDropClosedClients() async throws {
        let (scratch, _, server) = try await ServeRoutesTests.started(heartbeatMilliseconds: 50)
        defer { scratch.remove() }
        let fd = try HTTPReply.connect(port: server.port)
        let request = "GET /events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
        _ = request.withCString { send(fd, $0, strlen($0), 0) }
        let received = try await offPool { try Self.read(fd, count: 2, of: ": keep-alive\n\n") }
        #expect(received.contains("event: version\ndata: \(server.server.snapshot.version)\n\n"))
        #expect(received.components(separatedBy: ": keep-alive\n\n").count >= 3, "\(received)")
        #expect(server.server.broadcaster.count == 1)
        // Between heartbeats a new version is still announced.
        let v = server.server.snapshot.version
        let churn = try scratch.read("rules/churn.yaml")
        try scratch.write("rules/churn.yaml", churn.replacingOccurrences(of: "inactive_days: 45", with: "inactive_days: 7"))
        let more = try await offPool { try Self.read(fd, count: 1, of: "data: \(v + 1)\n\n") }
        #expect(more.contains("event: version\ndata: \(v + 1)\n\n"), "\(more)")
        close(fd)
        // The next heartbeat's write fails: the subscription goes (bounded wait, not a delay).
        for _ in 0..<(RunningServer.patienceSeconds * 100) where server.server.broadcaster.count > 0 {
            try await Task.sleep(for: .milliseconds(10))
        }
        #expect(server.server.broadcaster.count == 0)
        await server.stop()
    }

    @Test func finishingEndsHeartbeatStreams() async {
        let broadcaster = EventBroadcaster()
        let stream = broadcaster.subscribe(heartbeat: .milliseconds(1))
        #expect(broadcaster.count == 1)
        var wakes = 0
        for await _ in stream {
            wakes += 1
            if wakes == 2 { broadcaster.finish() }
        }
        #expect(wakes >= 2)
        #expect(broadcaster.count == 0)
    }

    static func read(_ fd: Int32, count: Int, of marker: String) throws -> String {
        var text = ""
        var buffer = [UInt8](repeating: 0, count: 4096)
        for _ in 0..<1000 where text.components(separatedBy: marker).count <= count {
            let n = recv(fd, &buffer, buffer.count, 0)
            if n <= 0 { break }
            text += String(decoding: buffer[0..<n], as: UTF8.self)
        }
        return text
    }

    struct InflateFailure: Error {}

    /// Inflates a gzip member with the system's zlib (what a client does).
    static func gunzip(_ bytes: [UInt8]) throws -> [UInt8] {
        var stream = z_stream()
        guard inflateInit2_(&stream, 15 + 16, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else { throw InflateFailure() }
        defer { inflateEnd(&stream) }
        var input = bytes
        var out: [UInt8] = []
        var window = [UInt8](repeating: 0, count: 1 << 16)
        var status = Z_OK
        input.withUnsafeMutableBufferPointer { inb in
            stream.next_in = inb.baseAddress
            stream.avail_in = UInt32(inb.count)
            repeat {
                window.withUnsafeMutableBufferPointer { w in
                    stream.next_out = w.baseAddress
                    stream.avail_out = UInt32(w.count)
                    status = inflate(&stream, Z_NO_FLUSH)
                    out += w[0..<(w.count - Int(stream.avail_out))]
                }
            } while status == Z_OK
        }
        guard status == Z_STREAM_END else { throw InflateFailure() }
        return out
    }
}

final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var n = 0
    func add() { lock.withLock { n += 1 } }
    var value: Int { lock.withLock { n } }
}

/// A small deterministic generator for test inputs.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
