import NIOConcurrencyHelpers
import NIOCore

/// One immutable view of the served results: what a request reads, whole. A new
/// computation makes a new snapshot and swaps it in under a lock, so no request ever
/// sees a half-computed result.
package struct ServedSnapshot: Sendable {
    /// Counts every change of what is served (results or diagnostics); 0 before the first
    /// computation ends.
    package let version: Int
    /// The last good results (kept while the rules have errors); nil until there are any.
    package let good: GoodResults?
    /// The check of the latest computation.
    package let checkJSON: String
    /// The problems of the latest computation, shown on top of the page.
    package let diagnostics: [ServedDiagnostic]
    /// The latest computation failed for a reason outside the rules (shown on the page).
    package let failure: String?
    /// The page as served: the dashboard with the diagnostics banner and the live script.
    let page: LivePage
    /// The bodies, made once per version and shared by every request (a 1M-customer
    /// report is some 200 MB: never copied per request; its gzip is made once, on the
    /// first request that accepts it).
    let buffers: Buffers
    /// Names the server process in every ETag (a restarted server counts versions anew).
    let instance: String
    /// The last 64 `/api/explain/ID` and 8 `/api/compare` answers of this version.
    let explainAnswers = AnswerCache(capacity: 64)
    let compareAnswers = AnswerCache(capacity: 8)

    struct Buffers: Sendable {
        let page: ServedBytes
        let report: ServedBytes?
        /// The version whose computation made `report` (kept while the rules have errors).
        let reportVersion: Int
        let check: ServedBytes

        init(page: LivePage, good: GoodResults?, checkJSON: String, version: Int, reusing old: Buffers?, sameGood: Bool) {
            self.page = ServedBytes(ByteBuffer(string: page.html), contentType: "text/html; charset=utf-8")
            if sameGood, let old {
                report = old.report
                reportVersion = old.reportVersion
            } else {
                report = good.map { ServedBytes($0.report.buffer, contentType: "application/json; charset=utf-8") }
                reportVersion = version
            }
            check = ServedBytes(json: checkJSON)
        }
    }

    init(version: Int, good: GoodResults?, checkJSON: String, diagnostics: [ServedDiagnostic], failure: String?, page: LivePage, previous: ServedSnapshot?,
         instance: String) {
        self.version = version
        self.good = good
        self.checkJSON = checkJSON
        self.diagnostics = diagnostics
        self.failure = failure
        self.page = page
        self.instance = instance
        let same = previous != nil && previous?.good.map { ObjectIdentifier($0.identity) } == good.map { ObjectIdentifier($0.identity) }
        buffers = Buffers(page: page, good: good, checkJSON: checkJSON, version: version, reusing: previous?.buffers, sameGood: same)
    }

    /// The ETag of the content `key` of this version (`gzip`: of its gzip encoding).
    func etag(_ key: String, version: Int? = nil, gzip: Bool) -> String {
        "\"\(instance)-\(version ?? self.version)-\(key)\(gzip ? "-gz" : "")\""
    }

    static func empty(token: String?, instance: String) -> ServedSnapshot {
        ServedSnapshot(version: 0, good: nil, checkJSON: "[]\n", diagnostics: [], failure: nil,
                       page: LivePage(good: nil, diagnostics: [], failure: nil, version: 0, token: token), previous: nil, instance: instance)
    }
}

/// The current snapshot, swapped atomically.
final class ServedState: Sendable {
    private let box: NIOLockedValueBox<ServedSnapshot>
    let token: String?

    init(token: String?) {
        self.token = token
        var rng = SystemRandomNumberGenerator()
        let instance = String(rng.next() as UInt32, radix: 16)
        box = NIOLockedValueBox(.empty(token: token, instance: instance))
    }

    var current: ServedSnapshot { box.withLockedValue { $0 } }

    /// Publishes the outcome of a computation and returns the new snapshot. Results
    /// without `good` keep the last good ones.
    @discardableResult
    func publish(_ outcome: Result<ServedResults, ServeComputeError>) -> ServedSnapshot {
        box.withLockedValue { old in
            let version = old.version + 1
            let next: ServedSnapshot
            switch outcome {
            case .success(let r):
                let good = r.good ?? old.good
                next = ServedSnapshot(version: version, good: good, checkJSON: r.checkJSON, diagnostics: r.diagnostics, failure: nil,
                                      page: LivePage(good: good, diagnostics: r.diagnostics, failure: nil, version: version, token: token), previous: old, instance: old.instance)
            case .failure(let e):
                next = ServedSnapshot(version: version, good: old.good, checkJSON: old.checkJSON, diagnostics: old.diagnostics, failure: e.message,
                                      page: LivePage(good: old.good, diagnostics: old.diagnostics, failure: e.message, version: version, token: token), previous: old, instance: old.instance)
            }
            old = next
            return next
        }
    }
}
