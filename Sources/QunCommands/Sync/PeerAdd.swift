import ArgumentParser
import QunStore

/// `qun peer add NAME URL`.
struct PeerAdd: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Register a teammate's laptop under a short name.")

    @OptionGroup var globals: GlobalOptions
    @Argument(help: "A short name, one word (e.g. wang).") var name: String
    @Argument(help: "The address its `qun serve` prints, e.g. http://192.168.1.20:7420.") var url: String

    func run() throws {
        let store = try globals.openStore()
        let peer = try store.addPeer(name: name, url: url)
        Console.print("added peer \(peer.name) at \(peer.url); sync with `qun sync \(peer.name)`")
    }
}
