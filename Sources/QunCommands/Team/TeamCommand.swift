import ArgumentParser
import QunStore

/// `qun team invite|list|role|remove|lock`: the roster of laptops that make up the team.
struct TeamCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "team",
        abstract: "The team this store belongs to: who is in it, with which role.",
        discussion: """
            Every laptop has its own key pair; the roster says which laptops are in the team \
            and what each may do: an admin changes the roster, an editor writes, a viewer only \
            reads. Every peer checks every change against the roster.
            """,
        subcommands: [TeamInviteCommand.self, TeamList.self, TeamRoleCommand.self, TeamRemove.self, TeamLock.self, TeamSet.self, TeamSettingsList.self])
}

extension TeamRole: ExpressibleByArgument {}
