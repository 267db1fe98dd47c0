import Foundation
import ArgumentParser
import QunCore
import QunStore

struct ListPosts: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the posts still to go out, by time.",
        discussion: """
            Posts already done and the recurring posts themselves (the routines) are left out \
            unless --all.

            Filters (all must hold):
              owner:NAME  channel:NAME  template:ID (a routine's days)
              due:DATE  due.before:DATE  due.after:DATE    (date words: today, fri, eow, +3d, …)
              WORD (appears in the title)

            Example: qun post list owner:林晓 due.before:eow
            """)

    @OptionGroup var globals: GlobalOptions
    @OptionGroup var output: JSONOption
    @Flag(name: .long, help: "Include posts already done and the recurring posts themselves.") var all = false
    @Flag(name: .long, help: "Include deleted posts.") var deleted = false
    @Argument(parsing: .allUnrecognized, help: ArgumentHelp("Filter words (see above).", valueName: "filter"))
    var filters: [String] = []

    func validate() throws {
        _ = try PostFilterParser.parse(filters, today: CalendarDay.at(milliseconds: Session.clock()))
    }

    func run() throws {
        let store = try globals.openStore()
        let today = store.localToday()
        var filter = try PostFilterParser.parse(filters, today: today)
        filter.includeClosed = all
        filter.includeDeleted = deleted
        try store.generatePostInstances(today: today)
        let posts = try store.posts(filter)
        if output.json {
            Console.printJSON(.array(try posts.map { try PostJSON.object($0, store: store) }))
            return
        }
        Console.print(try PostListing.render(posts, store: store), terminator: "")
        Console.print("\(posts.count) post\(posts.count == 1 ? "" : "s")")
    }
}

struct DuePosts: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "due",
        abstract: "What to post now, for every operator.",
        discussion: """
            Due now: a post (one of its days, for a recurring post) that is not done, not \
            deleted, and whose time is today at or before this minute, local time. A post at \
            20:00 is due from 20:00 until midnight, whoever owns it; a day missed is no longer \
            due the next day (`qun post list due.before:today` shows it). Tick one off with \
            `qun post done POST`.
            """)

    @OptionGroup var globals: GlobalOptions
    @OptionGroup var output: JSONOption

    func run() throws {
        let store = try globals.openStore()
        try store.generatePostInstances(today: store.localToday())
        let posts = try store.duePosts()
        if output.json {
            Console.printJSON(.array(try posts.map { try PostJSON.object($0, store: store) }))
            return
        }
        if posts.isEmpty {
            Console.print("nothing to post now (see what is planned with `qun post list`)")
            return
        }
        Console.print(try PostListing.render(posts, store: store), terminator: "")
        Console.print("\(posts.count) post\(posts.count == 1 ? "" : "s") to go out")
    }
}

/// Parses the filter words of `post list`, in the style of `task list`.
enum PostFilterParser {
    static let keys = ["owner", "channel", "due", "due.before", "due.after", "template"]

    static func parse(_ words: [String], today: CalendarDay) throws -> PostFilter {
        var filter = PostFilter()
        for word in words {
            switch try FilterWord.classify(word, list: "post list", keys: keys, tags: false, help: "See `qun post list --help`") {
            case .withTag(let word), .withoutTag(let word), .word(let word): filter.words.append(word)
            case .field(let key, let value):
                switch key {
                case "owner": filter.owner = value
                case "channel": filter.channel = value
                case "due": filter.dueOn = try DateWords.day(value, today: today, field: "due")
                case "due.before": filter.dueBefore = try DateWords.day(value, today: today, field: "due.before")
                case "due.after": filter.dueAfter = try DateWords.day(value, today: today, field: "due.after")
                case "template":
                    let lower = value.lowercased()
                    guard lower.count >= 4, lower.count <= 32, lower.allSatisfy(\.isHexDigit) else {
                        throw ValidationError("filter template:\(value) needs a recurring post's id or an id prefix of at least 4 characters")
                    }
                    filter.template = lower
                default:
                    throw FilterWord.unknownKey(key, keys: keys, tail: "WORD (see `qun post list --help`)")
                }
            }
        }
        return filter
    }
}

/// The table `post list` and `post due` print.
enum PostListing {
    static func render(_ posts: [Post], store: Store) throws -> String {
        let names = try PostJSON.templateNames(store)
        var table = TextTable(columns: [
            .init(title: "ID"), .init(title: "AT"), .init(title: "CHANNEL", maxWidth: 16), .init(title: "OWNER", maxWidth: 12),
            .init(title: "TITLE", maxWidth: 40), .init(title: "TEMPLATE", maxWidth: 16), .init(title: "DONE"),
        ])
        for post in posts {
            var title = post.title
            if let recur = post.recur, post.isRoutine { title += " (\(recur.rawValue))" }
            if post.deleted { title += " (deleted)" }
            table.addRow([
                post.shortID, post.at ?? "", post.channel ?? "", post.owner ?? "", title,
                post.message.map { names[$0] ?? String($0.prefix(8)) } ?? "", post.done ?? "",
            ])
        }
        return table.render(maxWidth: Console.terminalWidth)
    }
}

struct ExportPosts: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export the content calendar as iCalendar (.ics).",
        discussion: """
            One calendar entry per post; a recurring post is one repeating entry, its days \
            overriding it where they differ. Times are written in UTC, converted from this \
            laptop's time zone. Importing the file again updates the entries.

            Example: qun post export --ics --output 内容规划.ics
            """)

    @OptionGroup var globals: GlobalOptions
    @Flag(help: "iCalendar (RFC 5545), the only format so far.") var ics = false
    @Option(help: ArgumentHelp("Write to this file instead of stdout.", valueName: "file")) var output: String?

    func validate() throws {
        if !ics { throw ValidationError("give the format: --ics (iCalendar)") }
        if let output, output.isEmpty { throw ValidationError("--output needs a file name") }
    }

    func run() throws {
        let store = try globals.openStore()
        try store.generatePostInstances(today: store.localToday())
        let text = try store.postsCalendar()
        guard let output else {
            Console.print(text, terminator: "")
            return
        }
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: output), options: .atomic)
        } catch {
            throw ValidationError("cannot write \(output): \(error.localizedDescription) — check the directory exists and is writable")
        }
        Console.note("wrote \(output)")
    }
}
