import Foundation
import QunCore
import QunStore

/// The one-line string a second laptop joins a team with.
///
/// - `qun2:TEAM:TOKEN:URL` (`qun team invite`): single-use and expiring. The token is
///   redeemed once at the issuing laptop (its `qun serve` at URL), which enters the new
///   laptop into the roster and hands it the team's keys sealed to its own key pair. The
///   line holds no key of the team's data.
/// - `qun1:TEAM:SECRET[:URL]` (`qun team invite --shared-secret`, and every earlier
///   release): the team secret itself, for open teams only. Share it like a password.
public struct TeamInvite: Equatable, Sendable {
    public var teamID: ReplicaID
    /// The team secret of a `qun1` invite.
    public var secret: [UInt8]?
    /// The token of a `qun2` invite.
    public var token: [UInt8]?
    /// Where the inviting laptop serves sync, if known.
    public var url: String?

    public init(team: Store.Team, url: String? = nil) {
        teamID = team.id
        secret = team.secret
        self.url = url
    }

    public init(team: ReplicaID, token: [UInt8], url: String) {
        teamID = team
        self.token = token
        self.url = url
    }

    /// The team, as far as the invite knows it: a `qun2` invite carries no secret.
    public var team: Store.Team { Store.Team(id: teamID, secret: secret ?? []) }

    public var text: String {
        if let token { return "qun2:\(teamID.hex):\(token.hexString):\(url ?? "")" }
        var text = "qun1:\(teamID.hex):\((secret ?? []).hexString)"
        if let url { text += ":\(url)" }
        return text
    }

    public init(parsing text: String) throws {
        let parts = text.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ":", maxSplits: 3, omittingEmptySubsequences: false)
        guard parts.count >= 3, parts[0] == "qun1" || parts[0] == "qun2", let id = ReplicaID(hex: String(parts[1])),
              parts[2].count == 64, parts[2].allSatisfy({ $0.isASCII && $0.isHexDigit }) else {
            throw InviteError.malformed
        }
        teamID = id
        let bytes = Store.bytes(hex: String(parts[2]).lowercased())
        url = parts.count == 4 && !parts[3].isEmpty ? String(parts[3]) : nil
        if parts[0] == "qun2" {
            guard url != nil else { throw InviteError.malformed }
            token = bytes
        } else {
            secret = bytes
        }
    }

    public enum InviteError: Error, CustomStringConvertible {
        case malformed
        public var description: String {
            "not a qun invite: it looks like qun2:<team>:<token>:<url>; ask a teammate to run `qun team invite` and copy the whole line"
        }
    }
}
