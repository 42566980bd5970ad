import CZlib
import NIOCore

/// gzip (RFC 1952) through the system's zlib, for the large answers of `serve`.
enum Gzip {
    /// `input` as one gzip member at `level` (zlib's 0…9); nil when zlib fails (then the
    /// answer goes out uncompressed). Streams through a 1 MiB window, so a 200 MB report
    /// needs no second buffer of its size.
    static func compress(_ input: ByteBuffer, level: Int32 = 6) -> ByteBuffer? {
        var stream = z_stream()
        // windowBits 15 + 16: a gzip header and trailer instead of zlib's.
        guard deflateInit2_(&stream, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            return nil
        }
        defer { deflateEnd(&stream) }
        var out = ByteBufferAllocator().buffer(capacity: max(input.readableBytes / 8, 64))
        var window = [UInt8](repeating: 0, count: 1 << 20)
        let ok: Bool = input.withUnsafeReadableBytes { raw in
            var offset = 0
            repeat {
                // avail_in is 32-bit: at most 1 GiB at a time.
                let take = min(raw.count - offset, 1 << 30)
                stream.next_in = raw.baseAddress.map { UnsafeMutablePointer(mutating: $0.advanced(by: offset).assumingMemoryBound(to: Bytef.self)) }
                stream.avail_in = UInt32(take)
                offset += take
                let flush = offset == raw.count ? Z_FINISH : Z_NO_FLUSH
                var status = Z_OK
                repeat {
                    window.withUnsafeMutableBufferPointer { w in
                        stream.next_out = w.baseAddress
                        stream.avail_out = UInt32(w.count)
                        status = deflate(&stream, flush)
                        out.writeBytes(UnsafeBufferPointer(rebasing: w[0..<(w.count - Int(stream.avail_out))]))
                    }
                    if status != Z_OK, status != Z_STREAM_END, status != Z_BUF_ERROR { return false }
                } while flush == Z_FINISH ? status != Z_STREAM_END : stream.avail_out == 0
            } while offset < raw.count
            return true
        }
        return ok ? out : nil
    }
}
