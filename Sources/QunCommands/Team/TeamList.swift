import ArgumentParser
import QunCore
import QunStore

/// `qun team list [--json]`.
struct TeamList: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "Show the roster: every laptop, its role, who added it, whether it was removed.",
        discussion: """
            LAST SEEN is the time of that laptop's latest change this laptop holds. --json \
            prints an array of objects: name, role, replica, added_by (null for a laptop that \
            entered itself), status (active or removed), removed_by, last_seen (ISO 8601 or \
            null), self.
            """)

    @OptionGroup var globals: GlobalOptions
    @OptionGroup var output: JSONOption

    func run() throws {
        let store = try globals.openStore()
        let teammates = try store.teammates()
        if output.json {
            Console.printJSON(.array(teammates.map { mate in
                .object([
                    ("name", .string(mate.entry.name)),
                    ("role", .string(mate.entry.role.rawValue)),
                    ("replica", .string(mate.entry.replica.hex)),
                    ("added_by", mate.addedBy.map { .string($0) } ?? .null),
                    ("status", .string(mate.entry.removal == nil ? "active" : "removed")),
                    ("removed_by", mate.removedBy.map { .string($0) } ?? .null),
                    ("last_seen", mate.lastSeen.map { .string(PeerList.iso8601($0)) } ?? .null),
                    ("self", .bool(mate.isSelf)),
                ])
            }))
            return
        }
        var table = TextTable(columns: [
            .init(title: "NAME", maxWidth: 20), .init(title: "ROLE"), .init(title: "REPLICA"), .init(title: "ADDED BY", maxWidth: 16),
            .init(title: "STATUS"), .init(title: "LAST SEEN"),
        ])
        for mate in teammates {
            table.addRow([
                mate.entry.name + (mate.isSelf ? " (this laptop)" : ""), mate.entry.role.rawValue,
                String(mate.entry.replica.hex.prefix(8)), mate.addedBy ?? "-",
                mate.removedBy.map { "removed by \($0)" } ?? "active",
                mate.lastSeen.map { TimeFormat.local(HLC(milliseconds: $0, counter: 0)) } ?? "never",
            ])
        }
        Console.print(table.render(maxWidth: Console.terminalWidth), terminator: "")
        if try !store.roster().isLocked {
            Console.print("the team is open: anyone holding its shared-secret invite can join as editor; close it with `qun team lock`")
        }
    }
}
