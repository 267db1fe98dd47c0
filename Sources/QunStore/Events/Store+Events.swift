import GRDB
import QunCore

extension Store {
    /// Adds an event plan (a draft) and returns it as stored.
    public func addEvent(_ draft: EventDraft) throws -> Event {
        let today = CalendarDay.at(milliseconds: now())
        let id = try write { tx -> String in
            let id = RecordID.random()
            try tx.set(.eventCollection, id, Event.Field.title.rawValue, .text(try EventValidation.title(draft.title)))
            var values: [Event.Field: Value] = [:]
            for (field, raw) in draft.given {
                values[field] = try EventValues.value(field, raw, today: today)
            }
            try EventValues.checkRange(start: values[.start]?.text, end: values[.end]?.text)
            for field in Event.Field.allCases {
                guard let value = values[field], !value.isNull else { continue }
                try tx.set(.eventCollection, id, field.rawValue, value)
            }
            return id
        }
        return try event(id, includeDeleted: true)
    }

    /// Changes only the given fields. Moving the start moves the run-sheet with it: tasks due
    /// on a day follow the start wherever they are shown, and the unfinished ones whose due
    /// has a time of day are rewritten in the same transaction (see `Store+RunSheet`).
    public func editEvent(_ reference: String, _ edit: EventEdit) throws -> Event {
        guard !edit.isEmpty else {
            throw StoreError.emptyEdit(what: "event")
        }
        let today = CalendarDay.at(milliseconds: now())
        let id = try write { tx -> String in
            let target = try tx.resolve(Event.self, reference)
            let stored = try tx.stored(Event.self, target.uid)
            var values: [(Event.Field, Value)] = []
            for (field, raw) in edit.fields.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
                if field == .phase {
                    throw StoreError.invalidValue(field: "phase", value: raw, expected: "a change through `qun event phase EVENT PHASE` (one step at a time)")
                }
                if field == .title {
                    values.append((field, .text(try EventValidation.title(raw))))
                } else {
                    values.append((field, try EventValues.value(field, raw, today: today)))
                }
            }
            func merged(_ field: Event.Field, _ current: String?) -> String? {
                guard let given = values.first(where: { $0.0 == field }) else { return current }
                return given.1.text
            }
            let newStart = merged(.start, stored.start)
            // Moving the start alone keeps the event's length: an operator who moves a
            // Saturday afternoon to the next Saturday means the end moves too.
            if edit.fields[.end] == nil, let newStart, let oldStart = stored.start, newStart != oldStart,
               let end = stored.end, let from = LocalDate(oldStart), let to = LocalDate(newStart), let oldEnd = LocalDate(end) {
                values.append((.end, .text(oldEnd.shifted(from: from, to: to).description)))
            }
            try EventValues.checkRange(start: newStart, end: merged(.end, stored.end))
            for (field, value) in values {
                try tx.set(.eventCollection, target.uid, field.rawValue, value)
            }
            if let newStart, newStart != stored.start, let start = LocalDate(newStart) {
                try tx.rescheduleRunSheet(event: target.uid, start: start)
            }
            return target.uid
        }
        return try event(id)
    }

    /// Moves an event to `phase`, which must be one step forward or back from where it is.
    /// Returns the event and whether anything changed (asking for the phase it is already
    /// in changes nothing).
    @discardableResult
    public func moveEvent(_ reference: String, to phase: Event.Phase) throws -> (event: Event, changed: Bool) {
        let (id, changed) = try write { tx -> (String, Bool) in
            let target = try tx.resolve(Event.self, reference)
            let current = try tx.stored(Event.self, target.uid).phase
            if current == phase { return (target.uid, false) }
            guard current.neighbours.contains(phase) else {
                throw EventError.phaseJump(id: target.uid, from: current, to: phase)
            }
            try tx.set(.eventCollection, target.uid, Event.Field.phase.rawValue, .text(phase.rawValue))
            return (target.uid, true)
        }
        return (try event(id), changed)
    }

    /// Tombstones an event. Its run-sheet tasks are records of their own and stay as they
    /// are (work already done or assigned does not vanish with the plan). `restoreEvent`
    /// brings it back.
    @discardableResult
    public func removeEvent(_ reference: String) throws -> Event { try remove(Event.self, reference) }

    /// Brings back a deleted event with all its fields, sign-ups and retrospective.
    @discardableResult
    public func restoreEvent(_ reference: String) throws -> Event { try restore(Event.self, reference) }
}

extension Store {
    /// The event a reference names (id, id prefix or exact title).
    public func event(_ reference: String, includeDeleted: Bool = false) throws -> Event {
        try record(Event.self, reference, includeDeleted: includeDeleted)
    }
}

/// Turns an operator's text into the stored value of an event field.
enum EventValues {
    /// An empty text clears the field (`.null`).
    static func value(_ field: Event.Field, _ raw: String, today: CalendarDay) throws -> Value {
        let text = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        if text.isEmpty {
            if field == .title { throw StoreError.missingValue(field: "title") }
            return .null
        }
        switch field {
        case .title: return .text(try EventValidation.title(text))
        case .kind: return .text(try EventValidation.kind(text).rawValue)
        case .phase: return .text(try EventValidation.phase(text).rawValue)
        case .start, .end: return .text(try EventValidation.time(text, field: field.rawValue, today: today).description)
        case .target: return .int(try EventValidation.target(text))
        case .budget:
            let amount = try EventValidation.budget(text)
            return amount == amount.rounded() ? .int(Int64(amount)) : .real(amount)
        case .place, .city, .purpose, .rules, .rewards: return .text(text)
        }
    }

    static func checkRange(start: String?, end: String?) throws {
        guard let start, let end, let from = LocalDate(start), let to = LocalDate(end) else { return }
        if !EventValidation.isValidRange(start: from, end: to) { throw EventError.endBeforeStart(start: start, end: end) }
    }
}
