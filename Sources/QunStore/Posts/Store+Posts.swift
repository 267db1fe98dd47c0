import GRDB
import QunCore

extension Store {
    /// Adds a post and returns it as stored. A routine gets its instances up to tomorrow in
    /// the same transaction; later ones come from `generatePostInstances` (the CLI runs it
    /// with the post commands that list).
    public func addPost(_ draft: PostDraft, today: CalendarDay? = nil) throws -> Post {
        let today = today ?? localToday()
        let title = try PostValidation.title(draft.title)
        let at = try PostValidation.at(draft.at)
        let channel = try draft.channel.flatMap { $0.isEmpty ? nil : try PostValidation.channel($0) }
        let owner = try draft.owner.flatMap { $0.isEmpty ? nil : try PostValidation.owner($0) }
        var until: String?
        if let raw = draft.until, !raw.isEmpty {
            guard draft.recur != nil else { throw PostError.untilWithoutRecur }
            until = try PostValidation.day(raw, field: "until")
            let first = LocalDate(at)!.day
            if let last = until.flatMap({ CalendarDay($0) }), last < first {
                throw PostError.untilBeforeFirst(until: last.description, first: first.description)
            }
        }
        let id = try write { tx -> String in
            let c = String.postCollection
            let id = RecordID.random()
            let message = try draft.template.flatMap { $0.isEmpty ? nil : try tx.resolve(MessageTemplate.self, $0).uid }
            try tx.set(c, id, Post.Field.title.rawValue, .text(title))
            try tx.set(c, id, Post.Field.at.rawValue, .text(at))
            if let channel { try tx.set(c, id, Post.Field.channel.rawValue, .text(channel)) }
            if let owner { try tx.set(c, id, Post.Field.owner.rawValue, .text(owner)) }
            if let message { try tx.set(c, id, Post.Field.message.rawValue, .text(message)) }
            if let until { try tx.set(c, id, Post.Field.until.rawValue, .text(until)) }
            if let recur = draft.recur {
                try tx.set(c, id, Post.Field.recur.rawValue, .text(recur.rawValue))
                try tx.generatePostInstances(ofTemplate: id, today: today)
            }
            return id
        }
        return try post(id, includeDeleted: true)
    }

    /// Changes only the given fields. On an instance that day only; on a routine every
    /// instance that has no value of its own.
    public func editPost(_ reference: String, _ edit: PostEdit, today: CalendarDay? = nil) throws -> Post {
        guard !edit.isEmpty else { throw StoreError.emptyEdit(what: "post") }
        let title = try edit.title.map(PostValidation.title)
        let at = try edit.at.flatMap { $0.isEmpty ? nil : try PostValidation.at($0) }
        let channel = try edit.channel.map { $0.isEmpty ? "" : try PostValidation.channel($0) }
        let owner = try edit.owner.map { $0.isEmpty ? "" : try PostValidation.owner($0) }
        let id = try write { tx -> String in
            let target = try tx.resolve(Post.self, reference, today: today)
            let stored = try tx.stored(Post.self, target.uid)
            let c = String.postCollection
            func set(_ field: Post.Field, _ text: String?) throws {
                guard let text else { return }
                try tx.set(c, target.uid, field.rawValue, text.isEmpty ? .null : .text(text))
            }
            if edit.at == "" && !stored.isInstance { throw PostError.needsTime(id: target.uid) }
            if let first = (at ?? stored.at).flatMap({ LocalDate($0)?.day }), stored.isRoutine,
               let until = stored.until.flatMap({ CalendarDay($0) }), until < first {
                throw PostError.untilBeforeFirst(until: until.description, first: first.description)
            }
            let message = try edit.template.map { $0.isEmpty ? "" : try tx.resolve(MessageTemplate.self, $0).uid }
            try set(.title, title)
            try set(.at, edit.at == "" ? "" : at)
            try set(.channel, channel)
            try set(.owner, owner)
            try set(.message, message)
            return target.uid
        }
        return try post(id)
    }

    /// Records that a post went out, and when (`now`, local; this laptop's by default). One
    /// field: a teammate's concurrent edit of the title or time survives, and generation on
    /// another laptop never writes it, so it is never undone there.
    @discardableResult
    public func markPostDone(_ reference: String, now: LocalDate? = nil) throws -> Post {
        let now = now ?? localNow()
        let id = try write { tx -> String in
            let target = try tx.resolve(Post.self, reference, today: now.day)
            let post = try tx.stored(Post.self, target.uid)
            if post.isRoutine { throw PostError.routineDone(id: post.id, title: post.title) }
            if let done = post.done { throw PostError.alreadyDone(id: post.id, at: done) }
            try tx.set(.postCollection, target.uid, Post.Field.done.rawValue, .text(now.description))
            return target.uid
        }
        return try post(id)
    }

    /// `post due`: what to post now, whoever owns it — every live post, single or a routine's
    /// instance, not yet done, whose time is today at or before `now` (this laptop's local
    /// time by default). A post at 20:00 is due from 20:00 until midnight; yesterday's
    /// missed ones are not (`post list due.before:today` shows them). By time, then id.
    public func duePosts(now: LocalDate? = nil) throws -> [Post] {
        let now = now ?? localNow()
        return try database.read { db in
            try Post.storage.fetch(db, RecordCondition([
                "deleted = 0", "done IS NULL", "(recur IS NULL OR template IS NOT NULL)",
                "substr(at, 1, 10) = ?", "at <= ?",
            ], [now.day.description, now.description]))
        }
    }

    /// The post a reference names (id, id prefix or exact title; a routine's title names
    /// today's instance).
    public func post(_ reference: String, includeDeleted: Bool = false) throws -> Post {
        try record(Post.self, reference, includeDeleted: includeDeleted)
    }

    /// Posts matching `filter`, by time (untimed last), then id: the same order on every laptop.
    public func posts(_ filter: PostFilter = PostFilter()) throws -> [Post] {
        try records(Post.self, filter)
    }

    /// This laptop's local day and time to the minute.
    public func localNow() -> LocalDate {
        LocalDate.at(milliseconds: now())
    }
}

/// Checks on what an operator gives for a post, shared by every front.
public enum PostValidation {
    public static func title(_ text: String) throws -> String {
        try RecordText.line(text, field: "title")
    }

    /// A resolved time: `YYYY-MM-DDTHH:MM`. A post goes out at a time, so a day alone is refused.
    public static func at(_ text: String) throws -> String {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard let date = LocalDate(trimmed), date.time != nil else {
            throw StoreError.invalidValue(field: "at", value: text, expected: "a day and a time, YYYY-MM-DDTHH:MM (a post goes out at a time)")
        }
        return date.description
    }

    /// The group's name as operators write it.
    public static func channel(_ text: String) throws -> String {
        try RecordText.line(text, field: "channel", limit: 64, expected: "a group name of at most 64 characters")
    }

    /// Any operator name: teammates join over time, so no list is checked.
    public static func owner(_ text: String) throws -> String {
        try RecordText.line(text, field: "owner", limit: 64, expected: "an operator name of at most 64 characters")
    }

    public static func day(_ text: String, field: String) throws -> String {
        try TaskValidation.day(text, field: field)
    }

    public static func recurrence(_ text: String) throws -> Post.Recurrence {
        try ChoiceValidation.parse(text, field: "recur")
    }
}
