import ArgumentParser
import QunStore

struct RewardCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reward",
        abstract: "The rewards ledger (奖励台账): who gets which gift for which month, and whether it was given.",
        discussion: """
            `reward grant` records the month's leaderboard winners; `reward add` one member by \
            hand; `reward sent` marks gifts as given. A member has at most one leaderboard reward \
            and one hand-added reward a month: their ids come from the month, the member and the \
            kind, so two laptops granting the same month offline end with one reward per member \
            after they sync. A gift marked sent stays sent whatever edits or grants meet it in a \
            sync. A reward is named by its id (or a unique prefix of at least 4 characters).
            """,
        subcommands: [
            GrantRewards.self, AddReward.self, EditReward.self, ListRewards.self, MarkRewardsSent.self,
            ShowRecord<Reward>.self, RemoveRecord<Reward>.self, RestoreRecord<Reward>.self,
        ])
}

/// `--month YYYY-MM`, checked before the store is opened.
enum RewardMonth {
    static func validate(_ text: String?) throws {
        guard let text else { return }
        do { _ = try ReportMonth.parse(text, field: "--month") } catch let error as StoreError {
            throw ValidationError(error.description)
        }
    }

    static func parse(_ text: String?) throws -> ReportMonth? {
        try text.map { try ReportMonth.parse($0, field: "--month") }
    }
}
