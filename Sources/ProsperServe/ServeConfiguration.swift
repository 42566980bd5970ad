#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where the server listens and who may ask it. Loopback by default; any other host
/// needs a token, which then every request must carry (`Authorization: Bearer T` or
/// `?token=T`).
package struct ServeConfiguration: Sendable, Equatable {
    package let host: String
    /// 0: any free port (the one chosen is reported when listening).
    package let port: Int
    /// Nil only on a loopback host.
    package let token: String?

    /// How often `/events` sends a keep-alive comment, in milliseconds (10 … 3 600 000).
    package let heartbeatMilliseconds: Int

    /// Answers from this many bytes up are sent gzipped when the request accepts it.
    package let gzipMinimumBytes: Int

    /// Validates `host`, `port` and `token`. A non-loopback host without a token gets a
    /// generated one (`generatedToken` true: the caller shows it once).
    /// `heartbeatMilliseconds`: the keep-alive interval of `/events` (15 s; tests use less),
    /// kept within 10 ms … 1 hour.
    /// `gzipMinimumBytes`: answers from this size up go gzipped to a client that accepts it
    /// (64 KiB; at least 1).
    package init(host: String = "127.0.0.1", port: Int = 8080, token: String? = nil, heartbeatMilliseconds: Int = 15_000,
                 gzipMinimumBytes: Int = 65_536) throws(ServeConfigurationError) {
        guard (0...65_535).contains(port) else { throw .badPort(port) }
        guard Self.isValidHost(host) else { throw .badHost(host) }
        if let token {
            guard token.utf8.count >= 16, token.utf8.allSatisfy(Self.isTokenByte) else { throw .badToken }
        }
        self.host = host
        self.port = port
        self.token = token ?? (Self.isLoopback(host) ? nil : Self.generateToken())
        self.generatedToken = token == nil && self.token != nil
        self.heartbeatMilliseconds = min(max(heartbeatMilliseconds, 10), 3_600_000)
        self.gzipMinimumBytes = max(gzipMinimumBytes, 1)
    }

    /// True when the token was made here (print it once).
    package let generatedToken: Bool

    /// 127.0.0.0/8, `localhost`, `::1`.
    package static func isLoopback(_ host: String) -> Bool {
        if host == "localhost" || host == "::1" { return true }
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts[0] == "127" && parts.allSatisfy { UInt8($0) != nil }
    }

    /// An IPv4 or IPv6 literal, or a host name of letters, digits, `-` and `.`.
    static func isValidHost(_ host: String) -> Bool {
        guard !host.isEmpty, host.utf8.count <= 253 else { return false }
        var v4 = in_addr(), v6 = in6_addr()
        if inet_pton(AF_INET, host, &v4) == 1 || inet_pton(AF_INET6, host, &v6) == 1 { return true }
        return host.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 | 0x20 >= 0x61 && $0 | 0x20 <= 0x7A) || $0 == 0x2D || $0 == 0x2E }
            && !host.hasPrefix("-") && !host.hasPrefix(".")
    }

    /// Letters, digits, `-`, `_`, `.`, `~` (safe in a header and a query).
    static func isTokenByte(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b | 0x20 >= 0x61 && b | 0x20 <= 0x7A) || b == 0x2D || b == 0x5F || b == 0x2E || b == 0x7E
    }

    /// 32 random hexadecimal digits.
    static func generateToken() -> String {
        var rng = SystemRandomNumberGenerator()
        return (0..<2).map { _ in
            let h = String(rng.next() as UInt64, radix: 16)
            return String(repeating: "0", count: 16 - h.count) + h
        }.joined()
    }
}

/// A server that cannot start.
package enum ServeConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    case badPort(Int)
    case badHost(String)
    case badToken
    /// The address is taken or cannot be bound (the system's reason).
    case cannotListen(host: String, port: Int, reason: String)

    package var description: String {
        switch self {
        case .badPort(let p): return "--port must be 0…65535 (0: any free port), found \(p)"
        case .badHost(let h): return "--host must be an IP address or a host name, found '\(h)'"
        case .badToken: return "--token must be at least 16 characters of letters, digits, '-', '_', '.' or '~'"
        case .cannotListen(let h, let p, let reason): return "cannot listen on \(h):\(p): \(reason)"
        }
    }
}
