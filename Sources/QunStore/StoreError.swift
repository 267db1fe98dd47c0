import QunCore

/// Everything the store refuses, with what the operator can do about it.
///
/// Messages never include member contact data: they may end up in logs or bug reports.
public enum StoreError: Error, Equatable, CustomStringConvertible {
    case notAStore(path: String)
    case alreadyExists(path: String)
    case newerSchema(found: Int, known: Int)
    /// No record of a kind (`collection` is its noun: "member", "task", "peer") has this id,
    /// id prefix or name. Every kind says it the same way (see `RecordNaming`).
    case notFound(collection: String, reference: String)
    /// Several records match; `candidates` are `shortid label (detail)`.
    case ambiguous(collection: String, reference: String, candidates: [String])
    case deleted(collection: String, id: String)
    case notDeleted(collection: String, id: String)
    case invalidValue(field: String, value: String, expected: String)
    case missingValue(field: String)
    case replicaClash(replica: String, seq: Int64)
    /// A store of an earlier schema that cannot be written, so cannot be upgraded.
    case readOnlyUpgrade(found: Int, known: Int)
    case invalidChange(String)
    case noTeam
    case nothingToUndo
    /// An edit that changes nothing. `what` is the noun ("task") or what the edit is of
    /// ("retrospective"); the command layer names its flags.
    case emptyEdit(what: String)
    /// A row read from the store file is not what qun wrote (a replica id of the wrong size,
    /// an invalid operation, a row that must exist and does not): the file is damaged.
    case corruptRow(table: String, detail: String)

    public var description: String {
        switch self {
        case .notAStore(let path):
            return "no qun store at \(path): create one there first (`qun init`)"
        case .alreadyExists(let path):
            return "a qun store already exists at \(path); use it, or pick another directory"
        case .newerSchema(let found, let known):
            return "this store has schema version \(found) but this qun knows only up to \(known): upgrade qun before using it"
        case .notFound(let noun, let reference):
            let naming = RecordNaming(noun)
            return "no \(noun) matches '\(reference)': give \(naming.hint)"
        case .ambiguous(let noun, let reference, let candidates):
            let shown = candidates.prefix(5).joined(separator: ", ")
            let more = candidates.count > 5 ? ", …" : ""
            return "\(noun) '\(reference)' is ambiguous: \(shown)\(more) — \(RecordNaming(noun).narrowing)"
        case .deleted(let collection, let id):
            return "\(collection) \(id.prefix(8)) is deleted: bring it back first with `qun \(collection) restore \(id.prefix(8))`"
        case .notDeleted(let collection, let id):
            return "\(collection) \(id.prefix(8)) is not deleted: nothing to restore"
        case .invalidValue(let field, let value, let expected):
            return "invalid \(field) '\(value)': expected \(expected)"
        case .missingValue(let field):
            return "\(field) must not be empty"
        case .readOnlyUpgrade(let found, let known):
            return "this store was made by an earlier qun (schema \(found), this one reads \(known)) and must be upgraded once, which needs write access: open it once where it can be written"
        case .replicaClash(let replica, let seq):
            return "change \(replica.prefix(8))…:\(seq) conflicts with one this store already holds under the same id: two stores share replica id \(replica.prefix(8))… (or someone wrote under that teammate's id); nothing was applied. Re-create one of them with `qun init` and import the other's bundle"
        case .invalidChange(let reason):
            return "invalid change: \(reason); nothing was applied"
        case .nothingToUndo:
            return "nothing to undo: this store has no command of yours left to reverse (undo reverses your own edits, newest first, not teammates' changes)"
        case .emptyEdit(let what):
            return "nothing to change: give at least one field of the \(what)"
        case .corruptRow(let table, let detail):
            return "the store's \(table) table holds a damaged row (\(detail)): the store file may be damaged, and nothing was changed. Keep a copy of the store directory, then re-create the store (join the team again with an invite) and take your teammates' data back by syncing, or from a teammate's bundle"
        case .noTeam:
            return "this store belongs to no team: create a team's store with `qun init`, or join one with an invite"
        }
    }
}
