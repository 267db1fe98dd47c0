import QunCore

/// The merge rules of `QunCore.RecordState`, as the SQL the store applies them with. Each rule
/// is written here once; `RecordState.apply` is the readable reference, and
/// `MergePathsPropertyTests` checks that both give the same rows.
///
/// Tag rows (`set_tag`) hold one row per tag, `(record, field, replica, seq)`: the values of
/// `RecordState.Tag` exactly, so a record folded in memory and one updated row by row in SQL
/// end as the same rows, whatever order the changes came in.
///
/// Earlier releases wrote some tags differently, and their stores keep those rows: a delete
/// token that a restore observed before the delete came stayed `.unseen` with time zero
/// after the delete arrived (the schema's first comment on `set_tag` describes that), and a
/// record's first batch wrote its delete tokens with time zero. Such rows are always removed,
/// and every read looks only at present tags (`present`), so both forms read the same; a
/// delete or add still on its way fills the row in when it comes (`upsertMadeTag`).
enum MergeRules {
    // MARK: Registers

    /// Last writer wins: a register takes a write with a later `(hlc, replica)` stamp
    /// (RecordState: `current.stamp >= change.stamp` keeps the current value). Replica ids
    /// are 16-byte blobs, and blob comparison (memcmp) is the id order.
    static let laterStamp = """
        excluded.hlc > field_value.hlc
           OR (excluded.hlc = field_value.hlc AND excluded.replica_id > field_value.replica_id)
        """

    /// Writes one register value under `laterStamp`. Arguments: record, field, value, hlc,
    /// replica id (blob).
    static let upsertRegister = """
        INSERT INTO field_value(record, field, value, hlc, replica_id) VALUES (?, ?, ?, ?, ?)
        ON CONFLICT(record, field) DO UPDATE SET
            value = excluded.value, hlc = excluded.hlc, replica_id = excluded.replica_id
        WHERE \(laterStamp)
        """

    // MARK: Tags

    /// A tag once removed stays removed (RecordState: observers only ever set `removed`), so
    /// a remove or restore arriving before or after what it observed gives the same row.
    static let removedOnlyGrows = "removed = max(set_tag.removed, excluded.removed)"

    /// The change that made a tag (an add, append or delete) decides its kind, time and
    /// element, replacing what an observer that came first had to guess (RecordState: the
    /// change makes its `Tag`, keeping only `removed`). A change is logged once, so this
    /// overwrites nothing but such a guess.
    static let madeTagContent = "element = excluded.element, hlc = excluded.hlc, kind = excluded.kind"

    /// Writes a tag made by its change (or, for a record folded in memory, as its folded state
    /// has it). Arguments: record, field, replica row, seq, element, hlc, kind, removed.
    static let upsertMadeTag = """
        INSERT INTO set_tag(record, field, replica, seq, element, hlc, kind, removed)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT DO UPDATE SET \(madeTagContent), \(removedOnlyGrows)
        """

    /// Marks a tag observed by a remove or restore. When its change has not arrived yet the
    /// row is made removed, time zero, with the kind the observer knows: `.deleteToken` for a
    /// restore (it only names delete tokens), `.unseen` for a remove (the tag may be a set
    /// element or a log entry). Arguments: record, field, replica row, seq, element, kind.
    static let upsertObservedTag = """
        INSERT INTO set_tag(record, field, replica, seq, element, hlc, kind, removed)
        VALUES (?, ?, ?, ?, ?, 0, ?, 1)
        ON CONFLICT DO UPDATE SET \(removedOnlyGrows)
        """

    /// The condition on a `set_tag` row (of alias `table`, or unqualified) of a present tag
    /// of `kinds`: made by its change and observed by no remove or restore.
    static func present(_ kinds: TagKind..., table: String? = nil) -> String {
        let prefix = table.map { $0 + "." } ?? ""
        let codes = kinds.map { String($0.rawValue) }.joined(separator: ", ")
        let kindTest = kinds.count == 1 ? "\(prefix)kind = \(codes)" : "\(prefix)kind IN (\(codes))"
        return "\(kindTest) AND \(prefix)removed = 0"
    }
}
