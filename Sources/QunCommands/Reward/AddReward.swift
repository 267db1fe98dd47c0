import ArgumentParser
import QunCore
import QunStore

struct AddReward: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Record a reward for one member, picked by hand, and print its id.",
        discussion: """
            A member has one hand-added reward a month (besides a leaderboard one): adding again \
            for the same member and month gives that reward the new gift — the later text wins, \
            here and after a sync — so two laptops adding it offline never hand out two gifts. \
            Put two gifts in one text ('书一本、徽章') when one month earns both.

            Example: qun reward add 张三 --gift '徽章' --note '帮忙组织读书会'
            """)

    @OptionGroup var globals: GlobalOptions
    @Argument(help: ArgumentHelp("Member id prefix, member number or exact name.", valueName: "member")) var member: String
    @Option(help: ArgumentHelp("The gift, e.g. '书一本'.", valueName: "text")) var gift: String
    @Option(help: ArgumentHelp("Points that go with the gift.", valueName: "n")) var points: Int?
    @Option(help: ArgumentHelp("The month rewarded (default: this month).", valueName: "YYYY-MM")) var month: String?
    @Option(help: ArgumentHelp("Why, in one line.", valueName: "text")) var note: String?
    @OptionGroup var output: JSONOption

    func validate() throws {
        try RewardMonth.validate(month)
        if let points, points < 0 { throw ValidationError("--points must be 0 or more") }
    }

    func run() throws {
        let store = try globals.openStore()
        let (reward, outcome) = try store.addReward(member: member, gift: gift, points: points, month: try RewardMonth.parse(month), note: note)
        let names = try RewardNames(store, [reward])
        if output.json {
            Console.printJSON(RewardJSON.object(reward, names: names, extra: [("outcome", .string(outcome.rawValue))]))
            return
        }
        switch outcome {
        case .added, .restored:
            Console.print(reward.id)
            if outcome == .restored { Console.note("brought back the deleted reward \(reward.label) for \(names.member(reward))") }
        case .updated:
            Console.print(reward.id)
            Console.note("\(names.member(reward)) has a reward for \(reward.month) already: its gift is now \(reward.gift)")
        case .unchanged:
            Console.print(reward.id)
            Console.note("\(names.member(reward)) has this reward for \(reward.month) already; nothing changed")
        }
    }
}
