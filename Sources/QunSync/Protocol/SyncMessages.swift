import QunCore

/// `POST /v2/info` request: what the asking laptop holds (optional), so the server learns it
/// also after a sync that only pulled.
public struct InfoRequest: Codable, Equatable, Sendable {
    public var vector: String?

    public init(vector: String? = nil) { self.vector = vector }
}

/// `POST /v2/info` answer: who the server is and what it holds.
public struct PeerInfo: Codable, Equatable, Sendable {
    public var replica: String
    public var team: String
    public var operatorName: String
    /// The server's schema version: a client with an older one is told to upgrade (unknown
    /// fields still flow through it untouched).
    public var schema: Int
    /// `HEX:SEQ,...`
    public var vector: String
    public var maximumBodyBytes: Int
    /// Per replica (hex): `SEQ:DIGEST`, the history digest up to its contiguous seq
    /// (`HistoryDigest`), so that a client whose vector agrees can tell the histories agree.
    public var digests: [String: String]?

    public init(replica: String, team: String, operatorName: String, schema: Int, vector: String, maximumBodyBytes: Int,
                digests: [String: String]? = nil) {
        self.replica = replica
        self.team = team
        self.operatorName = operatorName
        self.schema = schema
        self.vector = vector
        self.maximumBodyBytes = maximumBodyBytes
        self.digests = digests
    }
}

/// `POST /v2/pull` request: what the client holds and where the previous page ended.
public struct PullRequest: Codable, Equatable, Sendable {
    /// The client's version vector, `HEX:SEQ,...` (may be empty).
    public var vector: String
    /// The `next` cursor of the previous page, `HEX:SEQ`, or nil for the first page.
    public var after: String?
    /// Changes per page, at most `SyncAPI.maximumPageSize`.
    public var limit: Int?

    public init(vector: String, after: String? = nil, limit: Int? = nil) {
        self.vector = vector
        self.after = after
        self.limit = limit
    }
}

/// The head of a pull page's frame (`SealedFrame`): the steering data that protocol 1 sent in
/// clear headers.
public struct PullPageHead: Codable, Equatable, Sendable {
    /// The server's version vector when it answered, `HEX:SEQ,...`.
    public var vector: String
    /// Whether more pages follow.
    public var more: Bool
    /// The cursor (`HEX:SEQ`) to pass as `after` for the next page; nil for an empty page.
    public var next: String?

    public init(vector: String, more: Bool, next: String?) {
        self.vector = vector
        self.more = more
        self.next = next
    }
}

/// The head of a push request's frame: what the pushing laptop holds.
public struct PushHead: Codable, Equatable, Sendable {
    public var vector: String?

    public init(vector: String?) { self.vector = vector }
}

/// `POST /v2/snapshot` request: nothing to say yet (an object, so that it can grow).
public struct SnapshotRequest: Codable, Equatable, Sendable {
    public init() {}
}

/// `POST /v2/push` answer: what the server did with the pushed page.
public struct PushResponse: Codable, Equatable, Sendable {
    public var received: Int
    public var applied: Int
    public var duplicates: Int
    /// Changes stamped too far ahead of the server's clock: held there, not applied.
    public var held: Int
    /// How far ahead the latest held change was, milliseconds (0 when none).
    public var heldAheadMilliseconds: Int64
    /// The server's version vector after the push.
    public var vector: String

    public init(received: Int, applied: Int, duplicates: Int, held: Int, heldAheadMilliseconds: Int64, vector: String) {
        self.received = received
        self.applied = applied
        self.duplicates = duplicates
        self.held = held
        self.heldAheadMilliseconds = heldAheadMilliseconds
        self.vector = vector
    }
}

/// Every 4xx/5xx body: one sentence for the operator. Never record data.
public struct ErrorBody: Codable, Equatable, Sendable {
    public var error: String

    public init(error: String) { self.error = error }
}

extension ChangeID {
    /// Parses the `HEX:SEQ` cursor form.
    public init?(cursor: String) {
        let parts = cursor.split(separator: ":")
        guard parts.count == 2, let replica = ReplicaID(hex: String(parts[0])),
              let seq = Int64(parts[1]), seq >= 0 else { return nil }
        self.init(replica: replica, seq: seq)
    }
}
