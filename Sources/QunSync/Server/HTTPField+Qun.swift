import Foundation
import HTTPTypes

/// The protocol's header names (`SyncAPI`) as typed field names.
extension HTTPField.Name {
    static let qunTeam = HTTPField.Name(SyncAPI.teamHeader)!
    static let qunReplica = HTTPField.Name(SyncAPI.replicaHeader)!
    static let qunTime = HTTPField.Name(SyncAPI.timeHeader)!
    static let qunSignature = HTTPField.Name(SyncAPI.signatureHeader)!
    static let qunVector = HTTPField.Name(SyncAPI.vectorHeader)!
    static let qunMore = HTTPField.Name(SyncAPI.moreHeader)!
    static let qunNext = HTTPField.Name(SyncAPI.nextHeader)!
    static let qunServerTime = HTTPField.Name(SyncAPI.serverTimeHeader)!
}

extension HTTPFields {
    /// Whether a list-valued header such as `Accept-Encoding` or `Content-Encoding` names
    /// `coding` (case-insensitive), ignoring entries with `q=0`.
    func lists(_ coding: String, in name: HTTPField.Name) -> Bool {
        self[values: name].contains { value in
            value.split(separator: ",").contains { entry in
                let parts = entry.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
                guard let token = parts.first, token.lowercased() == coding else { return false }
                let refused = parts.dropFirst().contains { parameter in
                    let pair = parameter.replacingOccurrences(of: " ", with: "").lowercased()
                    return pair.hasPrefix("q=") && (Double(pair.dropFirst(2)) ?? 1) == 0
                }
                return !refused
            }
        }
    }
}
