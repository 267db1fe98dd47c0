import ArgumentParser
import QunCore
import QunStore
import QunSync

/// `qun team invite [--role R] [--expires D] --url URL`.
struct TeamInviteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "invite",
        abstract: "Print a single-use invite for one new laptop.",
        discussion: """
            Prints one line: qun2:<team>:<token>:<url>. The new teammate runs \
            `qun --store DIR init --name NAME --join '<invite>'` while this laptop runs \
            `qun serve` at <url>: the invite is redeemed here once, before it expires, and the \
            new laptop receives the team's keys sealed to its own key pair. The line holds no \
            key of the team's data, but whoever redeems it first joins: send it privately. \
            Only admins invite.

            --shared-secret prints the old form instead, qun1:<team>:<secret>, which admits \
            any number of laptops, offline too, as editors; it works only while the team is \
            open (a team from an earlier release, or made with `init --open`), until \
            `qun team lock`.
            """)

    @OptionGroup var globals: GlobalOptions
    @Option(name: .long, help: ArgumentHelp("The new laptop's role: admin, editor or viewer.", valueName: "role"))
    var role: TeamRole = .editor
    @Option(name: .long, help: ArgumentHelp("How long the invite stays valid, e.g. 30m, 24h, 7d.", valueName: "duration"))
    var expires: String = "24h"
    @Option(name: .long, help: ArgumentHelp("The URL where this laptop serves sync (`qun serve`).", valueName: "url"))
    var url: String?
    @Flag(name: .customLong("shared-secret"), help: "Print the team secret invite of an open team instead.")
    var sharedSecret = false

    func validate() throws {
        guard let lifetime = DurationText.milliseconds(expires), lifetime > 0 else {
            throw ValidationError("--expires \(expires): give a duration such as 30m, 24h or 7d")
        }
        if !sharedSecret && url == nil {
            throw ValidationError("--url is needed: the invite is redeemed at this laptop's `qun serve`, e.g. --url http://192.168.1.20:7420")
        }
    }

    func run() throws {
        let store = try globals.openStore()
        guard let team = store.identity.team else { throw StoreError.noTeam }
        if sharedSecret {
            guard try !store.roster().isLocked else {
                throw ValidationError("the team is locked: its secret admits no one; invite with `qun team invite --url URL`")
            }
            Console.print(QunSync.TeamInvite(team: team, url: url).text)
            return
        }
        let token = try store.createInvite(role: role, lifetime: DurationText.milliseconds(expires)!)
        Console.print(QunSync.TeamInvite(team: team.id, token: token, url: url!).text)
    }
}
