import Foundation

/// Where the peer benchmark kit is and how to run it: `gen.py` writes the data,
/// `bench_duckdb.py` (DuckDB SQL, in a venv under `.bench/venv`) computes the reference.
enum ReferenceHarness {
    /// The package root: this file is `Tests/ProsperDifferentialTests/ReferenceHarness.swift`.
    static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The rule files that state WORKLOAD.md's definitions.
    static let rulesFolder: String = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/workload-rules").path

    /// CI sets `CI=true`: there a missing reference is a failure, locally a skip.
    static var isCI: Bool {
        let v = ProcessInfo.processInfo.environment["CI"]?.lowercased() ?? ""
        return v == "true" || v == "1" || v == "yes"
    }

    /// `PROSPER_SHARED_BENCH`, else `../shared/bench` beside the package (CI and the
    /// local checkout both keep the shared folder there).
    static var benchFolder: URL {
        if let p = ProcessInfo.processInfo.environment["PROSPER_SHARED_BENCH"], !p.isEmpty { return URL(fileURLWithPath: p) }
        return packageRoot.deletingLastPathComponent().appendingPathComponent("shared/bench")
    }

    struct Tools: Sendable {
        let python: String
        let venvPython: String
        let gen: String
        let duckdbScript: String
    }

    /// Found once per test run (creating the venv and installing duckdb when needed).
    /// `.failure` carries a message saying what is missing and how to fix it.
    static let tools: Result<Tools, SetupError> = locate()

    struct SetupError: Error, CustomStringConvertible {
        let description: String
    }

    private static func locate() -> Result<Tools, SetupError> {
        let fm = FileManager.default
        let bench = benchFolder
        let gen = bench.appendingPathComponent("gen.py").path
        let script = bench.appendingPathComponent("bench_duckdb.py").path
        guard fm.fileExists(atPath: gen), fm.fileExists(atPath: script) else {
            return .failure(SetupError(description: "the peer benchmark kit is not at \(bench.path) (gen.py, bench_duckdb.py); set PROSPER_SHARED_BENCH"))
        }
        guard let python = which("python3") else {
            return .failure(SetupError(description: "python3 is not on PATH"))
        }
        let venv = packageRoot.appendingPathComponent(".bench/venv")
        let venvPython = venv.appendingPathComponent("bin/python").path
        if let ok = try? run(venvPython, ["-c", "import duckdb"]), ok.status == 0 {
            return .success(Tools(python: python, venvPython: venvPython, gen: gen, duckdbScript: script))
        }
        // Create the venv (or repair it) and install duckdb, as .ci/run does.
        var log = ""
        do {
            if !fm.isExecutableFile(atPath: venvPython) {
                try fm.createDirectory(at: venv.deletingLastPathComponent(), withIntermediateDirectories: true)
                let r = try run(python, ["-m", "venv", venv.path])
                log += r.stderr
                guard r.status == 0 else {
                    return .failure(SetupError(description: "cannot create the venv \(venv.path) (python3 -m venv): \(r.stderr.suffix(500))"))
                }
            }
            let pip = try run(venvPython, ["-m", "pip", "install", "--quiet", "duckdb"])
            log += pip.stderr
            let check = try run(venvPython, ["-c", "import duckdb"])
            guard check.status == 0 else {
                return .failure(SetupError(description: "duckdb cannot be installed into \(venv.path) (pip install duckdb): \(log.suffix(800))"))
            }
        } catch {
            return .failure(SetupError(description: "cannot set up \(venv.path): \(error)"))
        }
        return .success(Tools(python: python, venvPython: venvPython, gen: gen, duckdbScript: script))
    }

    static func which(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for dir in path.split(separator: ":") {
            let p = "\(dir)/\(name)"
            if FileManager.default.isExecutableFile(atPath: p) { return p }
        }
        return nil
    }

    struct RunResult {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    /// Runs a program to completion; output goes through temporary files, so a large
    /// output cannot block on a full pipe.
    static func run(_ executable: String, _ arguments: [String], cwd: URL? = nil) throws -> RunResult {
        let fm = FileManager.default
        let tmp = fm.temporaryDirectory.appendingPathComponent("prosper-diff-io-\(UUID().uuidString)")
        try fm.createDirectory(at: tmp, withIntermediateDirectories: true)
        defer { try? fm.removeItem(at: tmp) }
        let outURL = tmp.appendingPathComponent("out"), errURL = tmp.appendingPathComponent("err")
        fm.createFile(atPath: outURL.path, contents: nil)
        fm.createFile(atPath: errURL.path, contents: nil)
        let out = try FileHandle(forWritingTo: outURL), err = try FileHandle(forWritingTo: errURL)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable)
        p.arguments = arguments
        if let cwd { p.currentDirectoryURL = cwd }
        p.standardOutput = out
        p.standardError = err
        p.standardInput = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        try out.close()
        try err.close()
        return RunResult(status: p.terminationStatus,
                         stdout: (try? String(contentsOf: outURL, encoding: .utf8)) ?? "",
                         stderr: (try? String(contentsOf: errURL, encoding: .utf8)) ?? "")
    }
}
