import ArgumentParser
import QunStore

struct PostCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "post",
        abstract: "The content calendar (内容规划表): what to post, where, when and by whom.",
        discussion: """
            A post is named by its id (or a unique prefix of at least 4 characters) or its \
            exact title; the title of a recurring post names today's (`qun post done 早安`). \
            A recurring post makes one post per day it falls on, up to tomorrow; those made on \
            two laptops offline are the same records, so syncing never shows a day twice, and a \
            teammate's `done` is never undone. `qun post` alone shows `qun post due`.
            """,
        subcommands: [
            AddPost.self, EditPost.self, DonePost.self, DuePosts.self, ListPosts.self, ShowRecord<Post>.self,
            RemoveRecord<Post>.self, RestoreRecord<Post>.self, ExportPosts.self,
        ],
        defaultSubcommand: DuePosts.self)
}

/// The post fields `add` and `edit` share.
struct PostFieldOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The group (群名) it goes to.", valueName: "name")) var channel: String?
    @Option(help: ArgumentHelp("Who posts it (an operator name); default: nobody in particular.", valueName: "name")) var owner: String?
    @Option(help: ArgumentHelp("The message template (话术) to post, by name or id prefix.", valueName: "template")) var template: String?

    func validate() throws {
        if let channel, !channel.isEmpty { _ = try PostValidation.channel(channel) }
        if let owner, !owner.isEmpty { _ = try PostValidation.owner(owner) }
    }
}

/// `--at`: a date word with a time (`tomorrowT20:00`), resolved against today.
enum PostTime {
    static func resolve(_ word: String, today: CalendarDay) throws -> String {
        try PostValidation.at(DateWords.resolve(word, today: today, field: "at").description)
    }
}

/// The `--json` or text answer of the verbs that change one post.
enum PostAnswer {
    static func print(_ post: Post, store: Store, json: Bool, text: String) throws {
        if json {
            Console.printJSON(try PostJSON.object(post, store: store))
        } else {
            Console.print(text)
        }
    }
}
