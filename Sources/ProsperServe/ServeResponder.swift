import Hummingbird

/// Answers every request from the current snapshot; no request path reaches the file
/// system and no request changes anything. Order: method (GET and HEAD only, else 405),
/// token (401 without it when one is configured), then the route. Every response carries
/// the page's Content-Security-Policy, `X-Content-Type-Options: nosniff` and
/// `Cache-Control: no-store`.
struct ServeResponder: HTTPResponder {
    typealias Context = BasicRequestContext

    let state: ServedState
    let broadcaster: EventBroadcaster
    let token: String?

    func respond(to request: Request, context: Context) async throws -> Response {
        let snapshot = state.current
        var response = await route(request, snapshot)
        response.headers[.contentSecurityPolicy] = snapshot.page.policy
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[.cacheControl] = "no-store"
        if let referrer = HTTPFields.Element.Name("Referrer-Policy") { response.headers[referrer] = "no-referrer" }
        if request.method == .head { response.body = ResponseBody() }
        return response
    }

    private func route(_ request: Request, _ snapshot: ServedSnapshot) async -> Response {
        guard request.method == .get || request.method == .head else {
            var r = json(.methodNotAllowed, ServedAnswer.error(405, "only GET and HEAD are allowed: the server never changes a file").json)
            r.headers[.allow] = "GET, HEAD"
            return r
        }
        if let token, !authorized(request, token: token) {
            var r = json(.unauthorized, ServedAnswer.error(401, "a token is required: 'Authorization: Bearer TOKEN' or '?token=TOKEN'").json)
            r.headers[.wwwAuthenticate] = "Bearer"
            return r
        }
        let path = request.uri.path
        switch path {
        case "/", "/index.html":
            return body(.ok, snapshot.buffers.page, type: "text/html; charset=utf-8")
        case "/api/report", "/api/report.json", "/report.json":
            guard let report = snapshot.buffers.report else { return notReady(snapshot) }
            return body(.ok, report, type: "application/json; charset=utf-8")
        case "/api/check", "/api/check.json":
            return body(.ok, snapshot.buffers.check, type: "application/json; charset=utf-8")
        case "/api/compare", "/api/compare.json":
            guard let good = snapshot.good else { return notReady(snapshot) }
            let q = request.uri.queryParameters
            guard let a = q.get("a"), let b = q.get("b"), !a.isEmpty, !b.isEmpty else {
                return json(.badRequest, ServedAnswer.error(400, "give two rule files of the project by name: /api/compare?a=NAME&b=NAME").json)
            }
            return answer(good.compare(a, b))
        case "/events":
            return events(snapshot)
        case "/healthz":
            let errors = snapshot.diagnostics.filter { $0.severity == "error" }.count
            return json(.ok, "{\"status\": \"ok\", \"version\": \(snapshot.version), \"results\": \(snapshot.good != nil), \"errors\": \(errors)}\n")
        default:
            let prefix = "/api/explain/"
            if path.hasPrefix(prefix) {
                guard let good = snapshot.good else { return notReady(snapshot) }
                var raw = String(path.dropFirst(prefix.count))
                if raw.hasSuffix(".json") { raw.removeLast(5) }
                guard let id = PercentDecoding.decode(raw), !id.isEmpty else {
                    return json(.badRequest, ServedAnswer.error(400, "a customer id is required: /api/explain/ID").json)
                }
                return answer(good.explain(id))
            }
            return json(.notFound, ServedAnswer.error(404, "no such page: the routes are /, /api/report, /api/check, /api/explain/ID, /api/compare?a=&b=, /events, /healthz").json)
        }
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

    private func answer(_ a: ServedAnswer) -> Response {
        // A status outside 100…599 from a project is a server error, never a trap.
        json(HTTPResponse.Status(code: (100...599).contains(a.status) ? a.status : 500), a.json)
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
    /// one each time the snapshot changes, until the client or the server goes.
    private func events(_ snapshot: ServedSnapshot) -> Response {
        let stream = broadcaster.subscribe()
        let first = state.current.version
        var headers = HTTPFields()
        headers[.contentType] = "text/event-stream; charset=utf-8"
        return Response(status: .ok, headers: headers, body: ResponseBody { writer in
            try await writer.write(ByteBuffer(string: "retry: 1000\nevent: version\ndata: \(first)\n\n"))
            for await version in stream {
                try await writer.write(ByteBuffer(string: "event: version\ndata: \(version)\n\n"))
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
