import QunStore
/// The HTTP sync protocol, version 2 ("sealed"): paths, headers and limits shared by
/// `qun serve` and `qun sync`. The contract is documented in `schema/sync-api.json`
/// (OpenAPI) and the envelope in `schema/bundle-format.md`.
///
/// A sync is: `POST /v2/info` (who are you, what do you hold), then `POST /v2/pull` pages of
/// what the client lacks and `POST /v2/push` pages of what the server lacks, until both
/// version vectors match. Every request and response is authenticated with the team secret
/// (see `SyncSigner`), every request must be fresh (`freshnessWindowMilliseconds`, seen
/// MACs refused), and every body that carries the team's data is sealed
/// (`SealedEnvelope`): in clear travel only the team id, the requesting replica id, the
/// time and the MACs.
public enum SyncAPI {
    public static let infoPath = "/v2/info"
    public static let pullPath = "/v2/pull"
    public static let pushPath = "/v2/push"
    public static let snapshotPath = "/v2/snapshot"
    /// Roster exchange, the first step of every sync: each side sends its roster changes.
    public static let rosterPath = "/v2/roster"
    /// Redeeming an invite.
    public static let joinPath = "/v2/join"
    /// Protocol 1 (clear bodies): answered with a signed 426 that tells the older laptop to
    /// upgrade, never with data.
    public static let clearProtocolPrefix = "/v1/"

    /// `Qun-HMAC-SHA256 <hex>`: the request MAC.
    public static let authorizationHeader = "Authorization"
    public static let authorizationScheme = "Qun-HMAC-SHA256"
    /// `Qun-Ed25519 <hex>`: the request signed by the laptop's own key (`LaptopKey`).
    public static let laptopScheme = "Qun-Ed25519"
    /// `Qun-Invite <hex>`: a join request, its MAC keyed by the invite (`TeamKeys.inviteKey`).
    public static let inviteScheme = "Qun-Invite"
    /// On a join request: which invite (`TeamInvite.id`).
    public static let inviteHeader = "X-Qun-Invite"
    /// On a request of a laptop of an open team: the team-secret MAC too, for a server whose
    /// roster does not know that laptop yet.
    public static let teamMACHeader = "X-Qun-Team-Mac"
    /// The team id (hex) the request is for; another team's store answers 401.
    public static let teamHeader = "X-Qun-Team"
    /// The requesting replica id (hex).
    public static let replicaHeader = "X-Qun-Replica"
    /// The requester's clock, milliseconds since 1970 (part of the signed text; informative).
    public static let timeHeader = "X-Qun-Time"
    /// The response MAC (hex), bound to the request's MAC.
    public static let signatureHeader = "X-Qun-Signature"
    /// On a signed 401 for a request outside the freshness window: the server's clock,
    /// milliseconds since 1970, so that a laptop with a wrong clock can stamp its next
    /// request with the server's time.
    public static let serverTimeHeader = "X-Qun-Server-Time"

    /// Every protocol-2 request body and 200 answer body: a sealed envelope.
    public static let sealedMediaType = "application/x-qun-sealed"
    /// Error bodies (`ErrorBody`), in clear: they never carry record data.
    public static let jsonMediaType = "application/json"

    /// How far a request's `X-Qun-Time` may be from the server's clock, either way. A
    /// recorded request replayed later than this is refused; within it, the server remembers
    /// the MACs it has seen.
    public static let freshnessWindowMilliseconds: Int64 = 5 * 60 * 1000
    /// The most request MACs the server remembers at once (each for one window). Only
    /// authenticated requests are remembered; past this the server answers 503 until old
    /// ones expire, rather than forgetting one that could then be replayed.
    public static let maximumRememberedRequests = 500_000

    /// Changes per page unless the client asks for fewer.
    public static let defaultPageSize = 5_000
    /// The most changes a page may hold, pulled or pushed: one page is one write
    /// transaction, and the store's write lock is held while it is applied.
    public static let maximumPageSize = 20_000
    /// The most changes a page may actually hold: a page runs on past its limit to the end
    /// of the commit block it would cut (`CommitBlock`), so that it verifies on its own.
    public static let maximumPageChanges = maximumPageSize + CommitBlock.maximumChanges
    /// Payload bytes after which a page ends (at the end of a block), whatever its count: a
    /// page of chat chunks or long notes stays far below `maximumBodyBytes` (a page's bytes
    /// are at most this plus one block, `CommitBlock.maximumBytes`, plus framing).
    public static let pageBytes = 4 * 1024 * 1024
    /// The most changes of operations this qun does not know (from a newer qun) a pushed page
    /// may carry. They are stored and forwarded, never merged, so a flood of them would only
    /// grow the store.
    public static let maximumUnknownPerPage = 1_000
    /// The most changes of unknown operations the server keeps from one origin replica in
    /// all: a newer qun's new kind of change is welcome, a store filling up with what nobody
    /// here can read is not.
    public static let maximumUnknownPerReplica = 50_000
    /// The largest request body the server reads (after decompression, for batches).
    public static let maximumBodyBytes = 16 * 1024 * 1024
    /// What all request bodies being read at once may take together (`BodyBudget`): four
    /// full pages. A request that would pass it is answered 503 before its body is read.
    public static let maximumBodiesInFlight = 4 * maximumBodyBytes
}
