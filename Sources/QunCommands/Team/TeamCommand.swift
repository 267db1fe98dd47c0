import ArgumentParser
import QunStore
import QunSync

struct TeamCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "team",
        abstract: "The team this store belongs to.",
        subcommands: [Invite.self])

    struct Invite: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the invite a teammate joins with.",
            discussion: """
                Prints one line: qun1:<team>:<secret>[:<url>]. A teammate runs \
                `qun --store DIR init --name NAME --join '<invite>'`. The line holds the team \
                secret: send it privately, never in a group chat.
                """)

        @OptionGroup var globals: GlobalOptions
        @Option(name: .long, help: ArgumentHelp("Add the URL where this laptop serves sync.", valueName: "url"))
        var url: String?

        func run() throws {
            let store = try globals.openStore()
            guard let team = store.identity.team else { throw StoreError.noTeam }
            Console.print(TeamInvite(team: team, url: url).text)
        }
    }
}
