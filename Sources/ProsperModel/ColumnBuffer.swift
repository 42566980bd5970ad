/// Immutable, heap-allocated storage for one column with a stable address, so the
/// compiled rule kernels can read it through a pointer without copying or
/// retain/release traffic in their inner loops.
///
/// The memory is written once, in `init`, and never again: sharing a buffer across
/// threads is safe, hence `@unchecked Sendable`.
public final class ColumnBuffer<Element>: @unchecked Sendable {
    /// Read-only view of the elements.
    public let elements: UnsafeBufferPointer<Element>

    /// Copies `values` into new storage.
    public init(_ values: [Element]) {
        let storage = UnsafeMutableBufferPointer<Element>.allocate(capacity: max(values.count, 1))
        _ = storage.initialize(from: values)
        elements = UnsafeBufferPointer(start: storage.baseAddress, count: values.count)
        base = storage
        initializedCount = values.count
        owner = nil
    }

    /// Takes ownership of `storage`: memory from `UnsafeMutablePointer.allocate` with
    /// capacity >= max(count, 1) whose first `count` elements are initialized. The
    /// buffer deinitializes and deallocates it; the caller must not touch it again.
    /// Lets a builder hand over a column without copying it.
    public init(adopting storage: UnsafeMutablePointer<Element>, count: Int) {
        elements = UnsafeBufferPointer(start: storage, count: count)
        base = UnsafeMutableBufferPointer(start: storage, count: max(count, 1))
        initializedCount = count
        owner = nil
    }

    /// Uses `count` elements at `start` in place, memory that `owner` keeps alive and
    /// unchanged for as long as it lives (a read-only file mapping): nothing is copied
    /// and the buffer never frees it; it only holds `owner`. `Element` must be a
    /// trivial type (integers), and `start` aligned for it.
    public init(borrowing start: UnsafePointer<Element>, count: Int, owner: AnyObject) {
        elements = UnsafeBufferPointer(start: start, count: count)
        base = UnsafeMutableBufferPointer(start: UnsafeMutablePointer(mutating: start), count: max(count, 1))
        initializedCount = count
        self.owner = owner
    }

    private let base: UnsafeMutableBufferPointer<Element>
    private let initializedCount: Int
    /// What keeps borrowed memory alive (nil: the buffer owns its memory).
    private let owner: AnyObject?

    /// Number of elements.
    public var count: Int { elements.count }

    /// The element at `index`; traps on an index outside `0..<count` (never user-controlled).
    public subscript(index: Int) -> Element { elements[index] }

    /// The first element's address (valid for the buffer's lifetime).
    public var pointer: UnsafePointer<Element> {
        // An allocation of capacity >= 1 always has a base address.
        UnsafePointer(base.baseAddress.unsafelyUnwrapped)
    }

    /// The elements as a Swift array (a copy).
    public var array: [Element] { Array(elements) }

    deinit {
        guard owner == nil else { return }
        base.baseAddress.unsafelyUnwrapped.deinitialize(count: initializedCount)
        base.deallocate()
    }
}
