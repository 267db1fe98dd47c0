import ArgumentParser
import QunStore

struct ReviewEvent: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "review",
        abstract: "Write the retrospective (复盘) of a done event.",
        discussion: """
            Lines are kept, never overwritten: teammates writing at the same time keep all \
            their lines. Only a done (or reviewed) event takes a retrospective; \
            --mark-reviewed moves it from done to reviewed.

            Example: qun event review 读书会线下见面 --achieved "到场 46 人" --missed "签到拥堵" --keep "提前一周提醒" --mark-reviewed
            """)

    @OptionGroup var globals: GlobalOptions
    @Argument(help: "Event id prefix or exact title.") var event: String
    @Option(help: ArgumentHelp("What we achieved; repeat for several lines.", valueName: "text")) var achieved: [String] = []
    @Option(help: ArgumentHelp("What we missed; repeat for several lines.", valueName: "text")) var missed: [String] = []
    @Option(help: ArgumentHelp("What we keep doing; repeat for several lines.", valueName: "text")) var keep: [String] = []
    @Flag(name: .customLong("mark-reviewed"), help: "Move the event from done to reviewed.") var markReviewed = false
    @OptionGroup var output: JSONOption

    var lines: [(Event.Retro, String)] {
        achieved.map { (.achieved, $0) } + missed.map { (.missed, $0) } + keep.map { (.keep, $0) }
    }

    func validate() throws {
        if lines.isEmpty && !markReviewed {
            throw ValidationError("nothing to write: give --achieved, --missed or --keep lines, or --mark-reviewed")
        }
        for (_, line) in lines { _ = try EventValidation.retroLine(line) }
    }

    func run() throws {
        let event = try globals.openStore().review(self.event, lines: lines, markReviewed: markReviewed)
        if output.json {
            Console.printJSON(EventJSON.object(event))
        } else {
            Console.print("\(event.label): retrospective has \(event.achievedCount) achieved, \(event.missedCount) missed, \(event.keepCount) keep (phase \(event.phase.rawValue))")
        }
    }
}
