import QunCore

/// `GET /v1/info`: who the server is and what it holds.
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

    public init(replica: String, team: String, operatorName: String, schema: Int, vector: String, maximumBodyBytes: Int) {
        self.replica = replica
        self.team = team
        self.operatorName = operatorName
        self.schema = schema
        self.vector = vector
        self.maximumBodyBytes = maximumBodyBytes
    }
}

/// `POST /v1/pull` body: what the client holds and where the previous page ended.
public struct PullRequest: Codable, Equatable, Sendable {
    /// The client's version vector, `HEX:SEQ,...` (may be empty).
    public var vector: String
    /// The `X-Qun-Next` cursor of the previous page, `HEX:SEQ`, or nil for the first page.
    public var after: String?
    /// Changes per page, at most `SyncAPI.maximumPageSize`.
    public var limit: Int?

    public init(vector: String, after: String? = nil, limit: Int? = nil) {
        self.vector = vector
        self.after = after
        self.limit = limit
    }
}

/// `POST /v1/push` response: what the server did with the pushed page.
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
