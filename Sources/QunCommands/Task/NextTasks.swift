import ArgumentParser
import QunCore
import QunStore

struct NextTasks: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "next",
        abstract: "What to do next: open tasks, most urgent first.",
        discussion: """
            Urgency adds up: tag `next` 15, due up to 12 (more as the day nears, full once a \
            week overdue), priority H 6 / M 3.9 / L 1.8, started 4, age up to 2, \
            annotations and tags up to 1 each. See `qun help filters`. Takes the same filters \
            as `task list`.

            Example: qun task next assignee:林晓 --limit 5
            """)

    @OptionGroup var globals: GlobalOptions
    @OptionGroup var output: JSONOption
    @Option(help: "Show at most this many.") var limit: Int = 10
    @Argument(parsing: .allUnrecognized, help: ArgumentHelp("Filter words (as for `task list`).", valueName: "filter"))
    var filters: [String] = []

    func validate() throws {
        guard limit > 0 else { throw ValidationError("--limit must be at least 1") }
        _ = try TaskFilterParser.parse(filters, today: CalendarDay.at(milliseconds: Session.clock()))
    }

    func run() throws {
        let store = try globals.openStore()
        let today = store.localToday()
        let filter = try TaskFilterParser.parse(filters, today: today)
        try store.generateTaskInstances(today: today)
        let ranked = try store.nextTasks(filter, today: today, limit: limit)
        if output.json {
            Console.printJSON(.array(ranked.map { TaskJSON.object($0.task, today: today) }))
            return
        }
        if ranked.isEmpty {
            Console.print("nothing to do: no open task matches (add one with `qun task add TITLE --due tomorrow`)")
            return
        }
        let scores = Dictionary(ranked.map { ($0.task.id, $0.urgency) }, uniquingKeysWith: { a, _ in a })
        Console.print(TaskListing.render(ranked.map(\.task), today: today, urgency: scores), terminator: "")
        Console.print("\(ranked.count) task\(ranked.count == 1 ? "" : "s")")
    }
}
