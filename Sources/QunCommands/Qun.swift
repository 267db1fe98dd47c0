import ArgumentParser

/// The root of the command tree, shared by the `qun` executable and (later) the REPL.
public struct Qun: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "qun",
        abstract: "A local-first store for community-operations teams: members, tasks, events.",
        discussion: """
            Each operator keeps the team's records on their own laptop, edits them offline and \
            exchanges changes with teammates over HTTP (qun serve / qun sync) or by bundle files. Every laptop that has seen the same \
            changes shows the same data.

            The store is a directory: --store DIR, else $QUN_STORE, else $XDG_DATA_HOME/qun/default \
            (~/.local/share/qun/default).
            """,
        version: "0.1.0",
        subcommands: [
            Init.self, MemberCommand.self, TaskCommand.self, EventCommand.self, TemplateCommand.self, PostCommand.self, RewardCommand.self, ReportCommand.self,
            ImportCommand.self, History.self, Export.self, BundleCommand.self,
            Status.self, TeamCommand.self, PeerCommand.self, SyncCommand.self, Serve.self,
            Repl.self, Undo.self, Topic.self,
        ]
    )

    @OptionGroup var globals: GlobalOptions

    public init() {}
}
