import AsyncHTTPClient
import Foundation
import Logging
import QunCore
import QunStore
@testable import QunSync
import ServiceLifecycle
import XCTest

/// Base class of the client tests: real `SyncServer`s on 127.0.0.1 (port 0), each in its
/// own `ServiceGroup`, shut down gracefully in `tearDown` (as on SIGTERM), and
/// one `HTTPClient` set up as `qun sync` sets it up, shut down in `tearDown`.
class ClientTestCase: SyncTestCase {
    private var servers: [(group: ServiceGroup, task: Task<Void, any Error>)] = []
    private var httpClient: HTTPClient?

    /// The HTTP client of this test (made on first use).
    var http: HTTPClient {
        if let httpClient { return httpClient }
        let client = try! SyncClient.makeHTTPClient()
        httpClient = client
        return client
    }

    override func tearDown() async throws {
        // A graceful shutdown, as `qun serve` does on SIGTERM.
        for server in servers { await server.group.triggerGracefulShutdown() }
        for server in servers { _ = await server.task.result }
        servers.removeAll()
        try await httpClient?.shutdown()
        httpClient = nil
        try await super.tearDown()
    }

    /// Serves `store` and returns its URL.
    func serve(_ store: Store) async throws -> String {
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let application = try SyncServer(store: store, host: "127.0.0.1", port: 0).makeApplication { port in
            continuation.yield(port)
            continuation.finish()
        }
        let group = ServiceGroup(services: [application], logger: Logger(label: "qun.client-tests"))
        servers.append((group, Task {
            defer { continuation.finish() }
            try await group.run()
        }))
        for await port in ports {
            return "http://127.0.0.1:\(port)"
        }
        XCTFail("the test server did not start on 127.0.0.1 (its service group ended before reporting a port)")
        throw ServerDidNotStart()
    }

    /// A client syncing `store` with the peer at `url`.
    func client(_ store: Store, _ url: String, peer: String? = nil, pageSize: Int = SyncAPI.defaultPageSize) throws -> SyncClient {
        var client = try SyncClient(store: store, url: url, peerName: peer, http: http)
        client.pageSize = pageSize
        return client
    }

    /// Syncs `store` with the peer at `url` once.
    @discardableResult
    func sync(
        _ store: Store, with url: String, peer: String? = nil, pageSize: Int = SyncAPI.defaultPageSize,
        acceptSkew: Bool = false
    ) async throws -> SyncReport {
        try await client(store, url, peer: peer, pageSize: pageSize).sync(acceptSkew: acceptSkew)
    }

    /// Runs `body`, expecting it to throw a `SyncClientError`, and returns that error.
    func syncClientError<T>(
        file: StaticString = #filePath, line: UInt = #line, _ body: () async throws -> T
    ) async -> SyncClientError? {
        do {
            _ = try await body()
            XCTFail("expected a SyncClientError, got success", file: file, line: line)
        } catch let error as SyncClientError {
            return error
        } catch {
            XCTFail("expected a SyncClientError, got \(type(of: error)): \(error)", file: file, line: line)
        }
        return nil
    }
}
