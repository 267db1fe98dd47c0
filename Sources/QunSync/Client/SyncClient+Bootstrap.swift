import AsyncHTTPClient
import Foundation
import NIOPosix
import QunCore
import QunStore

/// What `SyncClient.bootstrap` made.
public struct BootstrapReport: Sendable {
    /// The new store, with its own replica id.
    public var store: Store
    /// The inviting laptop, registered as a peer.
    public var peer: Peer
    /// The inviting laptop's info at the time of the snapshot.
    public var peerInfo: PeerInfo
    /// Size of the downloaded snapshot.
    public var snapshotBytes: Int64
}

extension SyncClient {
    /// Creates a new store in `directory` from a snapshot of the peer named in `invite`, so
    /// that a new laptop starts with the team's data instead of replaying the whole log, and
    /// registers that peer (under its operator's name, see `PeerName`).
    ///
    /// The snapshot is streamed to a private temporary directory (owner-only: it holds the team
    /// secret), its signature checked over every byte, and removed afterwards. The new store
    /// gets a fresh replica id and this laptop's operator name (`Store.create(fromSnapshot:)`).
    /// Nothing is left in `directory` if any step fails before the store is created.
    ///
    /// The requests are signed for a throwaway replica id: the store's own id does not exist
    /// before the snapshot arrives, and info and snapshot requests record nothing about the
    /// requester on the peer.
    public static func bootstrap(
        invite: TeamInvite, at directory: URL, operatorName: String, http: HTTPClient,
        now: @escaping @Sendable () -> Int64 = Store.systemClock
    ) async throws -> BootstrapReport {
        guard let url = invite.url else { throw SyncClientError.inviteWithoutURL }
        if FileManager.default.fileExists(atPath: directory.appendingPathComponent(Store.databaseFileName).path) {
            throw StoreError.alreadyExists(path: directory.path)
        }
        var connection = try SyncConnection(url: url, team: invite.team, replica: .random(), http: http, clock: now)
        var laptop: (replica: ReplicaID, key: LaptopKey)?
        if let token = invite.token {
            let (redeemed, made) = try await redeem(token, invite: invite, url: url, operatorName: operatorName, http: http, now: now)
            connection = redeemed
            laptop = made
        }
        let joined = laptop
        let info = try await connection.info()
        guard info.team == invite.team.id.hex else { throw SyncClientError.notOfTeam(url: url) }
        guard let peerReplica = ReplicaID(hex: info.replica), let peerVector = VersionVector(parsing: info.vector) else {
            throw SyncClientError.malformedAnswer(url: url, reason: "malformed replica id or vector in its info")
        }

        let staging = FileManager.default.temporaryDirectory
            .appendingPathComponent("qun-join-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(
            at: staging, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        defer { try? FileManager.default.removeItem(at: staging) }
        let file = staging.appendingPathComponent("snapshot.sqlite")
        let bytes = try await connection.snapshot(to: file)

        let name = PeerName.suggested(forOperator: info.operatorName)
        let (store, peer) = try await NIOThreadPool.singleton.runIfActive { () throws -> (Store, Peer) in
            let store = try Store.create(
                fromSnapshot: file, at: directory, operatorName: operatorName, expectedTeam: invite.team.id,
                laptop: joined, now: now)
            let peer = try store.addPeer(name: name, url: url)
            // The snapshot holds at least what the peer's info showed just before it.
            try store.recordPeerKnowledge(peerReplica, vector: peerVector)
            try store.recordSync(peer: name, replica: peerReplica)
            return (store, try store.peer(named: peer.name))
        }
        return BootstrapReport(store: store, peer: peer, peerInfo: info, snapshotBytes: bytes)
    }
}

extension SyncClient {
    /// Redeems a `qun2` invite at the issuing laptop: makes this laptop's replica id and key
    /// pair, has the admin enter them into the roster, and opens the team secret and current
    /// data key it answers with (sealed to the new key pair). Returns a connection that signs
    /// with the new laptop key.
    static func redeem(
        _ token: [UInt8], invite: TeamInvite, url: String, operatorName: String, http: HTTPClient,
        now: @escaping @Sendable () -> Int64
    ) async throws -> (SyncConnection, (replica: ReplicaID, key: LaptopKey)) {
        let replica = ReplicaID.random()
        let key = LaptopKey.generate()
        let inviteKey = TeamKeys.inviteKey(token)
        let joining = try SyncConnection(url: url, team: invite.team, replica: replica, http: http,
                                         credentials: .invite(key: inviteKey, id: Store.inviteID(key: inviteKey)), clock: now)
        let answer = try await joining.join(JoinRequest(
            replica: replica.hex, name: operatorName, sign: key.signingPublicKey.hexString, agree: key.agreementPublicKey.hexString))
        guard let secret = answer.secret.open(purpose: "secret", team: invite.teamID, recipient: replica, with: key),
              let data = answer.key.open(purpose: "epoch \(answer.epoch)", team: invite.teamID, recipient: replica, with: key)
        else { throw SyncClientError.malformedAnswer(url: url, reason: "its join answer does not open with this laptop's key") }
        let team = Store.Team(id: invite.teamID, secret: secret)
        let connection = try SyncConnection(url: url, team: team, replica: replica, http: http,
                                            credentials: .laptop(key, open: false),
                                            ring: KeyRing(team: team, keys: [answer.epoch: data]), clock: now)
        return (connection, (replica, key))
    }
}

/// Peer names made from operator names.
public enum PeerName {
    /// `qun peer` names are one word; this one is typed in `qun sync NAME`, so it is kept to
    /// lowercase ASCII: "Wang Lei" → "wang-lei", "Zoë" → "zoe", "王Wang" → "wang". A name
    /// with nothing ASCII in it (林晓) gives `fallback`.
    public static func suggested(forOperator operatorName: String, fallback: String = "origin") -> String {
        let folded = operatorName.folding(options: [.diacriticInsensitive, .widthInsensitive], locale: nil).lowercased()
        var name = ""
        var separate = false
        for scalar in folded.unicodeScalars {
            let isWordCharacter = scalar.isASCII
                && (("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) || scalar == "_" || scalar == ".")
            if isWordCharacter {
                if separate && !name.isEmpty { name.append("-") }
                separate = false
                name.unicodeScalars.append(scalar)
            } else if scalar.properties.isWhitespace || scalar == "-" {
                separate = true
            }
            if name.count >= 32 { break }
        }
        while name.hasSuffix(".") || name.hasSuffix("-") { name.removeLast() }
        return name.isEmpty ? fallback : name
    }
}
