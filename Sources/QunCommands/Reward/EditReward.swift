import ArgumentParser
import QunStore

struct EditReward: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "edit",
        abstract: "Change a reward's gift, points or note.",
        discussion: "Two teammates editing one reward concurrently: the later edit of each field wins. An edit never unmarks a gift that was sent.")

    @OptionGroup var globals: GlobalOptions
    @Argument(help: ArgumentHelp(Reward.referenceHelp, valueName: "reward")) var reward: String
    @Option(help: ArgumentHelp("The new gift.", valueName: "text")) var gift: String?
    @Option(help: ArgumentHelp("The new points.", valueName: "n")) var points: Int?
    @Option(help: ArgumentHelp("A new note ('' clears it).", valueName: "text")) var note: String?
    @OptionGroup var output: JSONOption

    func validate() throws {
        guard gift != nil || points != nil || note != nil else { throw ValidationError("give --gift, --points or --note") }
        if let points, points < 0 { throw ValidationError("--points must be 0 or more") }
    }

    func run() throws {
        let store = try globals.openStore()
        let edited = try store.editReward(reward, gift: gift, points: points, note: note)
        if output.json {
            Console.printJSON(RewardJSON.object(edited, names: try RewardNames(store, [edited])))
        } else {
            Console.print("updated \(edited.label)")
        }
    }
}
