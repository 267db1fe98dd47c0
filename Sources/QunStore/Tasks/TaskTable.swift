import GRDB
import QunCore

extension String {
    /// Operations tasks (运营任务).
    public static let taskCollection = "task"
}

/// The `task` table. (Placeholder until tasks are materialised.)
struct TaskMaterialiser: Materialiser {
    init(_ db: Database) throws {}
    mutating func write(_ snapshot: RecordSnapshot, record: Int64, uid: String, tx: WriteTransaction) throws {}
}
