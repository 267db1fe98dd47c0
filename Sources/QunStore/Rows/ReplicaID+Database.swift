import Foundation
import GRDB
import QunCore

/// A replica id is stored as its 16 bytes, big-endian (as GRDB stores a `UUID`): blob order
/// (memcmp) is then the id order that breaks ties between equal clocks.
extension ReplicaID: DatabaseValueConvertible {
    public var databaseValue: DatabaseValue { Data(bytes).databaseValue }

    /// Nil for anything but a 16-byte blob: a replica id is never stored as text.
    public static func fromDatabaseValue(_ dbValue: DatabaseValue) -> ReplicaID? {
        guard case .blob(let data) = dbValue.storage else { return nil }
        return ReplicaID(bytes: data)
    }
}
