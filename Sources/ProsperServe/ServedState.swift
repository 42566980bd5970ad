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
    /// report is some 200 MB: never copied per request).
    let buffers: Buffers

    struct Buffers: Sendable {
        let page: ByteBuffer
        let report: ByteBuffer?
        let check: ByteBuffer

        init(page: LivePage, good: GoodResults?, checkJSON: String, reusing old: Buffers?, sameGood: Bool) {
            self.page = ByteBuffer(string: page.html)
            report = sameGood ? old?.report : good?.report.buffer
            check = ByteBuffer(string: checkJSON)
        }
    }

    init(version: Int, good: GoodResults?, checkJSON: String, diagnostics: [ServedDiagnostic], failure: String?, page: LivePage, previous: ServedSnapshot?) {
        self.version = version
        self.good = good
        self.checkJSON = checkJSON
        self.diagnostics = diagnostics
        self.failure = failure
        self.page = page
        let same = previous != nil && previous?.good.map { ObjectIdentifier($0.identity) } == good.map { ObjectIdentifier($0.identity) }
        buffers = Buffers(page: page, good: good, checkJSON: checkJSON, reusing: previous?.buffers, sameGood: same)
    }

    static func empty(token: String?) -> ServedSnapshot {
        ServedSnapshot(version: 0, good: nil, checkJSON: "[]\n", diagnostics: [], failure: nil,
                       page: LivePage(good: nil, diagnostics: [], failure: nil, version: 0, token: token), previous: nil)
    }
}

/// The current snapshot, swapped atomically.
final class ServedState: Sendable {
    private let box: NIOLockedValueBox<ServedSnapshot>
    let token: String?

    init(token: String?) {
        self.token = token
        box = NIOLockedValueBox(.empty(token: token))
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
                                      page: LivePage(good: good, diagnostics: r.diagnostics, failure: nil, version: version, token: token), previous: old)
            case .failure(let e):
                next = ServedSnapshot(version: version, good: old.good, checkJSON: old.checkJSON, diagnostics: old.diagnostics, failure: e.message,
                                      page: LivePage(good: old.good, diagnostics: old.diagnostics, failure: e.message, version: version, token: token), previous: old)
            }
            old = next
            return next
        }
    }
}
