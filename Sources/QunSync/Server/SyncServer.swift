import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import NIOCore
import NIOPosix
import QunStore
import ServiceLifecycle

/// `qun serve`: the HTTP sync endpoint of one store (see `SyncAPI` and
/// `schema/sync-api.json`).
///
/// A Hummingbird `Router` with four small handlers (`SyncEndpoints`) behind one middleware
/// that authenticates every request and signs every answer (`AuthenticationMiddleware`).
/// It listens on 127.0.0.1 unless told otherwise. Whoever can reach the port but lacks the
/// team secret gets 401 and sealed bytes at most; a holder of the secret can read and write
/// the whole store.
public struct SyncServer: Sendable {
    public let store: Store
    public let host: String
    public let port: Int
    /// HTTPS with these files; plain HTTP when nil. Payloads are sealed either way.
    public let tls: TLSFiles?
    /// The most changes of unknown operations kept from one origin replica
    /// (`SyncAPI.maximumUnknownPerReplica`; lower only to test the bound).
    public var maximumUnknownPerReplica = SyncAPI.maximumUnknownPerReplica

    /// How long a graceful shutdown (SIGINT, SIGTERM) waits for requests in flight before it
    /// cancels them. A push in flight is one transaction: cancelled, it leaves nothing behind.
    public static let shutdownGracePeriod: Duration = .seconds(10)

    /// How long a connection may stay idle before the server closes it.
    public static let idleTimeout: TimeAmount = .seconds(60)

    public init(store: Store, host: String = "127.0.0.1", port: Int = 7420, tls: TLSFiles? = nil) {
        self.store = store
        self.host = host
        self.port = port
        self.tls = tls
    }

    /// Serves until SIGINT or SIGTERM (then shuts down gracefully and returns) or until the
    /// calling task is cancelled.
    ///
    /// - Parameter onListening: called once with the port actually bound (useful with port
    ///   0, which picks a free one).
    /// - Throws: `SyncServerError.addressInUse` when the port is taken, `.tlsFiles` for
    ///   unusable TLS files, `StoreError.noTeam` for a store that belongs to no team.
    public func run(onListening: @escaping @Sendable (Int) -> Void) async throws {
        let watch = StoreWatch(store: store)
        let application = try makeApplication(watch: watch, onListening: onListening)
        var configuration = ServiceGroupConfiguration(
            services: [application, StoreWatch.Service(watch: watch)], gracefulShutdownSignals: [.sigterm, .sigint],
            logger: Self.logger)
        configuration.maximumGracefulShutdownDuration = Self.shutdownGracePeriod
        do {
            try await ServiceGroup(configuration: configuration).run()
        } catch let error as IOError where error.errnoCode == EADDRINUSE {
            throw SyncServerError.addressInUse(host: host, port: port)
        } catch let error as IOError where error.errnoCode == EADDRNOTAVAIL {
            throw SyncServerError.addressNotAvailable(host: host)
        }
    }

    /// The Hummingbird application, for callers (and tests) that run it in their own
    /// `ServiceGroup` or task: `try await makeApplication { port in ... }.run()` serves until
    /// the task is cancelled.
    public func makeApplication(onListening: @escaping @Sendable (Int) -> Void) throws -> some ApplicationProtocol {
        try makeApplication(watch: StoreWatch(store: store), onListening: onListening)
    }

    func makeApplication(watch: StoreWatch, onListening: @escaping @Sendable (Int) -> Void) throws -> some ApplicationProtocol {
        guard let team = store.identity.team else { throw StoreError.noTeam }
        let logger = Self.logger
        let router = Router(context: SyncRequestContext.self)
        // On the router itself, so that it also guards the not-found answer: without the
        // secret, no path answers anything but 401.
        let store = self.store
        router.add(middleware: AuthenticationMiddleware(
            signer: SyncSigner(team: team),
            access: {
                try await NIOThreadPool.singleton.runIfActive {
                    TeamAccess(roster: try store.roster(), ring: try KeyRing(store: store), inviteKeys: try store.inviteKeys())
                }
            },
            replays: ReplayGuard(), bodies: BodyBudget(),
            store: watch, clock: store.now, logger: logger))
        SyncEndpoints(store: store, maximumUnknownPerReplica: maximumUnknownPerReplica).register(on: router)
        let port = self.port
        // A connection left idle is closed, so that silent peers cannot pile them up.
        let http: HTTPServerBuilder = .http1(configuration: .init(idleTimeout: Self.idleTimeout))
        return Application(
            router: router,
            server: try tls.map { try .tls(http, tlsConfiguration: try $0.serverConfiguration()) } ?? http,
            configuration: .init(address: .hostname(host, port: port), serverName: nil),
            onServerRunning: { channel in onListening(channel.localAddress?.port ?? port) },
            logger: logger)
    }

    /// Warnings and errors only (a refused request is `info`); `LOG_LEVEL` overrides.
    static var logger: Logger {
        var logger = Logger(label: "qun.serve")
        logger.logLevel = ProcessInfo.processInfo.environment["LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .warning
        return logger
    }
}

/// Why the server could not start.
public enum SyncServerError: Error, Equatable, CustomStringConvertible {
    case addressInUse(host: String, port: Int)
    case addressNotAvailable(host: String)
    case tlsFiles(path: String, reason: String)
    case storeGone(path: String)

    public var description: String {
        switch self {
        case .addressInUse(let host, let port):
            return "cannot listen on \(host):\(port): the port is in use (another `qun serve`?); stop it, or pick another port with --listen \(host):PORT"
        case .addressNotAvailable(let host):
            return "cannot listen on \(host): this laptop has no such address; use 127.0.0.1, or 0.0.0.0 for every network interface"
        case .storeGone(let path):
            return "the store \(path) was deleted or replaced while `qun serve` ran: stopped serving (nothing more was accepted); start `qun serve` again on the store where it is now"
        case .tlsFiles(let path, let reason):
            return "cannot serve HTTPS with \(path): \(reason); give the PEM files of a certificate and its key with --tls-cert and --tls-key"
        }
    }
}
