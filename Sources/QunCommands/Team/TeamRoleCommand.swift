import ArgumentParser
import QunStore

/// `qun team role NAME ROLE`.
struct TeamRoleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "role",
        abstract: "Change a teammate's role (admin, editor, viewer).",
        discussion: "NAME is the operator name `qun team list` shows, or a prefix of the replica id. Only admins change roles; the last admin cannot step down.")

    @OptionGroup var globals: GlobalOptions
    @Argument(help: ArgumentHelp("The teammate.", valueName: "name"))
    var name: String
    @Argument(help: ArgumentHelp("admin, editor or viewer.", valueName: "role"))
    var role: TeamRole

    func run() throws {
        let store = try globals.openStore()
        let entry = try store.setRole(of: name, to: role)
        Console.print("\(entry.name) is now \(entry.role.rawValue); teammates see it after their next sync")
    }
}
