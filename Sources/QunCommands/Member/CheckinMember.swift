import ArgumentParser
import QunStore

struct CheckinMember: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "checkin",
        abstract: "Check members in (打卡) for a day.",
        discussion: """
            Each check-in is an entry in the member's check-in log, never a counter: two \
            laptops checking the same member in offline both keep theirs. Check-ins count \
            towards the activity score (see `qun member why`).

            Example: qun member checkin 张三 李四 --date yesterday --note 晨读
            """)

    @OptionGroup var globals: GlobalOptions
    @Argument(help: "Members: id prefix, member number or exact name.") var members: [String]
    @Option(help: ArgumentHelp("The day checked in, not in the future (default: today; yesterday, -3d or YYYY-MM-DD).", valueName: "day"))
    var date: String?
    @Option(help: ArgumentHelp("A short note, e.g. what was done.", valueName: "text")) var note: String?
    @OptionGroup var output: JSONOption

    func validate() throws {
        if members.isEmpty { throw ValidationError("name at least one member, e.g. qun member checkin 张三") }
        try ReferenceDay.validate(date, option: "--date")
    }

    func run() throws {
        let store = try globals.openStore()
        let day = try ReferenceDay.resolve(date, store: store, option: "--date")
        let results = try store.checkIn(members, day: day, note: note)
        if output.json {
            Console.printJSON(ReportJSON.checkins(results))
            return
        }
        for result in results {
            Console.print("checked in \(result.member.shortID) \(result.member.name) on \(result.day) (\(result.total) check-in\(result.total == 1 ? "" : "s"))")
        }
    }
}
