import ArgumentParser

/// `qun peer add|list|rm`: the teammates' laptops `qun sync` talks to.
struct PeerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "peer",
        abstract: "Teammates' laptops to sync with.",
        discussion: """
            A peer is a short name for the address a teammate's `qun serve` prints, e.g. \
            `qun peer add wang http://192.168.1.20:7420`; then `qun sync wang` (or `qun sync` \
            for every peer). Registering a peer contacts nothing.
            """,
        subcommands: [PeerAdd.self, PeerList.self, PeerRemove.self])
}
