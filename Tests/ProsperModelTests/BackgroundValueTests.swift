import Dispatch
import Testing
@testable import ProsperModel

/// A background value is its work's result whoever runs it, and a caller never waits on a
/// worker that the thread pool has not started.
@Suite struct BackgroundValueTests {
    @Test(arguments: [true, false])
    func valueIsTheWorksResult(concurrent: Bool) {
        let v = BackgroundValue(concurrent: concurrent) { (1...1000).reduce(0, +) }
        #expect(v.value == 500_500)
        #expect(v.value == 500_500)
    }

    /// Every global-pool thread builds and waits at once: each caller runs its own work if
    /// no worker got to it, so all finish (a plain wait could starve here).
    @Test func manyWaitersOnABusyPoolFinish() {
        let total = Total()
        DispatchQueue.concurrentPerform(iterations: 64) { i in
            let v = BackgroundValue { i * 2 }
            total.add(v.value)
        }
        #expect(total.value == (0..<64).reduce(0) { $0 + $1 * 2 })
    }

    final class Total: @unchecked Sendable {
        private let lock = DispatchQueue(label: "total")
        private var sum = 0
        func add(_ x: Int) { lock.sync { sum += x } }
        var value: Int { lock.sync { sum } }
    }
}
