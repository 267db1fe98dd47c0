import ArgumentParser
import QunStore

struct AddEvent: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Add an event plan (a draft) and print its id.",
        discussion: """
            Example: qun event add 读书会线下见面 --kind offline --city 杭州 --place 晓书馆 \
            --start 2026-12-12T14:00 --end 2026-12-12T17:00 --target 50 --budget 3000
            """)

    @OptionGroup var globals: GlobalOptions
    @Argument(help: "The event's title; any Unicode.") var title: String
    @OptionGroup var fields: EventFieldOptions
    @OptionGroup var output: JSONOption

    func validate() throws {
        _ = try EventValidation.title(title)
    }

    func run() throws {
        var draft = EventDraft(title: title)
        for (field, value) in fields.given {
            switch field {
            case .kind: draft.kind = value
            case .place: draft.place = value
            case .city: draft.city = value
            case .start: draft.start = value
            case .end: draft.end = value
            case .purpose: draft.purpose = value
            case .target: draft.target = value
            case .rules: draft.rules = value
            case .rewards: draft.rewards = value
            case .budget: draft.budget = value
            case .title, .phase: break
            }
        }
        let event = try globals.openStore().addEvent(draft)
        if output.json {
            Console.printJSON(EventJSON.object(event))
        } else {
            Console.print(event.id)
        }
    }
}
