import ArgumentParser
import QunCore
import QunStore

struct Status: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show this store: identity, counts, version vector, held changes, what peers lack.")

    @OptionGroup var globals: GlobalOptions
    @OptionGroup var output: JSONOption

    func run() throws {
        let store = try globals.openStore()
        let status = try store.status()
        let operators = try store.operatorNames()
        func who(_ replica: ReplicaID) -> String { operators[replica] ?? String(replica.hex.prefix(8)) }
        if output.json {
            Console.printJSON(.object([
                ("store", .string(store.directory.path)),
                ("replica", .string(status.replica.hex)),
                ("operator", .string(status.operatorName)),
                ("team", status.team.map { .string($0.hex) } ?? .null),
                ("schema", .int(Int64(status.schemaVersion))),
                ("members", .object([("live", .int(Int64(status.members))), ("deleted", .int(Int64(status.deletedMembers)))])),
                ("changes", .int(Int64(status.changes))),
                ("vector", status.vector.json),
                ("held", .array(status.held.sorted { $0.key < $1.key }.map { replica, held in
                    .object([("replica", .string(replica.hex)), ("operator", .string(who(replica))),
                             ("count", .int(Int64(held.count))), ("ahead_ms", .int(held.aheadMilliseconds))])
                })),
                ("peers", .array(status.pendingForPeers.sorted { $0.key < $1.key }.map { replica, pending in
                    .object([("replica", .string(replica.hex)), ("operator", .string(who(replica))), ("pending", .int(pending))])
                })),
                ("forks", .array(status.forks.map { fork in
                    .object([("replica", .string(fork.replica.hex)), ("operator", .string(who(fork.replica))),
                             ("peer", .string(fork.peer)), ("seq", .int(fork.seq))])
                })),
            ]))
            return
        }
        var lines: [(String, String)] = [
            ("store", store.directory.path),
            ("replica", "\(status.replica.hex) (\(status.operatorName))"),
            ("team", status.team.map(\.hex) ?? "none"),
            ("members", "\(status.members) live, \(status.deletedMembers) deleted"),
            ("changes", "\(status.changes)"),
        ]
        for (replica, seq) in status.vector.entries.sorted(by: { $0.key < $1.key }) {
            lines.append(("vector", "\(who(replica)) \(replica.hex.prefix(8)): \(seq)"))
        }
        for (replica, held) in status.held.sorted(by: { $0.key < $1.key }) {
            lines.append(("held", "\(held.count) change\(held.count == 1 ? "" : "s") from \(who(replica)), up to \(TimeFormat.duration(milliseconds: held.aheadMilliseconds)) ahead of this clock — their clock is probably wrong; `qun bundle import --accept-skew FILE` applies them"))
        }
        for fork in status.forks {
            lines.append(("fork", "\(fork.peer) holds other changes than this laptop under \(who(fork.replica))'s id (both up to change \(fork.seq)): someone wrote under that id, or two stores share it; tell the team"))
        }
        for (replica, pending) in status.pendingForPeers.sorted(by: { $0.key < $1.key }) {
            if pending == 0 {
                lines.append(("peer", "\(who(replica)) has every change this laptop has"))
                continue
            }
            lines.append(("peer", "\(who(replica)) is not known to have \(pending) change\(pending == 1 ? "" : "s") (`qun bundle export FILE --for \(who(replica))`)"))
        }
        for (label, value) in lines { Console.print(pad(label, toWidth: 9) + value) }
    }
}
