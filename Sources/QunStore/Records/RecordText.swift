/// The check every kind makes of a one-line text field an operator types (a name, a title):
/// trimmed, not empty, not longer than a list can show.
enum RecordText {
    static func line(_ text: String, field: String, limit: Int = 200, expected: String? = nil) throws -> String {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw StoreError.missingValue(field: field) }
        guard trimmed.count <= limit else {
            // Only the start of it: the message may end up in a log.
            throw StoreError.invalidValue(field: field, value: String(trimmed.prefix(20)) + "…",
                                          expected: expected ?? "at most \(limit) characters")
        }
        return trimmed
    }
}
