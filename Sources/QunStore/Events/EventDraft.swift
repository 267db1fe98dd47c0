/// What `event add` provides for a new plan. Values are the operator's text; they are
/// checked by `EventValidation` when written. A new plan is a draft.
public struct EventDraft: Sendable, Equatable {
    public var title: String
    public var kind: String?
    public var place: String?
    public var city: String?
    /// A day, a day and time, or a day word (`tomorrow`, `+14d`).
    public var start: String?
    public var end: String?
    public var purpose: String?
    public var target: String?
    public var rules: String?
    public var rewards: String?
    public var budget: String?

    public init(title: String) { self.title = title }

    /// The fields given, by field, as text.
    var given: [(Event.Field, String)] {
        let all: [(Event.Field, String?)] = [
            (.kind, kind), (.place, place), (.city, city), (.start, start), (.end, end),
            (.purpose, purpose), (.target, target), (.rules, rules), (.rewards, rewards), (.budget, budget),
        ]
        return all.compactMap { field, value in value.map { (field, $0) } }
    }
}

/// What `event edit` changes: only the fields given. An empty string clears a field
/// (except the title). The phase is not edited here: `event phase` moves it one step.
public struct EventEdit: Sendable, Equatable {
    public var fields: [Event.Field: String] = [:]

    public init() {}

    public var isEmpty: Bool { fields.isEmpty }
}

/// What a run-sheet line (`event task`) asks for.
public struct RunSheetDraft: Sendable, Equatable {
    public var title: String
    /// The operator who does it.
    public var owner: String?
    /// Relative to the event's start day (`-7d`, `+1d`, `-2w`), or a day / day and time.
    public var due: String
    public var priority: String?
    public var tags: [String] = []

    public init(title: String, due: String) {
        self.title = title
        self.due = due
    }
}
