import ArgumentParser
import Dispatch
import ProsperServe

/// `prosper-rules serve`: the project's dashboard and JSON API over HTTP, recomputed when
/// its rule files, project file or data change, pushed to open pages (docs/serve.md).
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the dashboard and a JSON API of the project, following edits of its rules and data.",
        discussion: "Routes: / (the dashboard, live), /api/report, /api/check, /api/explain/ID, /api/compare?a=NAME&b=NAME, /events, /healthz. Listens on 127.0.0.1 only unless --host says otherwise; another host needs a token. See docs/serve.md."
    )

    @Option(help: "The port (0: any free port).")
    var port: Int = 8080

    @Option(help: "The address to listen on. Any other than loopback (127.0.0.1, ::1, localhost) needs a token.")
    var host: String = "127.0.0.1"

    @Option(help: "The token every request must carry (Authorization: Bearer T, or ?token=T); with a non-loopback --host and no --token one is generated and printed once.")
    var token: String?

    @Option(help: "The rules folder (default: 'rules:' of prosper.yaml, else rules).")
    var rules: String?

    @Option(help: "How often the files are looked at, in milliseconds.")
    var pollMs: Int = 250

    @OptionGroup var input: DataOptions

    /// A bad --host, --port or --token is a usage error (exit 2), before anything is read.
    func validate() throws {
        if !(10...10_000).contains(pollMs) { throw ValidationError("--poll-ms must be 10…10000, found \(pollMs)") }
        do throws(ServeConfigurationError) {
            _ = try ServeConfiguration(host: host, port: port, token: token)
        } catch {
            throw ValidationError(error.description)
        }
    }

    func run() throws {
        let config: ServeConfiguration
        do throws(ServeConfigurationError) {
            config = try ServeConfiguration(host: host, port: port, token: token)
        } catch {
            Terminal.err("error: \(error.description)\n")
            throw ExitCode(1)
        }
        let project = try ProjectServing(rules: rules, input: input)
        let server = ProsperServer(project: project, configuration: config, pollMilliseconds: pollMs)
        let done = DispatchSemaphore(value: 0)
        let failure = FailureBox()
        Task {
            do {
                try await server.run(stopOnSignals: true) { port in
                    let shownHost = config.host.contains(":") ? "[\(config.host)]" : config.host
                    Terminal.out("listening on http://\(shownHost):\(port)/\n")
                    if config.generatedToken, let token = config.token {
                        Terminal.out("token: \(token) (send 'Authorization: Bearer \(token)', or open http://\(shownHost):\(port)/?token=\(token))\n")
                    }
                }
            } catch let error as ServeConfigurationError {
                failure.set("error: \(error.description)\n")
            } catch {
                failure.set("error: the server stopped: \(error)\n")
            }
            done.signal()
        }
        done.wait()
        if let message = failure.get() {
            Terminal.err(message)
            throw ExitCode(1)
        }
        Terminal.err("serve: stopped\n")
    }
}

/// The message of a server that failed, handed from its task to the command.
final class FailureBox: @unchecked Sendable {
    private var message: String?
    private let lock = DispatchSemaphore(value: 1)
    func set(_ m: String) { lock.wait(); message = m; lock.signal() }
    func get() -> String? { lock.wait(); defer { lock.signal() }; return message }
}
