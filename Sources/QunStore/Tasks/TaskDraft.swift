/// What `task add` (or an event's run-sheet) provides for a new task. Dates are already
/// resolved (see `DateWords`): `due` is `YYYY-MM-DD` or `YYYY-MM-DDTHH:MM`.
public struct TaskDraft: Sendable, Equatable {
    public var title: String
    public var assignee: String?
    public var due: String?
    public var priority: TaskItem.Priority?
    public var tags: [String]
    /// Event id this task belongs to.
    public var event: String?
    /// Days relative to the event's start day.
    public var offset: Int?
    /// Makes the task a recurrence template; needs `due` (the first day).
    public var recur: TaskItem.Recurrence?
    /// Last day of a template's instances, `YYYY-MM-DD`.
    public var until: String?
    /// Usually absent (todo); a caller may create a task already `doing`.
    public var status: TaskItem.Status?
    /// A first annotation.
    public var note: String?

    public init(title: String, assignee: String? = nil, due: String? = nil, priority: TaskItem.Priority? = nil,
                tags: [String] = [], event: String? = nil, offset: Int? = nil,
                recur: TaskItem.Recurrence? = nil, until: String? = nil,
                status: TaskItem.Status? = nil, note: String? = nil) {
        self.title = title
        self.assignee = assignee
        self.due = due
        self.priority = priority
        self.tags = tags
        self.event = event
        self.offset = offset
        self.recur = recur
        self.until = until
        self.status = status
        self.note = note
    }
}

/// What `task edit` changes: only the fields given. An empty string clears a field (not the
/// title).
public struct TaskEdit: Sendable, Equatable {
    public var fields: [TaskItem.Field: String] = [:]
    public var addTags: [String] = []
    public var removeTags: [String] = []

    public init() {}

    public var isEmpty: Bool { fields.isEmpty && addTags.isEmpty && removeTags.isEmpty }
}
