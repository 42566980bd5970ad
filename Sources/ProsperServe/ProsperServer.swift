import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import UnixSignals

/// `prosper-rules serve`: the dashboard and JSON API of one project over HTTP, following
/// edits of its files (docs/serve.md).
///
/// ```swift
/// let server = ProsperServer(project: myProject, configuration: try ServeConfiguration(port: 8080))
/// try await server.run(onListening: { port in print("listening on \(port)") })
/// ```
///
/// The results are computed on a background thread (first at start, then on every change
/// of the watched files) and published as one immutable snapshot; requests only read the
/// current snapshot. Prints nothing: the caller reports the port and the token.
package final class ProsperServer: Sendable {
    package let configuration: ServeConfiguration
    let state: ServedState
    let broadcaster = EventBroadcaster()
    let loop: ComputeLoop

    /// `pollMilliseconds`: how often the watched files are looked at.
    package init(project: any ServedProject, configuration: ServeConfiguration, pollMilliseconds: Int = 250) {
        self.configuration = configuration
        state = ServedState(token: configuration.token)
        loop = ComputeLoop(project: project, state: state, broadcaster: broadcaster, intervalMilliseconds: pollMilliseconds)
    }

    /// What the server serves now.
    package var snapshot: ServedSnapshot { state.current }

    /// Listens until the task is cancelled (or, `stopOnSignals`, SIGINT or SIGTERM arrives), then stops
    /// cleanly (open event streams are ended). `onListening` gets the port (the one
    /// chosen when the configuration says 0). A port in use or an address that cannot be
    /// bound throws ``ServeConfigurationError/cannotListen(host:port:reason:)``.
    package func run(stopOnSignals: Bool = false, onListening: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        let logger = Logger(label: "prosper-serve", factory: { _ in SwiftLogNoOpLogHandler() })
        let responder = ServeResponder(state: state, broadcaster: broadcaster, token: configuration.token,
                                       heartbeat: .milliseconds(configuration.heartbeatMilliseconds), gzipMinimumBytes: configuration.gzipMinimumBytes)
        let app = Application(
            responder: responder,
            configuration: ApplicationConfiguration(address: .hostname(configuration.host, port: configuration.port), serverName: nil, reuseAddress: true),
            onServerRunning: { channel in await onListening(channel.localAddress?.port ?? 0) },
            logger: logger
        )
        let watcher = WatcherService(loop: loop, broadcaster: broadcaster)
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(
            services: [
                .init(service: app),
                .init(service: watcher, successTerminationBehavior: .gracefullyShutdownGroup),
            ],
            gracefulShutdownSignals: stopOnSignals ? [UnixSignal.sigint, .sigterm] : [],
            logger: logger
        ))
        do {
            try await group.run()
        } catch let error as IOError {
            throw ServeConfigurationError.cannotListen(host: configuration.host, port: configuration.port, reason: Self.reason(error))
        } catch let error as SocketAddressError {
            throw ServeConfigurationError.cannotListen(host: configuration.host, port: configuration.port, reason: "\(error)")
        } catch let error as ServiceGroupError {
            throw ServeConfigurationError.cannotListen(host: configuration.host, port: configuration.port, reason: "\(error)")
        }
    }

    static func reason(_ error: IOError) -> String {
        switch error.errnoCode {
        case 98, 48: return "the address is already in use (another server on this port? try --port 0 for any free one)"
        case 99, 49: return "the address is not one of this machine's"
        case 13: return "permission denied (ports below 1024 need privileges)"
        default: return "\(error)"
        }
    }
}

/// Runs the compute loop beside the HTTP server; on shutdown stops it and ends the
/// event streams, so the server can finish its requests and exit.
struct WatcherService: Service {
    let loop: ComputeLoop
    let broadcaster: EventBroadcaster

    func run() async throws {
        loop.start()
        try? await gracefulShutdown()
        loop.stop()
        broadcaster.finish()
    }
}
