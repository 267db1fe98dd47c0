/// What the post commands refuse beyond the store-wide `StoreError`s.
public enum PostError: Error, Equatable, CustomStringConvertible {
    /// A routine is not posted itself: each day's instance is.
    case routineDone(id: String, title: String)
    /// Posted already; a second `done` would only move when.
    case alreadyDone(id: String, at: String)
    /// An end day on a post that does not repeat.
    case untilWithoutRecur
    /// An end day before the first day.
    case untilBeforeFirst(until: String, first: String)
    /// A single post with its time cleared would be due never.
    case needsTime(id: String)

    public var description: String {
        switch self {
        case .routineDone(let id, let title):
            return "post \(id.prefix(8)) \(title) is a recurring post: each day's post is done on its own (its title names today's)"
        case .alreadyDone(let id, let at):
            return "post \(id.prefix(8)) is done already (\(at))"
        case .untilWithoutRecur:
            return "an end day needs a recurrence: only a recurring post has an end"
        case .untilBeforeFirst(let until, let first):
            return "the end day \(until) is before the first post on \(first)"
        case .needsTime(let id):
            return "post \(id.prefix(8)) needs a time: only a recurring post's instance can follow its routine's time"
        }
    }
}
