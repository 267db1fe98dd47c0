import ArgumentParser
import QunStore

/// `qun peer rm NAME`.
struct PeerRemove: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rm",
        abstract: "Forget a registered peer (the changes it sent stay).")

    @OptionGroup var globals: GlobalOptions
    @Argument(help: "The peer's name (see `qun peer list`).") var name: String

    func run() throws {
        let store = try globals.openStore()
        do {
            try store.removePeer(name: name)
        } catch StoreError.notFound {
            throw SyncCommandError("no peer named '\(name)': see `qun peer list`")
        }
        Console.print("removed peer \(name); the changes it sent stay")
    }
}
