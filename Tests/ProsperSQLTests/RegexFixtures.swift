import Foundation

/// The tables of `Fixtures/regex/`: tab-separated, `#` starts a comment line, and
/// `{U+XXXX}` in a field stands for that character (line breaks, tabs, U+0000, …).
enum RegexFixtures {
    static let folder: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/regex")

    struct Case: Sendable, CustomStringConvertible {
        let line: Int
        let pattern: String
        let text: String
        let expected: Bool
        var description: String { "cases.tsv:\(line) \(pattern.debugDescription) on \(text.debugDescription)" }
    }

    struct Refusal: Sendable, CustomStringConvertible {
        let line: Int
        let dialect: String
        let pattern: String
        let offset: Int
        let message: String
        var description: String { "refusals.tsv:\(line) \(dialect) \(pattern.prefix(40).debugDescription)" }
    }

    struct Golden: Sendable, CustomStringConvertible {
        let line: Int
        let dialect: String
        let pattern: String
        let translated: String
        var description: String { "translations.tsv:\(line) \(dialect) \(pattern.debugDescription)" }
    }

    static let cases: [Case] = rows("cases.tsv", fields: 3).compactMap { line, f in
        Case(line: line, pattern: f[0], text: f[1], expected: f[2] == "1")
    }

    static let refusals: [Refusal] = rows("refusals.tsv", fields: 4).compactMap { line, f in
        guard let offset = Int(f[2]) else { return nil }
        return Refusal(line: line, dialect: f[0], pattern: f[1], offset: offset, message: f[3])
    }

    static let translations: [Golden] = rows("translations.tsv", fields: 3).map { line, f in
        Golden(line: line, dialect: f[0], pattern: f[1], translated: f[2])
    }

    /// The data rows of a table as (line number, decoded fields).
    static func rows(_ name: String, fields: Int) -> [(Int, [String])] {
        guard let text = try? String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8) else { return [] }
        var out: [(Int, [String])] = []
        for (k, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if line.hasPrefix("#") || line.isEmpty { continue }
            let f = line.split(separator: "\t", omittingEmptySubsequences: false).map { decode(String($0)) }
            guard f.count == fields else { continue }
            out.append((k + 1, f))
        }
        return out
    }

    /// `{U+XXXX}` replaced by its character.
    static func decode(_ s: String) -> String {
        var out = String.UnicodeScalarView()
        let u = Array(s.unicodeScalars)
        var i = 0
        while i < u.count {
            if u[i] == "{", i + 3 < u.count, u[i + 1] == "U", u[i + 2] == "+",
               let close = u[(i + 3)...].firstIndex(of: "}"),
               let v = UInt32(String(String.UnicodeScalarView(u[(i + 3)..<close])), radix: 16),
               let c = Unicode.Scalar(v) {
                out.append(c)
                i = close + 1
            } else {
                out.append(u[i])
                i += 1
            }
        }
        return String(out)
    }

    /// The hex of the UTF-8 bytes.
    static func hex(_ s: String) -> String {
        let digits = Array("0123456789abcdef")
        var out = ""
        for b in s.utf8 {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 15)])
        }
        return out
    }
}

/// Runs a program and collects its output.
enum RegexEngines {
    struct Output {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    /// Runs `path` with `stdin` as its input (through temporary files, so no pipe can fill up).
    static func run(_ path: String, _ arguments: [String], stdin: String) throws -> Output {
        let fm = FileManager.default
        let dir = fm.temporaryDirectory.appendingPathComponent("prosper-regex-\(UUID().uuidString)")
        try fm.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? fm.removeItem(at: dir) }
        let inURL = dir.appendingPathComponent("in"), outURL = dir.appendingPathComponent("out"), errURL = dir.appendingPathComponent("err")
        try Data(stdin.utf8).write(to: inURL)
        _ = fm.createFile(atPath: outURL.path, contents: nil)
        _ = fm.createFile(atPath: errURL.path, contents: nil)
        let input = try FileHandle(forReadingFrom: inURL)
        let output = try FileHandle(forWritingTo: outURL)
        let errors = try FileHandle(forWritingTo: errURL)
        defer { try? input.close(); try? output.close(); try? errors.close() }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: path)
        p.arguments = arguments
        p.standardInput = input
        p.standardOutput = output
        p.standardError = errors
        try p.run()
        p.waitUntilExit()
        let out = (try? Data(contentsOf: outURL)) ?? Data()
        let err = (try? Data(contentsOf: errURL)) ?? Data()
        return Output(status: p.terminationStatus, stdout: String(decoding: out, as: UTF8.self), stderr: String(decoding: err, as: UTF8.self))
    }

    /// An executable on PATH.
    static func which(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for dir in path.split(separator: ":") {
            let candidate = String(dir) + "/" + name
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// CI sets `CI=true`: there a missing engine is a failure, locally a skip.
    static var isCI: Bool {
        let v = ProcessInfo.processInfo.environment["CI"]?.lowercased() ?? ""
        return v == "true" || v == "1" || v == "yes"
    }
}
