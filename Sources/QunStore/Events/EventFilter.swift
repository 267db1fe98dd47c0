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
        var query = RecordConditionBuilder(includeDeleted: includeDeleted)
        // No phase set means draft.
        if let phase { query.require("coalesce(phase, 'draft') = ?", [phase.rawValue]) }
        query.equal([("kind", kind?.rawValue), ("city", city)])
        // Stored starts are canonical text, so comparing the first ten characters compares days.
        if let after { query.require("substr(start_at, 1, 10) >= ?", [after.description]) }
        if let before { query.require("substr(start_at, 1, 10) <= ?", [before.description]) }
        query.words(words, in: ["title"])
        return query.condition
    }
}

extension Store {
    /// Events matching `filter`, by start (undated plans last), then title, then id: the
    /// same order on every replica.
    public func events(_ filter: EventFilter = EventFilter()) throws -> [Event] {
        try records(Event.self, filter)
    }
}
