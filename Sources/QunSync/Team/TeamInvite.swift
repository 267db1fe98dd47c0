import Foundation
import QunCore
import QunStore

/// The one-line string a second laptop joins a team with: `qun1:TEAM:SECRET[:URL]`.
///
/// It carries the team secret: share it like a password (a direct message, not a group
/// chat).
public struct TeamInvite: Equatable, Sendable {
    public var team: Store.Team
    /// Where the inviting laptop serves sync, if known.
    public var url: String?

    public init(team: Store.Team, url: String? = nil) {
        self.team = team
        self.url = url
    }

    public var text: String {
        var text = "qun1:\(team.id.hex):\(team.secret.map { String(format: "%02x", $0) }.joined())"
        if let url { text += ":\(url)" }
        return text
    }

    public init(parsing text: String) throws {
        let parts = text.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ":", maxSplits: 3, omittingEmptySubsequences: false)
        guard parts.count >= 3, parts[0] == "qun1", let id = ReplicaID(hex: String(parts[1])),
              parts[2].count == 64, parts[2].allSatisfy({ $0.isASCII && $0.isHexDigit }) else {
            throw InviteError.malformed
        }
        var secret: [UInt8] = []
        var index = parts[2].startIndex
        while index < parts[2].endIndex {
            let next = parts[2].index(index, offsetBy: 2)
            secret.append(UInt8(parts[2][index..<next], radix: 16)!)
            index = next
        }
        team = Store.Team(id: id, secret: secret)
        url = parts.count == 4 && !parts[3].isEmpty ? String(parts[3]) : nil
    }

    public enum InviteError: Error, CustomStringConvertible {
        case malformed
        public var description: String {
            "not a qun invite: it looks like qun1:<team>:<secret>; ask a teammate to run `qun team invite` and copy the whole line"
        }
    }
}
