import GRDB
import QunCore

/// Which events `event list` shows. Every condition must hold.
public struct EventFilter: Sendable, Equatable {
    public var phase: Event.Phase?
    public var kind: Event.Kind?
    public var city: String?
    /// Events starting on or after this day.
    public var after: CalendarDay?
    /// Events starting on or before this day.
    public var before: CalendarDay?
    /// Words that must each appear in the title (case-insensitive for Latin).
    public var words: [String] = []
    public var includeDeleted = false

    public init() {}

    public func whereClause() -> RecordCondition {
        var conditions: [String] = []
        var arguments = StatementArguments()
        if !includeDeleted { conditions.append("deleted = 0") }
        if let phase {
            // No phase set means draft.
            conditions.append("coalesce(phase, 'draft') = ?")
            arguments += [phase.rawValue]
        }
        if let kind {
            conditions.append("kind = ?")
            arguments += [kind.rawValue]
        }
        if let city {
            conditions.append("city = ?")
            arguments += [city]
        }
        // Stored starts are canonical text, so comparing the first ten characters compares days.
        if let after {
            conditions.append("substr(start_at, 1, 10) >= ?")
            arguments += [after.description]
        }
        if let before {
            conditions.append("substr(start_at, 1, 10) <= ?")
            arguments += [before.description]
        }
        for word in words {
            conditions.append("instr(lower(coalesce(title, '')), lower(?)) > 0")
            arguments += [word]
        }
        return RecordCondition(conditions, arguments)
    }
}

extension Store {
    /// Events matching `filter`, by start (undated plans last), then title, then id: the
    /// same order on every replica.
    public func events(_ filter: EventFilter = EventFilter()) throws -> [Event] {
        try records(Event.self, filter)
    }
}
