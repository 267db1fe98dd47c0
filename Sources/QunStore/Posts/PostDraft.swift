/// What `post add` provides for a new post. `at` is already resolved (see `DateWords`):
/// `YYYY-MM-DDTHH:MM`.
public struct PostDraft: Sendable, Equatable {
    public var title: String
    public var at: String
    /// Makes the post a routine, from `at`'s day on.
    public var recur: Post.Recurrence?
    /// Last day of a routine's instances, `YYYY-MM-DD`.
    public var until: String?
    /// A message template, as an operator names it (id, id prefix or exact name).
    public var template: String?
    public var channel: String?
    public var owner: String?

    public init(title: String, at: String, recur: Post.Recurrence? = nil, until: String? = nil,
                template: String? = nil, channel: String? = nil, owner: String? = nil) {
        self.title = title
        self.at = at
        self.recur = recur
        self.until = until
        self.template = template
        self.channel = channel
        self.owner = owner
    }
}

/// What `post edit` changes: only the fields given. An empty string clears the channel, the
/// owner or the message template (and an instance's own time, which then follows its
/// routine's again).
public struct PostEdit: Sendable, Equatable {
    public var title: String?
    public var at: String?
    public var channel: String?
    public var owner: String?
    /// A message template, as an operator names it.
    public var template: String?

    public init(title: String? = nil, at: String? = nil, channel: String? = nil, owner: String? = nil, template: String? = nil) {
        self.title = title
        self.at = at
        self.channel = channel
        self.owner = owner
        self.template = template
    }

    public var isEmpty: Bool { [title, at, channel, owner, template].allSatisfy { $0 == nil } }
}
