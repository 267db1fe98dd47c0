import ArgumentParser
import QunStore

/// `qun team remove NAME [--handover OTHER]`.
struct TeamRemove: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remove",
        abstract: "Remove a teammate's laptop from the team, for good.",
        discussion: """
            Revokes the laptop, locks the team if it was open, and starts a new key epoch whose \
            key is sealed to each remaining teammate. Once the teammates have synced, every \
            peer answers that laptop's requests with 401 and leaves out the changes it makes \
            after the removal; what it wrote before stays. Removal cannot take back what is \
            already on that laptop: the records it holds stay readable there.

            --handover OTHER gives OTHER the leaver's open tasks (assignee) and the members \
            whose KOL is the leaver's member record (离职继承), in the same command.
            """)

    @OptionGroup var globals: GlobalOptions
    @Argument(help: ArgumentHelp("The teammate to remove (operator name or replica id prefix).", valueName: "name"))
    var name: String
    @Option(name: .long, help: ArgumentHelp("The teammate who takes over the leaver's tasks and members.", valueName: "other"))
    var handover: String?

    func run() throws {
        let store = try globals.openStore()
        let removal = try store.removeTeammate(name, handover: handover)
        Console.print("removed \(removal.removed.name) (\(removal.removed.replica.hex.prefix(8))); key epoch \(removal.epoch) started; sync with your teammates so that every peer refuses that laptop")
        if let handover {
            Console.print("handed over to \(handover): \(removal.tasksMoved) task\(removal.tasksMoved == 1 ? "" : "s"), \(removal.membersMoved) member\(removal.membersMoved == 1 ? "" : "s")")
        }
    }
}
