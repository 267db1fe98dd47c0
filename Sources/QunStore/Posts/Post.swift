import QunCore

extension String {
    /// The content calendar (内容规划表): what goes out to which group, when.
    public static let postCollection = "post"
}

/// A planned post of the content calendar (内容规划表 / SOP), as materialised from its changes:
/// what to post, when, where and by whom. qun cannot post into a chat; the calendar says what
/// is due, and `done` records that someone posted it.
///
/// Three kinds share the collection, as with tasks: single posts, recurring posts (`recur`
/// set: the routine, e.g. the daily 早安 post) and the instances generated from one
/// (`template` and `date` set), which show the routine's title, channel, owner, message
/// template and time of day unless they have their own.
public struct Post: Sendable, Equatable {
    /// The record id (32 hex characters). Instances have ids derived from routine and day.
    public var id: String
    public var title: String
    /// When it goes out: `YYYY-MM-DDTHH:MM`, local time.
    public var at: String?
    /// The group (群名) it goes to, as the operator wrote it.
    public var channel: String?
    /// An operator name; nil: nobody in particular.
    public var owner: String?
    /// The id of the message template (话术) to post.
    public var message: String?
    /// On a routine: how it repeats.
    public var recur: Recurrence?
    /// On a routine: the last day an instance may fall on.
    public var until: String?
    /// On an instance: its routine's id.
    public var template: String?
    /// On an instance: the day it stands for.
    public var date: String?
    /// When `done` was given, `YYYY-MM-DDTHH:MM` local; nil while it is still to post.
    public var done: String?
    public var deleted: Bool

    public init(id: String, title: String, at: String? = nil, channel: String? = nil, owner: String? = nil,
                message: String? = nil, recur: Recurrence? = nil, until: String? = nil, template: String? = nil,
                date: String? = nil, done: String? = nil, deleted: Bool = false) {
        self.id = id
        self.title = title
        self.at = at
        self.channel = channel
        self.owner = owner
        self.message = message
        self.recur = recur
        self.until = until
        self.template = template
        self.date = date
        self.done = done
        self.deleted = deleted
    }

    public var isRoutine: Bool { recur != nil && template == nil }
    public var isInstance: Bool { template != nil }
    public var isDone: Bool { done != nil }

    /// When it goes out, parsed.
    public var time: LocalDate? { at.flatMap { LocalDate($0) } }

    public enum Recurrence: String, CaseIterable, Sendable {
        case daily, weekly
    }

    /// The field names used in changes. `template` and `date` are the routine and the day of
    /// an instance, named as a recurring task's are; the message template is `message`.
    public enum Field: String, CaseIterable, Sendable {
        case title, at, channel, owner, message, recur, until, template, date, done
    }
}
