import Foundation
import GRDB
import QunCore

extension Change {
    /// The change a row of the log (or of `held_change`, `unverified_change`) describes, from
    /// the columns `replica_id` (16-byte blob), `seq`, `hlc`, `collection`, `record`, `field`,
    /// `op` and `payload`. Queries of the log select (or alias) exactly these.
    ///
    /// `collection` and `field` may be name rowids instead of text when `names` is given (the
    /// hot log read loads the small name table once rather than joining it per row).
    ///
    /// A damaged row — a replica id that is not 16 bytes, an operation code out of range or
    /// 0, a payload its operation cannot read, a name rowid that names nothing — throws
    /// `StoreError.corruptRow` naming `table`; an operation code this qun does not know is
    /// kept as `.unknown`, as it came from a newer peer.
    init(row: Row, table: String, names: [Int64: String]? = nil) throws {
        func name(_ column: String) throws -> String {
            guard let names else { return try row.required(column, of: table) }
            let rowid: Int64 = try row.required(column, of: table)
            guard let text = names[rowid] else {
                throw StoreError.corruptRow(table: table, detail: "\(column) names name row \(rowid), which does not exist")
            }
            return text
        }
        let replica: ReplicaID = try row.required("replica_id", of: table)
        let seq: Int64 = try row.required("seq", of: table)
        let code: Int64 = try row.required("op", of: table)
        guard let opCode = UInt8(exactly: code) else {
            throw StoreError.corruptRow(table: table, detail: "change \(replica.hex.prefix(8)):\(seq) has operation code \(code), out of range")
        }
        let payload: Data = try row.required("payload", of: table)
        let operation: QunCore.Operation
        do {
            operation = try QunCore.Operation(code: opCode, payload: [UInt8](payload))
        } catch {
            throw StoreError.corruptRow(table: table, detail: "change \(replica.hex.prefix(8)):\(seq) cannot be read: \(error)")
        }
        self.init(id: ChangeID(replica: replica, seq: seq), hlc: try row.required("hlc", of: table),
                  collection: try name("collection"), record: try row.required("record", of: table),
                  field: try name("field"), operation: operation)
    }
}
