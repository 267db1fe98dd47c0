import ArgumentParser

// Placeholder: replaced by the HTTP client work.
struct SyncCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "sync", abstract: "Two-way sync with peers.")
    @OptionGroup var globals: GlobalOptions
}

struct PeerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "peer", abstract: "Teammates' laptops to sync with.")
    @OptionGroup var globals: GlobalOptions
}
