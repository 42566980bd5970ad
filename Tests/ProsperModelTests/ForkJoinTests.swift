import Dispatch
import Testing
@testable import ProsperModel

/// Every part of a fork-join run runs exactly once, before `run` returns, at any count and
/// nested in other runs (where `concurrentPerform` would go serial), and on a pool whose
/// threads all wait in runs of their own.
@Suite struct ForkJoinTests {
    /// Counts per part, written from any thread.
    final class Counts: @unchecked Sendable {
        private let lock = DispatchSemaphore(value: 1)
        private var counts: [Int]
        init(_ n: Int) { counts = Array(repeating: 0, count: n) }
        func add(_ k: Int) {
            lock.wait()
            counts[k] += 1
            lock.signal()
        }
        var all: [Int] {
            lock.wait()
            defer { lock.signal() }
            return counts
        }
    }

    @Test(arguments: [0, 1, 2, 3, 7, 64, 1000])
    func everyPartRunsOnce(count: Int) {
        let counts = Counts(count)
        ForkJoin.run(count: count) { counts.add($0) }
        #expect(counts.all == Array(repeating: 1, count: count))
    }

    /// Runs three deep: the innermost parts all run, once, and each level's results are
    /// in index order.
    @Test func nestedRunsComplete() {
        let counts = Counts(4 * 5 * 6)
        let outer = IndexedRuns.results(count: 4, parallel: true) { a in
            IndexedRuns.results(count: 5, parallel: true) { b in
                IndexedRuns.results(count: 6, parallel: true) { c -> Int in
                    counts.add((a * 5 + b) * 6 + c)
                    return (a * 5 + b) * 6 + c
                }
            }
        }
        #expect(counts.all == Array(repeating: 1, count: 120))
        #expect(outer.flatMap { $0.flatMap { $0 } } == Array(0..<120))
    }

    /// More callers than pool threads, each waiting in its own run: a caller takes its
    /// own parts when no helper is free, so all finish.
    @Test func manyCallersOnABusyPoolFinish() {
        let counts = Counts(64 * 8)
        DispatchQueue.concurrentPerform(iterations: 64) { i in
            ForkJoin.run(count: 8) { k in counts.add(i * 8 + k) }
        }
        #expect(counts.all == Array(repeating: 1, count: 64 * 8))
    }

    /// What each part writes is seen by the caller once `run` returns.
    @Test func writesOfEveryPartAreSeenAfterwards() {
        var out = [Int](repeating: -1, count: 200)
        out.withUnsafeMutableBufferPointer { buffer in
            let base = Base(buffer.baseAddress)
            ForkJoin.run(count: 200) { k in base.pointer?[k] = k * k }
        }
        #expect(out == (0..<200).map { $0 * $0 })
    }

    struct Base: @unchecked Sendable {
        let pointer: UnsafeMutablePointer<Int>?
        init(_ p: UnsafeMutablePointer<Int>?) { pointer = p }
    }
}
