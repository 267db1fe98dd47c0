import ArgumentParser
import QunCore
import QunStore

struct MarkRewardsSent: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sent",
        abstract: "Mark gifts as given.",
        discussion: """
            The mark records who gave it and when. It is never taken back by a sync: a grant or \
            an edit on another laptop, before or after, leaves it sent (only `qun undo` of this \
            command does). Marking a gift sent again keeps the first mark.

            Example: qun reward sent 3f2a 9c1e
            """)

    @OptionGroup var globals: GlobalOptions
    @Argument(help: ArgumentHelp("Reward id prefixes (the first column of `qun reward list`).", valueName: "reward"))
    var rewards: [String]
    @Option(help: ArgumentHelp("The day it was given (default: today).", valueName: "day")) var date: String?
    @OptionGroup var output: JSONOption

    func validate() throws {
        guard !rewards.isEmpty else { throw ValidationError("name at least one reward (see `qun reward list -sent`)") }
        try ReferenceDay.validate(date, option: "--date")
    }

    func run() throws {
        let store = try globals.openStore()
        let day = try date.map { _ in try ReferenceDay.resolve(date, store: store, option: "--date") }
        let marked = try store.markRewardsSent(rewards, day: day)
        let names = try RewardNames(store, marked.map(\.reward))
        if output.json {
            Console.printJSON(.array(marked.map { RewardJSON.object($0.reward, names: names, extra: [("already", .bool($0.already))]) }))
            return
        }
        for (reward, already) in marked {
            let sent = names.sentText(reward) ?? ""
            Console.print(already ? "already sent \(reward.label) to \(names.member(reward)): \(sent)"
                                  : "sent \(reward.label) to \(names.member(reward))")
        }
    }
}
