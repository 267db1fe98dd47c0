import ArgumentParser
import QunStore

struct EventCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "event",
        abstract: "Event plans (活动策划): phases, run-sheet, sign-ups, attendance, retrospective.",
        discussion: """
            An event is named by its id (or a unique prefix of at least 4 characters) or its \
            exact title. Phases go draft → prep → live → done → reviewed, one step at a time.
            """,
        subcommands: [
            AddEvent.self, EditEvent.self, PhaseEvent.self, ListEvents.self, ShowRecord<Event>.self,
            RemoveRecord<Event>.self, RestoreRecord<Event>.self, AddRunSheetTask.self,
            SignupEvent.self, UnsignupEvent.self, AttendEvent.self, UnattendEvent.self,
            ReviewEvent.self, ExportEvent.self,
        ])
}

/// The event fields `add` and `edit` share.
struct EventFieldOptions: ParsableArguments {
    @Option(help: "online or offline.") var kind: String?
    @Option(help: ArgumentHelp("Where: venue, address or meeting link.", valueName: "text")) var place: String?
    @Option(help: "City.") var city: String?
    @Option(help: ArgumentHelp("Start, local time: a day (all day) or a day and time; date words work (sat, +14dT19:30).", valueName: "YYYY-MM-DD[THH:MM]")) var start: String?
    @Option(help: ArgumentHelp("End, not before the start.", valueName: "YYYY-MM-DD[THH:MM]")) var end: String?
    @Option(help: ArgumentHelp("Why the event is held (目的).", valueName: "text")) var purpose: String?
    @Option(help: ArgumentHelp("Sign-up target (e.g. 50).", valueName: "number")) var target: String?
    @Option(help: ArgumentHelp("Rules for participants.", valueName: "text")) var rules: String?
    @Option(help: ArgumentHelp("Rewards (奖励).", valueName: "text")) var rewards: String?
    @Option(help: ArgumentHelp("Budget in yuan.", valueName: "amount")) var budget: String?

    var given: [(Event.Field, String)] {
        let all: [(Event.Field, String?)] = [
            (.kind, kind), (.place, place), (.city, city), (.start, start), (.end, end), (.purpose, purpose),
            (.target, target), (.rules, rules), (.rewards, rewards), (.budget, budget),
        ]
        return all.compactMap { field, value in value.map { (field, $0) } }
    }

    /// Checks the values that need no store (an empty value, which clears, is fine).
    func validate() throws {
        if let kind, !kind.isEmpty { _ = try EventValidation.kind(kind) }
        if let target, !target.isEmpty { _ = try EventValidation.target(target) }
        if let budget, !budget.isEmpty { _ = try EventValidation.budget(budget) }
        let today = CalendarDay.at(milliseconds: Store.systemClock())
        if let start, !start.isEmpty { _ = try EventValidation.time(start, field: "start", today: today) }
        if let end, !end.isEmpty { _ = try EventValidation.time(end, field: "end", today: today) }
    }
}
