import GRDB
import QunCore

extension WriteTransaction {
    /// An event reference as given to `--event`: whatever `qun event` accepts (id, prefix,
    /// exact title), or a full id this store has not seen yet — the event may arrive with
    /// the next sync, and the task must not wait for it.
    func resolveEventID(_ reference: String) throws -> String {
        try TaskEvents.eventID(reference, db: db)
    }
}

enum TaskEvents {
    static func eventID(_ reference: String, db: Database) throws -> String {
        let text = reference.trimmingCharacters(in: .whitespacesAndNewlines)
        do {
            return try RecordResolution.resolve(Event.self, text, includeDeleted: true, db: db).uid
        } catch StoreError.notFound(let collection, _) where collection == Event.noun {
            if RecordID.isValid(text.lowercased()) { return text.lowercased() }
            throw StoreError.notFound(collection: Event.noun, reference: text)
        }
    }
}

extension Store {
    /// The task a reference names (id, id prefix or exact title; a routine's title names
    /// today's instance).
    public func task(_ reference: String, includeDeleted: Bool = false, today: CalendarDay? = nil) throws -> TaskItem {
        try record(TaskItem.self, reference, includeDeleted: includeDeleted, today: today)
    }
}
