/// Record ids: 128 random bits as 32 lowercase hex characters, made offline without
/// coordination. Random rather than time-ordered (UUIDv7) so that a short prefix, as typed
/// by an operator, is already unique.
public enum RecordID {
    public static func random() -> String { ReplicaID.random().hex }

    /// Whether `text` has the form of a record id.
    public static func isValid(_ text: String) -> Bool {
        text.utf8.count == 32 && text.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }
}
