import ArgumentParser
import Foundation
import QunCore
import QunStore

/// `qun peer list [--json]`.
struct PeerList: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "Show the registered peers and when each was last synced.")

    @OptionGroup var globals: GlobalOptions
    @OptionGroup var output: JSONOption

    func run() throws {
        let store = try globals.openStore()
        let peers = try store.peers()
        let operators = try store.operatorNames()
        if output.json {
            Console.printJSON(.array(peers.map { peer in
                .object([
                    ("name", .string(peer.name)),
                    ("url", .string(peer.url)),
                    ("replica", peer.replica.map { .string($0.hex) } ?? .null),
                    ("operator", peer.replica.flatMap { operators[$0] }.map { .string($0) } ?? .null),
                    ("added_at", .string(Self.iso8601(peer.addedAt))),
                    ("last_sync", peer.lastSync.map { .string(Self.iso8601($0)) } ?? .null),
                ])
            }))
            return
        }
        guard !peers.isEmpty else {
            Console.print("no peers yet: add one with `qun peer add NAME URL` (the URL `qun serve` prints on the other laptop)")
            return
        }
        var table = TextTable(columns: [
            .init(title: "NAME"), .init(title: "URL", maxWidth: 48), .init(title: "OPERATOR", maxWidth: 16),
            .init(title: "LAST SYNC"),
        ])
        for peer in peers {
            table.addRow([
                peer.name, peer.url, peer.replica.flatMap { operators[$0] } ?? "",
                peer.lastSync.map { TimeFormat.local(HLC(milliseconds: $0, counter: 0)) } ?? "never",
            ])
        }
        Console.print(table.render(maxWidth: Console.terminalWidth), terminator: "")
    }

    /// UTC, seconds precision: `2026-11-23T12:15:00Z`.
    static func iso8601(_ milliseconds: Int64) -> String {
        ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: Double(milliseconds) / 1000))
    }
}
