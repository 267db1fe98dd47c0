import AsyncHTTPClient
import Foundation
import NIOCore
import NIOPosix
import NIOSSL
import QunCore
import QunStore

/// `qun sync`: two-way sync of one store with one peer over HTTP (see `SyncAPI`).
///
/// A sync is rounds of
///
/// 1. **pull**: pages of what this laptop lacks, each page applied in its own transaction
///    (`Store.apply`), so a sync killed at any moment keeps every page it applied and the
///    next sync resumes from the vector — nothing acknowledged is lost, nothing is applied
///    twice;
/// 2. **push**: pages of what the peer lacks, computed from its vector, each applied there
///    in one transaction;
/// 3. **compare**: the peer's vector again. Writers on either side may have added changes
///    meanwhile, so rounds repeat while the two differ and something moved, up to
///    `maximumRounds`.
///
/// Changes held back by the clock-skew guard (on either side) do not count as differences:
/// they were delivered, and stay held until the clock catches up or the operator accepts
/// them (`acceptSkew`).
public struct SyncClient: Sendable {
    public let store: Store
    public let connection: SyncConnection
    /// The registered peer this sync is with (its last sync is recorded), or nil for a URL.
    public let peerName: String?
    /// Changes per page each way.
    public var pageSize = SyncAPI.defaultPageSize
    /// Pull/push rounds before giving up on catching a peer that keeps writing.
    public var maximumRounds = 5

    public init(store: Store, url: String, peerName: String? = nil, http: HTTPClient) throws {
        guard let team = store.identity.team else { throw StoreError.noTeam }
        self.store = store
        self.peerName = peerName
        let credentials: SyncConnection.Credentials = try store.identity.laptopKey.map {
            .laptop($0, open: !(try store.roster().isLocked))
        } ?? .teamSecret
        connection = try SyncConnection(url: url, team: team, replica: store.identity.replica, http: http,
                                        credentials: credentials, ring: try KeyRing(store: store), clock: store.now)
    }

    /// A client for a registered peer.
    public init(store: Store, peer: Peer, http: HTTPClient) throws {
        try self.init(store: store, url: peer.url, peerName: peer.name, http: http)
    }

    public var url: String { connection.url }

    // MARK: - The endpoints, one request each

    public func info() async throws -> PeerInfo {
        try await connection.info()
    }

    public func pullPage(vector: VersionVector, after cursor: ChangeID?, limit: Int) async throws -> PulledPage {
        try await connection.pullPage(vector: vector, after: cursor, limit: limit)
    }

    /// Pushes `changes`, telling the peer this store's current vector.
    public func pushPage(changes: [Change], maximumBodyBytes: Int = SyncAPI.maximumBodyBytes) async throws -> PushResponse {
        let vector = try await onStore { try $0.versionVector() }
        return try await connection.pushPage(changes, vector: vector, maximumBodyBytes: maximumBodyBytes)
    }

    @discardableResult
    public func snapshot(to file: URL) async throws -> Int64 {
        try await connection.snapshot(to: file)
    }

    // MARK: - Two-way sync

    /// Syncs both ways until both sides hold the same changes (or `maximumRounds`).
    ///
    /// - Parameters:
    ///   - acceptSkew: apply changes stamped far ahead of this laptop's clock instead of
    ///     holding them, and release those held before: the operator's decision.
    ///   - progress: called after every page with how far the current phase is.
    public func sync(
        acceptSkew: Bool = false, progress: (@Sendable (SyncProgress) -> Void)? = nil
    ) async throws -> SyncReport {
        let clock = ContinuousClock()
        let started = clock.now
        var report = SyncReport(peer: peerName ?? url, url: url)
        if acceptSkew {
            report.add(try await onStore { try $0.acceptHeldChanges() })
        }

        // The roster first: who may write, and the key of a new epoch if a teammate was
        // removed, before any data moves.
        let roster = try await exchangeRoster()
        // What the peer held of the roster is pushed again with the data, and counted there.
        report.add(roster: roster.applied, sentApplied: roster.peerApplied)
        var info = try await connection.info()
        let peerReplica = try identify(info)
        report.peerReplica = peerReplica
        report.peerOperator = info.operatorName
        let localSchema = try await onStore { try $0.schemaVersion() }
        report.notes += Self.schemaNotes(peer: report.peer, peerSchema: info.schema, localSchema: localSchema)
        if let offset = connection.clockCorrection.adopted {
            report.notes.append(Self.clockNote(peer: report.peer, offset: offset))
        }

        var peerVector = try vector(info.vector, "the vector in its info")
        // What this sync pushed, per origin replica: never pushed twice, even when the peer
        // holds it back (its vector then does not show it).
        var sent = VersionVector()
        var settled = false
        while report.rounds < max(1, maximumRounds) {
            report.rounds += 1
            var moved = false

            let wanted = try await onStore { try Self.vectorIncludingHeld($0) }
            if !wanted.dominates(peerVector) {
                moved = try await pull(
                    vector: wanted, peerVector: &peerVector, acceptSkew: acceptSkew, report: &report, progress: progress)
            }

            let local = try await onStore { try $0.versionVector() }
            let known = peerVector.merged(with: sent)
            if !known.dominates(local) {
                // The peer's own limit; a nonsensical one falls back to the protocol's.
                let bodyLimit = info.maximumBodyBytes >= 64 * 1024 ? info.maximumBodyBytes : SyncAPI.maximumBodyBytes
                let pushed = try await push(
                    since: known, local: local, maximumBodyBytes: bodyLimit,
                    peerVector: &peerVector, sent: &sent, report: &report, progress: progress)
                moved = pushed || moved
            }

            let holding = try await onStore { try $0.versionVector() }
            info = try await connection.info(holding: holding)
            guard try identify(info) == peerReplica else {
                throw SyncClientError.malformedAnswer(url: url, reason: "the peer's replica id changed during the sync")
            }
            peerVector = try vector(info.vector, "the vector in its info")
            let (wantedNow, localNow) = try await onStore { (try Self.vectorIncludingHeld($0), try $0.versionVector()) }
            if wantedNow.dominates(peerVector) && peerVector.merged(with: sent).dominates(localNow) {
                settled = true
                break
            }
            if !moved { break }
        }
        if !settled {
            report.notes.append("\(report.peer) and this laptop still differ after \(report.rounds) round\(report.rounds == 1 ? "" : "s") (someone kept writing during the sync?): run `qun sync` again to pick up the rest")
        }

        let finalVector = peerVector
        let peerName = peerName
        report.stillHeld = try await onStore { store in
            try store.recordPeerKnowledge(peerReplica, vector: finalVector)
            if let peerName { try store.recordSync(peer: peerName, replica: peerReplica) }
            return try store.heldChanges().count
        }
        // Equal vectors say both hold as many changes of each replica; the digests say whether
        // they are the same ones (a change forged under a teammate's id and the real one would
        // otherwise never meet).
        if let digests = info.digests {
            let label = peerName ?? url
            let forks = try await onStore { try $0.recordForks(against: digests, peer: label) }
            if !forks.isEmpty {
                throw SyncClientError.forkedHistory(url: url, replicas: forks.map { "\($0.replica.hex.prefix(8)):\($0.seq)" })
            }
        }
        let elapsed = (clock.now - started).components
        report.durationMilliseconds = elapsed.seconds * 1000 + elapsed.attoseconds / 1_000_000_000_000_000
        return report
    }

    /// Pulls every page a holder of `vector` lacks, applying each in its own transaction.
    ///
    /// `vector` stays the same for all pages: the cursor (`after`) is a position in the
    /// answer to that one question. Returns whether anything new was applied.
    private func pull(
        vector: VersionVector, peerVector: inout VersionVector, acceptSkew: Bool, report: inout SyncReport,
        progress: (@Sendable (SyncProgress) -> Void)?
    ) async throws -> Bool {
        let total = Self.count(of: peerVector, beyond: vector)
        var done = 0
        var moved = false
        let connection = connection
        let pageSize = pageSize
        // The next page is requested before this one is applied: the peer reads and encodes
        // page N+1 while this laptop writes page N. Pages are still applied in order, each in
        // its own transaction.
        var pending = Task { try await connection.pullPage(vector: vector, after: nil, limit: pageSize) }
        while true {
            let page = try await pending.value
            if page.more, let next = page.next {
                pending = Task { try await connection.pullPage(vector: vector, after: next, limit: pageSize) }
            }
            if !page.changes.isEmpty {
                let changes = page.changes
                let applied: ApplyReport
                do {
                    applied = try await onStore { try $0.apply(changes, acceptSkew: acceptSkew) }
                } catch {
                    pending.cancel()
                    throw error
                }
                report.add(applied)
                report.pagesReceived += 1
                moved = moved || applied.applied + applied.released > 0
                done += changes.count
                progress?(SyncProgress(peer: report.peer, phase: .receiving, done: done, total: max(total, done)))
            }
            peerVector = peerVector.merged(with: page.vector)
            guard page.more, page.next != nil else { return moved }
        }
    }

    /// Pushes, page by page, what a holder of `known` lacks. Returns whether the peer
    /// applied anything new.
    private func push(
        since known: VersionVector, local: VersionVector, maximumBodyBytes: Int, peerVector: inout VersionVector,
        sent: inout VersionVector, report: inout SyncReport, progress: (@Sendable (SyncProgress) -> Void)?
    ) async throws -> Bool {
        let total = Self.count(of: local, beyond: known)
        let pageSize = pageSize
        var cursor: ChangeID?
        var done = 0
        var moved = false
        while true {
            let after = cursor
            let changes = try await onStore { try $0.changes(since: known, after: after, limit: pageSize, wholeBlocks: true, maximumBytes: SyncAPI.pageBytes) }
            guard let last = changes.last else { return moved }
            let response = try await connection.pushPage(changes, vector: local, maximumBodyBytes: maximumBodyBytes)
            report.sent += response.applied
            report.heldByPeer += response.held
            report.heldByPeerAheadMilliseconds = max(report.heldByPeerAheadMilliseconds, response.heldAheadMilliseconds)
            report.pagesSent += 1
            moved = moved || response.applied > 0
            for change in changes where change.id.seq > sent[change.id.replica] {
                sent[change.id.replica] = change.id.seq
            }
            peerVector = peerVector.merged(with: try vector(response.vector, "the vector in its push answer"))
            done += changes.count
            progress?(SyncProgress(peer: report.peer, phase: .sending, done: done, total: max(total, done)))
            if changes.count < pageSize { return moved }
            cursor = last.id
        }
    }

    /// The peer's replica id, once its info says it is of this team and not this store.
    private func identify(_ info: PeerInfo) throws -> ReplicaID {
        // A signed answer is from a holder of the team key, which is bound to the team id;
        // checked anyway, as the protocol states it.
        guard info.team == connection.team.id.hex else { throw SyncClientError.notOfTeam(url: url) }
        guard let replica = ReplicaID(hex: info.replica) else {
            throw SyncClientError.malformedAnswer(url: url, reason: "malformed replica id in its info")
        }
        guard replica != store.identity.replica else { throw SyncClientError.sameStore(url: url) }
        return replica
    }

    private func vector(_ text: String, _ what: String) throws -> VersionVector {
        guard let vector = VersionVector(parsing: text) else {
            throw SyncClientError.malformedAnswer(url: url, reason: "malformed \(what)")
        }
        return vector
    }

    /// Notes about a peer on another schema version. Unknown fields pass through either way.
    static func schemaNotes(peer: String, peerSchema: Int, localSchema: Int) -> [String] {
        if peerSchema > localSchema {
            return ["\(peer) runs a newer qun (schema \(peerSchema)): upgrade soon; its new fields pass through untouched"]
        }
        if peerSchema < localSchema {
            return ["\(peer) runs an older qun (schema \(peerSchema)): ask them to upgrade; fields it does not know pass through it untouched"]
        }
        return []
    }

    /// This store's vector, extended over the held changes that continue it: what not to
    /// download again. (They are in the held table, waiting for this clock; the store's own
    /// vector, which peers are told, does not include them.)
    static func vectorIncludingHeld(_ store: Store) throws -> VersionVector {
        var vector = try store.versionVector()
        let held = try store.heldChanges().map(\.change.id).sorted()
        for id in held where id.seq == vector[id.replica] + 1 {
            vector[id.replica] = id.seq
        }
        return vector
    }

    /// How many changes `vector` covers that `base` does not.
    static func count(of vector: VersionVector, beyond base: VersionVector) -> Int {
        Int(vector.entries.reduce(Int64(0)) { $0 + max(0, $1.value - base[$1.key]) })
    }

    /// Store work (synchronous SQLite that may wait for another process's write lock) runs
    /// on NIO's blocking pool, not on Swift's cooperative threads (two on a two-core laptop,
    /// shared with the in-process server in tests).
    func onStore<T: Sendable>(_ body: @escaping @Sendable (Store) throws -> T) async throws -> T {
        let store = store
        return try await NIOThreadPool.singleton.runIfActive { try body(store) }
    }
}

extension SyncClient {
    /// Said when the peer refused this laptop's request time and the sync went on with the
    /// peer's: the two clocks are far apart, and one of them is wrong.
    static func clockNote(peer: String, offset: Int64) -> String {
        let side = offset > 0 ? "behind" : "ahead of"
        return "this laptop's clock is \(DurationText.describe(milliseconds: abs(offset))) \(side) \(peer)'s: the sync stamped its requests with \(peer)'s time, but changes keep this clock, and teammates hold back those stamped far ahead; set the clock right on whichever laptop is wrong"
    }

    /// An `HTTPClient` set up for peers: its own connection pool on the shared event loops,
    /// connect and read timeouts, no redirects, no automatic decompression (the signature
    /// covers the body as sent), and no connection retries — a refused connection means
    /// `qun serve` is not running and should be said at once, not after the connect timeout.
    ///
    /// - Parameter trustedCertificates: a PEM file of certificates to trust for `https://`
    ///   peers besides the system's (a team's own hub certificate); nil for the system's only.
    /// - Throws: `SyncClientError.untrustedCertificates` when that file is unusable.
    public static func makeHTTPClient(trustedCertificates: String? = nil) throws -> HTTPClient {
        var configuration = HTTPClient.Configuration(
            timeout: .init(connect: .seconds(5), read: .seconds(120)),
            decompression: .disabled)
        if let trustedCertificates {
            let certificates: [NIOSSLCertificate]
            do {
                certificates = try NIOSSLCertificate.fromPEMFile(trustedCertificates)
            } catch {
                throw SyncClientError.untrustedCertificates(path: trustedCertificates, reason: "not a readable PEM file (\(error))")
            }
            guard !certificates.isEmpty else {
                throw SyncClientError.untrustedCertificates(path: trustedCertificates, reason: "it holds no certificate")
            }
            var tls = TLSConfiguration.makeClientConfiguration()
            tls.additionalTrustRoots = [.certificates(certificates)]
            configuration.tlsConfiguration = tls
        }
        configuration.redirectConfiguration = .disallow
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.httpVersion = .http1Only
        return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }

    /// Runs `body` with an `HTTPClient` from `makeHTTPClient()` and shuts it down afterwards,
    /// whether `body` succeeded or threw.
    public static func withHTTPClient<T: Sendable>(
        trustedCertificates: String? = nil, _ body: (HTTPClient) async throws -> T
    ) async throws -> T {
        let http = try makeHTTPClient(trustedCertificates: trustedCertificates)
        let result: Result<T, any Error>
        do {
            result = .success(try await body(http))
        } catch {
            result = .failure(error)
        }
        try await http.shutdown()
        return try result.get()
    }
}
