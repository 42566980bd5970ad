import Dispatch

/// Runs independent pieces of work, one per index, and returns their results in index
/// order: on all cores (`ForkJoin`) or one after another. Each result is written
/// once, by the worker that computed it, into its own slot of the array, so no lock and
/// no "not yet computed" state is needed.
package enum IndexedRuns {
    package static func results<T>(count: Int, parallel: Bool, _ body: (Int) -> T) -> [T] {
        guard count > 0 else { return [] }
        return [T](unsafeUninitializedCapacity: count) { buffer, initialized in
            // A buffer of capacity >= 1 has a base address.
            guard let base = buffer.baseAddress else { initialized = 0; return }
            let slots = Shared(base)
            if parallel {
                withoutActuallyEscaping(body) { work in
                    let box = Shared(work)
                    ForkJoin.run(count: count) { k in (slots.value + k).initialize(to: box.value(k)) }
                }
            } else {
                for k in 0..<count { (base + k).initialize(to: body(k)) }
            }
            initialized = count
        }
    }

    /// A value handed to the workers of `ForkJoin`: the output buffer (each
    /// worker writes only its own index) and the work (called from one thread per index).
    private struct Shared<V>: @unchecked Sendable {
        let value: V
        init(_ value: V) { self.value = value }
    }
}
