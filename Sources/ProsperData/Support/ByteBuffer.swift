import ProsperModel

/// A growable, manually managed byte buffer with a stable base address between
/// appends that do not grow it. Used for the arenas that hold unescaped CSV fields,
/// interned keys and the seeder's output.
///
/// Not thread-safe; every parser owns its own buffers.
struct ByteBuffer: ~Copyable {
    private(set) var base: UnsafeMutablePointer<UInt8>
    private(set) var capacity: Int
    private(set) var count: Int = 0

    init(capacity: Int = 4096) {
        let c = max(capacity, 16)
        base = .allocate(capacity: c)
        self.capacity = c
    }

    deinit { base.deallocate() }

    /// Drops the content, keeping the storage.
    mutating func removeAll() { count = 0 }

    /// Makes room for `extra` more bytes.
    @inline(__always)
    mutating func reserve(_ extra: Int) {
        let needed = count + extra
        if needed > capacity { grow(to: needed) }
    }

    private mutating func grow(to needed: Int) {
        var c = capacity
        while c < needed { c = c * 2 }
        let fresh = UnsafeMutablePointer<UInt8>.allocate(capacity: c)
        fresh.update(from: base, count: count)
        base.deallocate()
        base = fresh
        capacity = c
    }

    @inline(__always)
    mutating func append(_ byte: UInt8) {
        if count == capacity { grow(to: count + 1) }
        base[count] = byte
        count += 1
    }

    @inline(__always)
    mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let src = bytes.baseAddress, bytes.count > 0 else { return }
        reserve(bytes.count)
        (base + count).update(from: src, count: bytes.count)
        count += bytes.count
    }

    mutating func append(_ text: String) {
        var t = text
        t.withUTF8 { append($0) }
    }

    mutating func append(_ text: StaticString) {
        append(UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    /// Appends a non-negative or negative integer in decimal.
    mutating func append(decimal value: Int64) {
        reserve(21)
        var v = value.magnitude
        if value < 0 { base[count] = UInt8(ascii: "-"); count += 1 }
        var tmp: (UInt64, UInt64, UInt64) = (0, 0, 0)
        let n = withUnsafeMutableBytes(of: &tmp) { raw -> Int in
            var i = 0
            repeat {
                raw[i] = UInt8(truncatingIfNeeded: 48 &+ v % 10)
                v /= 10
                i += 1
            } while v > 0
            return i
        }
        withUnsafeBytes(of: &tmp) { raw in
            for k in 0..<n { base[count + k] = raw[n - 1 - k] }
        }
        count += n
    }

    /// Appends `value` with at least `width` digits, zero padded (value >= 0).
    mutating func append(padded value: Int, width: Int) {
        var digits = 1, p = 10
        while value >= p, digits < 19 { digits += 1; p = p &* 10 }
        var pad = width - digits
        while pad > 0 { append(UInt8(ascii: "0")); pad -= 1 }
        append(decimal: Int64(value))
    }

    /// Appends an amount in cents as `12.34` (sign kept).
    mutating func append(cents: Int64) {
        if cents < 0 { append(UInt8(ascii: "-")) }
        let m = cents.magnitude
        append(decimal: Int64(m / 100))
        append(UInt8(ascii: "."))
        let f = Int(m % 100)
        append(UInt8(truncatingIfNeeded: 48 + f / 10))
        append(UInt8(truncatingIfNeeded: 48 + f % 10))
    }

    /// Appends a date as `YYYY-MM-DD`.
    mutating func append(day number: Int32) {
        let c = Day(number: number).civil
        append(padded: c.year, width: 4)
        append(UInt8(ascii: "-"))
        append(padded: c.month, width: 2)
        append(UInt8(ascii: "-"))
        append(padded: c.day, width: 2)
    }

    /// The bytes `offset ..< offset + length` (valid until the next append).
    @inline(__always)
    func bytes(_ offset: Int, _ length: Int) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: base + offset, count: length)
    }

    var all: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: base, count: count) }
}

extension String {
    /// Decodes UTF-8 bytes that were already validated.
    @inline(__always)
    init(utf8Bytes bytes: UnsafeBufferPointer<UInt8>) {
        self = String(decoding: bytes, as: UTF8.self)
    }
}
