import ArgumentParser
import QunStore

/// `qun team lock`.
struct TeamLock: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lock",
        abstract: "Close an open team: only invited laptops may join and sync.",
        discussion: """
            A team from an earlier release, or made with `init --open`, admits any laptop that \
            holds its shared secret. After `qun team lock`, peers accept only laptops in the \
            roster, signed by their own keys; laptops that entered the roster before the lock \
            stay. Check `qun team list` first: a laptop that has not synced since the upgrade is \
            not in the roster yet and will need an invite.
            """)

    @OptionGroup var globals: GlobalOptions

    func run() throws {
        let store = try globals.openStore()
        if try store.lockTeam() {
            Console.print("the team is locked: only laptops in its roster sync now; teammates see it after their next sync")
        } else {
            Console.print("the team was already locked")
        }
    }
}
