import ArgumentParser
import QunStore

struct AddPost: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Plan a post and print its id.",
        discussion: """
            --at takes a day and a time: 2026-12-03T20:00, or a date word with a time \
            (tomorrowT20:00, friT09:30: see `qun help dates`). With --recur the post is a \
            routine: a post is made for every day it falls on, from --at's day up to tomorrow, \
            at --at's time, until --until or until the routine is deleted.

            Examples:
              qun post add 早安 --at tomorrowT08:00 --recur daily --template 早安 --channel 读书会1群
              qun post add "周六活动预告" --at 2026-12-03T20:00 --owner 林晓
            """)

    @OptionGroup var globals: GlobalOptions
    @Argument(help: "What the post is; any Unicode, one line.") var title: String
    @Option(parsing: .unconditional, help: ArgumentHelp("When it goes out: a day and a time (2026-12-03T20:00, tomorrowT20:00).", valueName: "time"))
    var at: String
    @Option(help: "Repeat: daily or weekly.") var recur: String?
    @Option(parsing: .unconditional, help: ArgumentHelp("The last day of a recurring post (a date word).", valueName: "date")) var until: String?
    @OptionGroup var fields: PostFieldOptions
    @OptionGroup var output: JSONOption

    func validate() throws {
        _ = try PostValidation.title(title)
        let today = CalendarDay.at(milliseconds: Session.clock())
        _ = try PostTime.resolve(at, today: today)
        if let recur { _ = try PostValidation.recurrence(recur) }
        if until != nil && recur == nil { throw ValidationError("--until needs --recur: only a recurring post has an end") }
        if let until { _ = try DateWords.day(until, today: today, field: "until") }
        try fields.validate()
    }

    func run() throws {
        let store = try globals.openStore()
        let today = store.localToday()
        var draft = PostDraft(title: title, at: try PostTime.resolve(at, today: today))
        draft.recur = try recur.map(PostValidation.recurrence)
        draft.until = try until.map { try DateWords.day($0, today: today, field: "until").description }
        draft.template = fields.template
        draft.channel = fields.channel
        draft.owner = fields.owner
        let post = try store.addPost(draft, today: today)
        try store.generatePostInstances(today: today)
        if output.json {
            Console.printJSON(try PostJSON.object(store.post(post.id, includeDeleted: true), store: store))
        } else {
            Console.print(post.id)
        }
    }
}

struct EditPost: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "edit",
        abstract: "Change only the fields given.",
        discussion: """
            An empty value clears the channel, the owner or the template (--owner ''), and \
            an instance's own time, which then follows its routine's again. Editing one day's \
            post of a routine changes that day only; editing the routine changes every day \
            that has no value of its own.

            Example: qun post edit 早安 --at todayT08:30
            """)

    @OptionGroup var globals: GlobalOptions
    @Argument(help: ArgumentHelp(Post.referenceHelp, valueName: "post")) var post: String
    @Option(help: "New title.") var title: String?
    @Option(parsing: .unconditional, help: ArgumentHelp("When it goes out: a day and a time.", valueName: "time")) var at: String?
    @OptionGroup var fields: PostFieldOptions
    @OptionGroup var output: JSONOption

    func validate() throws {
        if [title, at, fields.channel, fields.owner, fields.template].allSatisfy({ $0 == nil }) {
            throw ValidationError("nothing to change: give at least one of --title, --at, --channel, --owner, --template")
        }
        if let title { _ = try PostValidation.title(title) }
        if let at, !at.isEmpty { _ = try PostTime.resolve(at, today: CalendarDay.at(milliseconds: Session.clock())) }
        try fields.validate()
    }

    func run() throws {
        let store = try globals.openStore()
        let today = store.localToday()
        try store.generatePostInstances(today: today)
        let edit = PostEdit(title: title, at: try at.map { $0.isEmpty ? "" : try PostTime.resolve($0, today: today) },
                            channel: fields.channel, owner: fields.owner, template: fields.template)
        let edited = try store.editPost(post, edit, today: today)
        try store.generatePostInstances(today: today)
        try PostAnswer.print(try store.post(edited.id), store: store, json: output.json, text: "updated \(edited.label)")
    }
}

struct DonePost: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "done",
        abstract: "Record that a post went out (and when).",
        discussion: "On a recurring post's day this ticks off that day only; the routine goes on. Example: qun post done 早安")

    @OptionGroup var globals: GlobalOptions
    @Argument(help: ArgumentHelp(Post.referenceHelp, valueName: "post")) var post: String
    @OptionGroup var output: JSONOption

    func run() throws {
        let store = try globals.openStore()
        try store.generatePostInstances(today: store.localToday())
        let done = try store.markPostDone(post)
        try PostAnswer.print(done, store: store, json: output.json, text: "done \(done.label)")
    }
}
