import QunCore

/// Why a sync with a peer (or a bootstrap from one) failed, in words for the operator.
///
/// Each case names the peer's URL and what to do next. None carries record data: a peer's
/// error message is one sentence the server chose to send (it never includes member data
/// either, see `ErrorBody`).
public enum SyncClientError: Error, Equatable, CustomStringConvertible {
    /// The peer URL is not `http(s)://HOST[:PORT]`.
    case invalidURL(String)
    /// No connection: nothing listens there, the host is unknown or the network is down.
    case unreachable(url: String)
    /// The peer answered 401: it does not accept this laptop's team signature.
    case refused(url: String)
    /// 401 because of the roster: this laptop was removed, or is not in a locked team's
    /// roster. The reason is the peer's (unsigned: a refused laptop has no answer bound to
    /// it), shown because it tells the operator what to do.
    case refusedByRoster(url: String, reason: String)
    /// The answer's `X-Qun-Signature` does not match: another team's server, or someone
    /// changed the answer on the way. Nothing of it was used.
    case notOfTeam(url: String)
    /// The answer carries no signature at all: not a `qun serve` (another web server?).
    case notAPeer(url: String, status: Int)
    /// The peer refused the request with a message (a signed 4xx/5xx `ErrorBody`).
    case peerError(url: String, status: Int, message: String)
    /// The peer accepted the request but its answer does not follow the protocol.
    case malformedAnswer(url: String, reason: String)
    /// An answer larger than the client accepts.
    case answerTooLarge(url: String, limit: Int)
    /// The peer took too long.
    case timedOut(url: String)
    /// The connection broke while a request was under way.
    case connectionLost(url: String, reason: String)
    /// The URL leads back to this very store.
    case sameStore(url: String)
    /// A single change too large for the peer's body limit.
    case changeTooLarge(url: String, bytes: Int, limit: Int)
    /// `init --join` with an invite that names no URL to fetch a snapshot from.
    case inviteWithoutURL
    /// The peer runs a qun that syncs in clear text (protocol 1): this laptop refuses to.
    case olderPeer(url: String)
    /// The TLS handshake with an `https://` peer failed: most often a certificate this laptop
    /// does not trust.
    case tlsRefused(url: String)
    /// The peer holds other changes than this laptop under these replica ids (`ID:SEQ`, both
    /// holding that many): a forgery under a teammate's id, or two stores sharing one.
    case forkedHistory(url: String, replicas: [String])
    /// The `--tls-ca` file cannot be used.
    case untrustedCertificates(path: String, reason: String)
    /// The peer refused the request's time even after this laptop stamped it with the peer's
    /// own clock.
    case clockRefused(url: String, differenceMilliseconds: Int64)

    public var description: String {
        switch self {
        case .invalidURL(let url):
            return "'\(url)' is not a peer address: give http://HOST:PORT, as printed by `qun serve` on the other laptop"
        case .unreachable(let url):
            // Also what a sync sees when the server dies between two pages.
            return "cannot reach \(url): is `qun serve` running there? (pages already received are kept; run `qun sync` again once it is)"
        case .refused(let url):
            return "\(url) refused this laptop: it belongs to another team or the invite is outdated"
        case .refusedByRoster(let url, let reason):
            return "\(url) refused this laptop: \(reason)"
        case .notOfTeam(let url):
            return "the peer at \(url) is not of this team (or the answer was altered); nothing it sent was used"
        case .notAPeer(let url, let status):
            return "\(url) answered (HTTP \(status)) but not as a qun peer: check the address and port printed by `qun serve` there"
        case .peerError(let url, let status, let message):
            return "\(url) refused the request (HTTP \(status)): \(message)"
        case .malformedAnswer(let url, let reason):
            return "the answer from \(url) does not follow the sync protocol (\(reason)); nothing of it was applied: make sure both laptops run a current qun"
        case .answerTooLarge(let url, let limit):
            return "the answer from \(url) is larger than \(limit) bytes; nothing of it was applied: make sure both laptops run a current qun"
        case .timedOut(let url):
            return "\(url) did not answer in time; pages already received are kept: run `qun sync` again"
        case .connectionLost(let url, let reason):
            return "the connection to \(url) broke (\(reason)); pages already received are kept: run `qun sync` again"
        case .sameStore(let url):
            return "\(url) is this very store: give the address of a teammate's laptop"
        case .changeTooLarge(let url, let bytes, let limit):
            return "a change of \(bytes) bytes is larger than what \(url) accepts (\(limit) bytes); nothing more was sent: exchange it with `qun bundle export` instead"
        case .olderPeer(let url):
            return "the peer at \(url) runs an older qun that syncs in clear text: upgrade qun on that laptop, then sync again; nothing was sent"
        case .tlsRefused(let url):
            return "the HTTPS connection to \(url) failed: this laptop does not trust its certificate (or the name in it is not the address); if the hub serves the team's own certificate, give it with --tls-ca FILE; nothing was sent"
        case .forkedHistory(let url, let replicas):
            return "\(url) holds other changes than this laptop under replica \(replicas.joined(separator: ", ")) (id:count, the same count on both): someone wrote under a teammate's id, or two stores share one. Nothing was overwritten, but the two will not agree: `qun status` lists it; tell the team, and keep the laptop whose history is genuine"
        case .untrustedCertificates(let path, let reason):
            return "cannot trust the certificates in \(path): \(reason); give the PEM certificate of the peer's `qun serve --tls-cert` (or of the authority that signed it)"
        case .clockRefused(let url, let difference):
            return "\(url) refused the time of this laptop's requests (its clock is \(DurationText.describe(milliseconds: abs(difference))) \(difference >= 0 ? "ahead" : "behind")): set the clock right on one of the two laptops and sync again"
        case .inviteWithoutURL:
            return "this invite names no address to fetch the team's data from: ask for one made with `qun team invite --url http://HOST:PORT`, or join with --no-snapshot"
        }
    }
}
