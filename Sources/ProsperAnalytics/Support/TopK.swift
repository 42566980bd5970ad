/// The best `limit` elements of a stream, best first, under a strict total order
/// (`better(a, b)`: a ranks before b).
///
/// A bounded binary heap with the worst kept element at its root: O(n log k) for n
/// elements whatever their order (an insertion list is O(n · k) on input that arrives
/// worst first), and O(k) memory. Ties cannot occur under a total order, so the result
/// does not depend on arrival order.
struct TopK<Element> {
    let limit: Int
    private let better: (Element, Element) -> Bool
    /// Max-heap by "worse": `heap[0]` is the worst element kept.
    private var heap: [Element] = []

    init(limit: Int, better: @escaping (Element, Element) -> Bool) {
        self.limit = max(limit, 0)
        self.better = better
        heap.reserveCapacity(min(self.limit, 1 << 16))
    }

    mutating func consider(_ e: Element) {
        guard limit > 0 else { return }
        if heap.count < limit {
            heap.append(e)
            siftUp(heap.count - 1)
        } else if let worst = heap.first, better(e, worst) {
            heap[0] = e
            siftDown(0)
        }
    }

    /// The worst element kept once `limit` elements are kept (what a newcomer must
    /// beat), else nil.
    var worstWhenFull: Element? { heap.count == limit && limit > 0 ? heap.first : nil }

    /// The kept elements, best first.
    func sorted() -> [Element] {
        heap.sorted(by: better)
    }

    private mutating func siftUp(_ start: Int) {
        var i = start
        while i > 0 {
            let parent = (i - 1) / 2
            // The parent must be worse than (or equal to) the child.
            guard better(heap[parent], heap[i]) else { return }
            heap.swapAt(parent, i)
            i = parent
        }
    }

    private mutating func siftDown(_ start: Int) {
        var i = start
        let n = heap.count
        while true {
            let l = 2 * i + 1, r = l + 1
            var worst = i
            if l < n, better(heap[worst], heap[l]) { worst = l }
            if r < n, better(heap[worst], heap[r]) { worst = r }
            guard worst != i else { return }
            heap.swapAt(worst, i)
            i = worst
        }
    }
}
