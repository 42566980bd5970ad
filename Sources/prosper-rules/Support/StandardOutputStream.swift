/// Standard output through a 64 KiB buffer (write errors are kept by `Terminal`).
struct StandardOutputStream: TextOutputStream {
    private var buffer = ""

    mutating func write(_ string: String) {
        buffer += string
        if buffer.utf8.count >= 1 << 16 { flush() }
    }

    mutating func flush() {
        guard !buffer.isEmpty else { return }
        Terminal.out(buffer)
        buffer = ""
    }
}
