/// What a tag is: the `kind` of a `RecordState.Tag` and of a `set_tag` row in the store.
///
/// A tag is named by the change that made it (its `(replica, seq)`); removes and restores
/// name the tags they observed. The raw values are what the store keeps on disk and are
/// fixed for good: stores made by earlier releases hold them.
public enum TagKind: Int64, Sendable, CaseIterable {
    /// Observed by a remove before its add or append arrived: it is removed, and what it is
    /// (a set element or a log entry) is learnt when its change comes, which then fills in
    /// the kind, time and element. Never present, whatever it turns out to be.
    case unseen = 0
    /// An element added to an observed-remove set field (`add`): present until a remove
    /// observes it.
    case setElement = 2
    /// An entry appended to a log field (`append`): shown in time order until a remove
    /// (an undo of the append) observes it.
    case logEntry = 4
    /// A delete token of the record (`delete`), kept under the record-level field `""`: the
    /// record is deleted while some token is not observed by a restore. A restore that
    /// arrives before the delete it observed makes the token already removed, since a restore
    /// only ever names delete tokens.
    case deleteToken = 5

    /// The kind of the tag a change makes, if it makes one.
    public init?(madeBy operation: Operation) {
        switch operation {
        case .add: self = .setElement
        case .append: self = .logEntry
        case .delete: self = .deleteToken
        default: return nil
        }
    }
}
