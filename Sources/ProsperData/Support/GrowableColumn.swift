import ProsperModel

/// An append-only column of plain values in manually managed memory: appends with no
/// uniqueness or bounds checks, and a hand-over to `ColumnBuffer` without a copy.
struct GrowableColumn<Element: BitwiseCopyable>: ~Copyable {
    private(set) var base: UnsafeMutablePointer<Element>
    private(set) var count = 0
    private var capacity: Int

    init(capacity: Int = 1024) {
        self.capacity = max(capacity, 16)
        base = .allocate(capacity: self.capacity)
    }

    deinit { base.deallocate() }

    @inline(__always)
    mutating func append(_ value: Element) {
        if count == capacity { grow() }
        (base + count).initialize(to: value)
        count += 1
    }

    private mutating func grow() {
        let c = capacity * 2
        let fresh = UnsafeMutablePointer<Element>.allocate(capacity: c)
        fresh.moveInitialize(from: base, count: count)
        base.deallocate()
        base = fresh
        capacity = c
    }

    /// Element `i` (`0 ..< count`).
    @inline(__always)
    subscript(i: Int) -> Element {
        precondition(i >= 0 && i < count, "index out of range")
        return base[i]
    }

    var buffer: UnsafeBufferPointer<Element> { UnsafeBufferPointer(start: base, count: count) }

    /// A copy as a Swift array.
    var array: [Element] { Array(buffer) }

    /// Hands the storage to a `ColumnBuffer` (no copy) and starts over empty.
    mutating func takeBuffer() -> ColumnBuffer<Element> {
        let b = ColumnBuffer(adopting: base, count: count)
        capacity = 16
        base = .allocate(capacity: capacity)
        count = 0
        return b
    }

    /// Appends every element of `other`.
    mutating func append(contentsOf other: borrowing GrowableColumn<Element>) {
        reserve(other.count)
        (base + count).initialize(from: other.base, count: other.count)
        count += other.count
    }

    /// Appends `transform` of every element of `other`.
    @inline(__always)
    mutating func append<T: BitwiseCopyable>(contentsOf other: borrowing GrowableColumn<T>, _ transform: (T) -> Element) {
        reserve(other.count)
        for i in 0..<other.count { (base + count + i).initialize(to: transform(other.base[i])) }
        count += other.count
    }

    /// Makes room for `extra` more elements.
    private mutating func reserve(_ extra: Int) {
        while capacity - count < extra { grow() }
    }

    /// Drops the content and releases the memory.
    mutating func release() {
        base.deallocate()
        capacity = 16
        base = .allocate(capacity: capacity)
        count = 0
    }
}
