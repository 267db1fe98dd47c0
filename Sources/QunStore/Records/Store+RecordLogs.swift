import QunCore

/// One entry of a record's append-only log as people read it: a member's interaction, a
/// task's annotation.
public struct RecordLogLine: Sendable, Equatable {
    public var at: HLC
    public var replica: ReplicaID
    public var operatorName: String
    public var text: String
}

/// A member's interaction (沟通记录).
public typealias Interaction = RecordLogLine
/// A task's annotation.
public typealias TaskNote = RecordLogLine

extension Store {
    /// Appends `text` (already checked) to a log field of the live record a reference names.
    /// Entries from every laptop are all kept, in time order; they never conflict.
    func appendLog<Kind: RecordKind>(_ kind: Kind.Type, _ reference: String, field: String, _ text: String) throws -> Kind {
        let id = try write { tx -> String in
            let target = try tx.resolve(kind, reference)
            try tx.append(Kind.collection, target.uid, field, text)
            return target.uid
        }
        return try record(kind, id)
    }

    /// A record's log field in the order every laptop shows it, with who wrote each entry.
    func logLines<Kind: RecordKind>(_ kind: Kind.Type, _ reference: String, field: String) throws -> [RecordLogLine] {
        let target = try record(kind, reference, includeDeleted: true)
        let operators = try operatorNames()
        return try logEntries(Kind.collection, target.id, field: field).map { entry in
            RecordLogLine(at: entry.at, replica: entry.replica,
                          operatorName: operators[entry.replica] ?? String(entry.replica.hex.prefix(8)), text: entry.text)
        }
    }
}
