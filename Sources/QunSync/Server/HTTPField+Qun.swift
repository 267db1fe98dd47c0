import Foundation
import HTTPTypes

/// The protocol's header names (`SyncAPI`) as typed field names.
extension HTTPField.Name {
    static let qunTeam = HTTPField.Name(SyncAPI.teamHeader)!
    static let qunReplica = HTTPField.Name(SyncAPI.replicaHeader)!
    static let qunTime = HTTPField.Name(SyncAPI.timeHeader)!
    static let qunSignature = HTTPField.Name(SyncAPI.signatureHeader)!
    static let qunServerTime = HTTPField.Name(SyncAPI.serverTimeHeader)!
}

extension HTTPField.Name {
    static let qunInvite = HTTPField.Name(SyncAPI.inviteHeader)!
    static let qunTeamMAC = HTTPField.Name(SyncAPI.teamMACHeader)!
}
