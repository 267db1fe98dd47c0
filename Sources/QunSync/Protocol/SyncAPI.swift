/// The HTTP sync protocol, version 1: paths, headers and limits shared by `qun serve` and
/// `qun sync`. The contract is documented in `schema/sync-api.json` (OpenAPI).
///
/// A sync is: `GET /v1/info` (who are you, what do you hold), then `POST /v1/pull` pages of
/// what the client lacks and `POST /v1/push` pages of what the server lacks, until both
/// version vectors match. Every request and response is authenticated with the team secret
/// (see `SyncSigner`).
public enum SyncAPI {
    public static let infoPath = "/v1/info"
    public static let pullPath = "/v1/pull"
    public static let pushPath = "/v1/push"
    public static let snapshotPath = "/v1/snapshot"

    /// `Qun-HMAC-SHA256 <hex>`: the request MAC.
    public static let authorizationHeader = "Authorization"
    public static let authorizationScheme = "Qun-HMAC-SHA256"
    /// The team id (hex) the request is for; another team's store answers 401.
    public static let teamHeader = "X-Qun-Team"
    /// The requesting replica id (hex).
    public static let replicaHeader = "X-Qun-Replica"
    /// The requester's clock, milliseconds since 1970 (part of the signed text; informative).
    public static let timeHeader = "X-Qun-Time"
    /// The response MAC (hex), bound to the request's MAC.
    public static let signatureHeader = "X-Qun-Signature"
    /// On pull responses: the server's version vector, `HEX:SEQ,...`.
    public static let vectorHeader = "X-Qun-Vector"
    /// On pull responses: `true` when more pages follow.
    public static let moreHeader = "X-Qun-More"
    /// On pull responses: the cursor (`HEX:SEQ`) to pass as `after` for the next page.
    public static let nextHeader = "X-Qun-Next"

    /// Change batches (`QCB1`, see schema/bundle-format.md), possibly gzip-encoded.
    public static let batchMediaType = "application/x-qun-batch"
    public static let jsonMediaType = "application/json"
    public static let sqliteMediaType = "application/vnd.sqlite3"

    /// Changes per page unless the client asks for fewer.
    public static let defaultPageSize = 5_000
    public static let maximumPageSize = 20_000
    /// The largest request body the server reads (after decompression, for batches).
    public static let maximumBodyBytes = 16 * 1024 * 1024
}
