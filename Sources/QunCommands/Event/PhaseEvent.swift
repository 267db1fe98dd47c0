import ArgumentParser
import QunStore

struct PhaseEvent: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "phase",
        abstract: "Move an event one phase forward, or one back to correct a mistake.",
        discussion: """
            Phases: draft → prep → live → done → reviewed. A jump (draft → live) is refused \
            with the phases allowed next.

            Example: qun event phase 读书会线下见面 prep
            """)

    @OptionGroup var globals: GlobalOptions
    @Argument(help: "Event id prefix or exact title.") var event: String
    @Argument(help: "draft, prep, live, done or reviewed.") var phase: String
    @OptionGroup var output: JSONOption

    func validate() throws {
        _ = try EventValidation.phase(phase)
    }

    func run() throws {
        let (event, changed) = try globals.openStore().moveEvent(self.event, to: try EventValidation.phase(phase))
        if output.json {
            Console.printJSON(EventJSON.object(event))
        } else if changed {
            Console.print("\(event.label) is now \(event.phase.rawValue)")
        } else {
            Console.print("\(event.label) is already \(event.phase.rawValue)")
        }
    }
}
