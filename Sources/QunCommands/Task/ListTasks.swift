import ArgumentParser
import QunCore
import QunStore

struct ListTasks: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List open tasks, filtered, by due date.",
        discussion: """
            Done and dropped tasks and recurring templates are left out unless a status: or \
            recur: filter asks for them, or --all.

            Filters (all must hold):
              assignee:NAME  status:todo|doing|done|dropped|any  priority:H|M|L
              due:DATE  due.before:DATE  due.after:DATE    (date words: today, fri, eow, +3d, …)
              event:ID  recur:daily|weekly|monthly|any  template:ID
              +tag  -tag  +OVERDUE    WORD (appears in the title)

            Example: qun task list assignee:林晓 due.before:eow +内容
            """)

    @OptionGroup var globals: GlobalOptions
    @OptionGroup var output: JSONOption
    @Flag(name: .long, help: "Include done and dropped tasks and recurring templates.") var all = false
    @Flag(name: .long, help: "Include deleted tasks.") var deleted = false
    @Argument(parsing: .allUnrecognized, help: ArgumentHelp("Filter words (see above).", valueName: "filter"))
    var filters: [String] = []

    func validate() throws {
        _ = try TaskFilterParser.parse(filters, today: CalendarDay.at(milliseconds: Session.clock()))
    }

    func run() throws {
        let store = try globals.openStore()
        let today = store.localToday()
        var filter = try TaskFilterParser.parse(filters, today: today)
        filter.includeClosed = filter.includeClosed || all
        filter.includeDeleted = deleted
        try store.generateTaskInstances(today: today)
        let tasks = try store.tasks(filter)
        if output.json {
            Console.printJSON(.array(tasks.map { TaskJSON.object($0, today: today) }))
            return
        }
        Console.print(TaskListing.render(tasks, today: today), terminator: "")
        Console.print("\(tasks.count) task\(tasks.count == 1 ? "" : "s")")
    }
}
