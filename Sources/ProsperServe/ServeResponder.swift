import Hummingbird

/// Answers every request from the current snapshot; no request path reaches the file
/// system and no request changes anything. Order: method (GET and HEAD only, else 405),
/// token (401 without it when one is configured), then the route. Every response carries
/// the page's Content-Security-Policy, `X-Content-Type-Options: nosniff` and a
/// `Cache-Control`: `no-cache` for the JSON answers (revalidate with their ETag),
/// `no-store` for the rest. Served content has an ETag (`If-None-Match` gets a 304) and
/// goes gzipped from 64 KiB (configurable) up to a client that accepts it (`Vary: Accept-Encoding`).
struct ServeResponder: HTTPResponder {
    typealias Context = BasicRequestContext

    let state: ServedState
    let broadcaster: EventBroadcaster
    let token: String?
    /// The interval of the `/events` keep-alive comments.
    let heartbeat: Duration
    /// Bodies from this size up go gzipped to a client that accepts it.
    let gzipMinimumBytes: Int

    init(state: ServedState, broadcaster: EventBroadcaster, token: String?, heartbeat: Duration = .seconds(15), gzipMinimumBytes: Int = 65_536) {
        self.state = state
        self.broadcaster = broadcaster
        self.token = token
        self.heartbeat = heartbeat
        self.gzipMinimumBytes = gzipMinimumBytes
    }

    func respond(to request: Request, context: Context) async throws -> Response {
        let snapshot = state.current
        var response: Response
        switch route(request, snapshot) {
        case .response(let r): response = r
        case .content(let c): response = await deliver(c, request, snapshot)
        case .computed(let cache, let key, let compute):
            let a = await cache.answer(key, compute)
            // A status outside 100…599 from a project is a server error, never a trap.
            let status = HTTPResponse.Status(code: (100...599).contains(a.status) ? a.status : 500)
            response = await deliver(Content(status: status, bytes: a.bytes, key: key, revalidate: true), request, snapshot)
        }
        response.headers[.contentSecurityPolicy] = snapshot.page.policy
        response.headers[.xContentTypeOptions] = "nosniff"
        if response.headers[.cacheControl] == nil { response.headers[.cacheControl] = "no-store" }
        if let referrer = HTTPFields.Element.Name("Referrer-Policy") { response.headers[referrer] = "no-referrer" }
        if request.method == .head { response.body = ResponseBody() }
        return response
    }

    /// Content of the current version: its bytes and the key of its ETag.
    struct Content {
        let status: HTTPResponse.Status
        let bytes: ServedBytes
        /// Names the content within a version (`report`, `explain-<hash>`, …).
        let key: String
        /// `Cache-Control: no-cache` (else `no-store`).
        let revalidate: Bool
        /// The version that made the bytes, when older than the snapshot's (a kept report).
        var version: Int?
    }

    enum Routed {
        case response(Response)
        case content(Content)
        /// An answer computed by the project, held in `cache` under `key`.
        case computed(AnswerCache, key: String, compute: @Sendable () -> ServedAnswer)
    }

    private func route(_ request: Request, _ snapshot: ServedSnapshot) -> Routed {
        guard request.method == .get || request.method == .head else {
            var r = json(.methodNotAllowed, ServedAnswer.error(405, "only GET and HEAD are allowed: the server never changes a file").json)
            r.headers[.allow] = "GET, HEAD"
            return .response(r)
        }
        if let token, !authorized(request, token: token) {
            var r = json(.unauthorized, ServedAnswer.error(401, "a token is required: 'Authorization: Bearer TOKEN' or '?token=TOKEN'").json)
            r.headers[.wwwAuthenticate] = "Bearer"
            return .response(r)
        }
        let path = request.uri.path
        switch path {
        case "/", "/index.html":
            return .content(Content(status: .ok, bytes: snapshot.buffers.page, key: "page", revalidate: false))
        case "/api/report", "/api/report.json", "/report.json":
            guard let report = snapshot.buffers.report else { return .response(notReady(snapshot)) }
            return .content(Content(status: .ok, bytes: report, key: "report", revalidate: true, version: snapshot.buffers.reportVersion))
        case "/api/check", "/api/check.json":
            return .content(Content(status: .ok, bytes: snapshot.buffers.check, key: "check", revalidate: true))
        case "/api/compare", "/api/compare.json":
            guard let good = snapshot.good else { return .response(notReady(snapshot)) }
            let q = request.uri.queryParameters
            guard let a = q.get("a"), let b = q.get("b"), !a.isEmpty, !b.isEmpty else {
                return .response(json(.badRequest, ServedAnswer.error(400, "give two rule files of the project by name: /api/compare?a=NAME&b=NAME").json))
            }
            let compare = good.compare
            return .computed(snapshot.compareAnswers, key: "compare-" + HTTPCaching.fnv(a + "\u{0}" + b), compute: { compare(a, b) })
        case "/events":
            return .response(events(snapshot))
        case "/healthz":
            let errors = snapshot.diagnostics.filter { $0.severity == "error" }.count
            return .response(json(.ok, "{\"status\": \"ok\", \"version\": \(snapshot.version), \"results\": \(snapshot.good != nil), \"errors\": \(errors)}\n"))
        default:
            let prefix = "/api/explain/"
            if path.hasPrefix(prefix) {
                guard let good = snapshot.good else { return .response(notReady(snapshot)) }
                var raw = String(path.dropFirst(prefix.count))
                if raw.hasSuffix(".json") { raw.removeLast(5) }
                guard let id = PercentDecoding.decode(raw), !id.isEmpty else {
                    return .response(json(.badRequest, ServedAnswer.error(400, "a customer id is required: /api/explain/ID").json))
                }
                let explain = good.explain
                return .computed(snapshot.explainAnswers, key: "explain-" + HTTPCaching.fnv(id), compute: { explain(id) })
            }
            return .response(json(.notFound, ServedAnswer.error(404, "no such page: the routes are /, /api/report, /api/check, /api/explain/ID, /api/compare?a=&b=, /events, /healthz").json))
        }
    }

    /// `content` as the request asks: a 304 when its ETag matches `If-None-Match`, gzipped
    /// when large and accepted. Only a 200 has an ETag (an error answer is sent whole).
    private func deliver(_ content: Content, _ request: Request, _ snapshot: ServedSnapshot) async -> Response {
        let bytes = content.bytes
        var headers = HTTPFields()
        headers[.contentType] = bytes.contentType
        // Only a 200 has an ETag to revalidate with.
        headers[.cacheControl] = content.revalidate && content.status == .ok ? "no-cache" : "no-store"
        let compressible = bytes.identity.readableBytes >= gzipMinimumBytes
        var gzip = compressible && HTTPCaching.acceptsGzip(request.headers[.acceptEncoding])
        if compressible { headers[.vary] = "Accept-Encoding" }
        if content.status == .ok {
            let etag = snapshot.etag(content.key, version: content.version, gzip: gzip)
            headers[.eTag] = etag
            if HTTPCaching.matches(request.headers[.ifNoneMatch], etag: etag) {
                return Response(status: .notModified, headers: headers)
            }
        }
        var body = bytes.identity
        if gzip {
            if let z = await bytes.gzipped() {
                body = z
                headers[.contentEncoding] = "gzip"
            } else {
                gzip = false
                if content.status == .ok { headers[.eTag] = snapshot.etag(content.key, version: content.version, gzip: false) }
            }
        }
        headers[.contentLength] = String(body.readableBytes)
        return Response(status: content.status, headers: headers, body: ResponseBody(byteBuffer: body))
    }

    private func authorized(_ request: Request, token: String) -> Bool {
        if let header = request.headers[.authorization], header.hasPrefix("Bearer "),
           Self.constantTimeEqual(String(header.dropFirst(7)), token) {
            return true
        }
        if let given = request.uri.queryParameters.get("token"), Self.constantTimeEqual(given, token) { return true }
        return false
    }

    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        var diff = UInt8(x.count == y.count ? 0 : 1)
        for i in 0..<max(x.count, y.count) { diff |= (i < x.count ? x[i] : 0) ^ (i < y.count ? y[i] : 0) }
        return diff == 0
    }

    private func notReady(_ snapshot: ServedSnapshot) -> Response {
        let why = snapshot.version == 0 ? "the first results are being computed" : "no good results yet: see /api/check"
        var r = json(.serviceUnavailable, ServedAnswer.error(503, why).json)
        r.headers[.retryAfter] = "1"
        return r
    }

    private func json(_ status: HTTPResponse.Status, _ body: String) -> Response {
        text(status, body, type: "application/json; charset=utf-8")
    }

    private func text(_ status: HTTPResponse.Status, _ text: String, type: String) -> Response {
        body(status, ByteBuffer(string: text), type: type)
    }

    /// A shared buffer: sending it copies nothing.
    private func body(_ status: HTTPResponse.Status, _ buffer: ByteBuffer, type: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = type
        headers[.contentLength] = String(buffer.readableBytes)
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: buffer))
    }

    /// `text/event-stream`: `event: version` with the current version at once, then
    /// one each time the snapshot changes, and a `: keep-alive` comment every
    /// `heartbeat` (so proxies keep the stream, and a closed client is noticed at the
    /// next write and its subscription dropped), until the client or the server goes.
    private func events(_ snapshot: ServedSnapshot) -> Response {
        let stream = broadcaster.subscribe(heartbeat: heartbeat)
        let state = state
        var headers = HTTPFields()
        headers[.contentType] = "text/event-stream; charset=utf-8"
        headers[.cacheControl] = "no-store"
        return Response(status: .ok, headers: headers, body: ResponseBody { writer in
            var sent = state.current.version
            try await writer.write(ByteBuffer(string: "retry: 1000\nevent: version\ndata: \(sent)\n\n"))
            for await wake in stream {
                // A heartbeat may have replaced a version's wake-up in the stream's
                // one-place buffer: every wake-up looks at the version served now.
                let now = state.current.version
                if now != sent {
                    sent = now
                    try await writer.write(ByteBuffer(string: "event: version\ndata: \(now)\n\n"))
                }
                if wake == .heartbeat { try await writer.write(ByteBuffer(string: ": keep-alive\n\n")) }
            }
            try await writer.finish(nil)
        })
    }
}

/// `%XX` decoding of one path segment; nil for a malformed escape or invalid UTF-8.
enum PercentDecoding {
    static func decode(_ s: String) -> String? {
        var bytes: [UInt8] = []
        var it = Array(s.utf8)[...]
        while let b = it.popFirst() {
            guard b == 0x25 else { bytes.append(b); continue }
            guard let h = it.popFirst(), let l = it.popFirst(), let hv = hex(h), let lv = hex(l) else { return nil }
            bytes.append(hv << 4 | lv)
        }
        return String(validating: bytes, as: UTF8.self)
    }

    private static func hex(_ c: UInt8) -> UInt8? {
        switch c {
        case 0x30...0x39: return c - 0x30
        case 0x41...0x46: return c - 0x37
        case 0x61...0x66: return c - 0x57
        default: return nil
        }
    }
}
