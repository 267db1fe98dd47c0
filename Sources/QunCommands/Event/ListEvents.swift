import ArgumentParser
import QunCore
import QunStore

struct ListEvents: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List live event plans, by start, filtered.",
        discussion: """
            Filters (all must hold):
              phase:prep  kind:offline  city:杭州
              after:DAY   starts on or after the day (a date or a date word: today, +7d, mon)
              before:DAY  starts on or before the day
              WORD        appears in the title

            SIGNUPS and CAME count members who are not deleted, against the TARGET.

            Example: qun event list phase:prep city:杭州 after:today
            """)

    @OptionGroup var globals: GlobalOptions
    @OptionGroup var output: JSONOption
    @Flag(name: .long, help: "Include deleted events.") var deleted = false
    @Argument(parsing: .allUnrecognized, help: ArgumentHelp("Filter words (see above).", valueName: "filter"))
    var filters: [String] = []

    func validate() throws {
        _ = try EventFilterParser.parse(filters, today: CalendarDay.at(milliseconds: Store.systemClock()))
    }

    func run() throws {
        let store = try globals.openStore()
        var filter = try EventFilterParser.parse(filters, today: CalendarDay.at(milliseconds: store.now()))
        filter.includeDeleted = deleted
        let events = try store.events(filter)
        if output.json {
            Console.printJSON(.array(events.map(EventJSON.object)))
            return
        }
        var table = TextTable(columns: [
            .init(title: "ID"), .init(title: "START"), .init(title: "TITLE", maxWidth: 30),
            .init(title: "PHASE"), .init(title: "KIND"), .init(title: "CITY", maxWidth: 12),
            .init(title: "SIGNUPS", alignRight: true), .init(title: "TARGET", alignRight: true),
            .init(title: "CAME", alignRight: true),
        ])
        for event in events {
            table.addRow([
                event.shortID, event.start ?? "", event.title + (event.deleted ? " (deleted)" : ""),
                event.phase.rawValue, event.kind?.rawValue ?? "", event.city ?? "",
                String(event.signups.count), event.target.map(String.init) ?? "", String(event.attendance.count),
            ])
        }
        Console.print(table.render(maxWidth: Console.terminalWidth), terminator: "")
        Console.print("\(events.count) event\(events.count == 1 ? "" : "s")")
    }
}
