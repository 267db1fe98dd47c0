import GRDB
import QunCore

extension String {
    /// Event plans (活动策划).
    public static let eventCollection = "event"
}

/// The `event` table. (Placeholder until events are materialised.)
struct EventMaterialiser: Materialiser {
    init(_ db: Database) throws {}
    mutating func write(_ snapshot: RecordSnapshot, record: Int64, uid: String, tx: WriteTransaction) throws {}
}
