import ArgumentParser
import QunCore
import QunStore

struct History: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show who changed what, and when, on one record.",
        discussion: """
            Every change ever made to the record, deleted or not, in the order that decides \
            conflicts (time, then replica). SIGNED says whether the change carries its author's \
            laptop signature, checked by this laptop (verified); was written before its author \
            had a key, by an earlier release (unsigned); or does not count (void: removed, \
            viewer, stranger). --json adds "authorship" (verified, unsigned or void) and \
            "void_reason".
            """)

    @OptionGroup var globals: GlobalOptions
    @Argument(help: "Member id prefix, member number or exact name; or any record id prefix.") var record: String
    @OptionGroup var output: JSONOption

    func run() throws {
        let store = try globals.openStore()
        let target: (collection: String, id: String)
        if let member = try? store.member(record, includeDeleted: true) {
            target = (.memberCollection, member.id)
        } else {
            let found = try store.records(idPrefix: record)
            guard record.count >= 4, found.count == 1 else {
                if found.count > 1 {
                    throw StoreError.ambiguous(collection: "record", reference: record, candidates: found.map { "\($0.collection) \($0.id.prefix(8))" })
                }
                throw StoreError.notFound(collection: "record", reference: record)
            }
            target = found[0]
        }
        let changes = try store.history(collection: target.collection, id: target.id)
        let operators = try store.operatorNames()
        let authorship = try store.authorship(of: changes)
        if output.json {
            Console.printJSON(.array(changes.map { change in
                .object([
                    ("replica", .string(change.id.replica.hex)), ("seq", .int(change.id.seq)),
                    ("at", .int(change.hlc.milliseconds)), ("hlc", .int(change.hlc.rawValue)),
                    ("operator", operators[change.id.replica].map { .string($0) } ?? .null),
                    ("collection", .string(change.collection)), ("record", .string(change.record)),
                    ("field", .string(change.field)), ("op", .string(change.operation.name)),
                    ("value", ChangeDescription.valueJSON(change.operation)),
                    ("authorship", .string(Self.label(authorship[change.id]).kind)),
                    ("void_reason", Self.label(authorship[change.id]).reason.map { .string($0) } ?? .null),
                ])
            }))
            return
        }
        var table = TextTable(columns: [
            .init(title: "WHEN"), .init(title: "WHO", maxWidth: 12), .init(title: "CHANGE", maxWidth: 60), .init(title: "SIGNED"),
        ])
        for change in changes {
            let label = Self.label(authorship[change.id])
            table.addRow([
                TimeFormat.local(change.hlc),
                operators[change.id.replica] ?? String(change.id.replica.hex.prefix(8)),
                ChangeDescription.text(change),
                label.reason.map { "void: \($0)" } ?? label.kind,
            ])
        }
        Console.print("\(target.collection) \(target.id)")
        Console.print(table.render(maxWidth: Console.terminalWidth), terminator: "")
    }

    private static func label(_ authorship: Authorship?) -> (kind: String, reason: String?) {
        switch authorship {
        case .verified: return ("verified", nil)
        case .void(let reason): return ("void", reason)
        case .unsigned, nil: return ("unsigned", nil)
        }
    }
}

/// How a change reads in history.
enum ChangeDescription {
    static func text(_ change: Change) -> String {
        switch change.operation {
        case .set(let value): return value.isNull ? "cleared \(change.field)" : "\(change.field) = \(value)"
        case .add(let element): return "+\(change.field) \(element)"
        case .remove(let element, _): return "-\(change.field) \(element)"
        case .append(let text): return "\(change.field): \(text)"
        case .delete: return "deleted"
        case .restore: return "restored"
        case .signature: return "signed"
        case .roster: return "roster change"
        case .unknown(let code, let payload): return "operation \(code) on \(change.field) (\(payload.count) bytes, from a newer qun)"
        }
    }

    static func valueJSON(_ operation: Operation) -> JSON {
        switch operation {
        case .set(let value): return value.json
        case .add(let element), .append(let element), .remove(let element, _): return .string(element)
        case .delete, .restore, .signature, .roster, .unknown: return .null
        }
    }
}
