import ArgumentParser
import QunCore
import QunStore

/// What the record commands (`rm`, `restore`, `show`) need to know about a kind beyond what
/// the store knows (`RecordKind`): its words in help, its line for people, its JSON and what
/// `show` prints. The commands themselves are written once (`RemoveRecord`, `RestoreRecord`,
/// `ShowRecord`) and listed under each kind's noun.
protocol CommandRecordKind: RecordKind {
    /// Help for the argument naming a record: "Task id prefix or exact title."
    static var referenceHelp: String { get }
    /// The kind with its article, as help text says it: "an event plan".
    static var called: String { get }
    /// What a restore brings back with the record: "all its fields".
    static var keeps: String { get }
    /// What a delete does to this kind beyond the tombstone.
    static var removeDiscussion: String { get }
    static var showAbstract: String { get }
    static var showDiscussion: String { get }
    /// The command that lists the kind's records, where a not-found message sends the operator.
    static var listCommand: String { get }

    /// The record on one line for people: "3f2a91d0 早安推送".
    var label: String { get }
    /// The record in the `--json` answer of `rm` and `restore`.
    func json(store: Store) throws -> JSON
    /// Everything `show` prints, as text and as JSON.
    func detail(store: Store) throws -> RecordDetail
}

extension CommandRecordKind {
    static var removeAbstract: String { "Delete \(called) (a tombstone: history stays, `\(noun) restore` brings it back)." }
    static var restoreAbstract: String { "Bring back a deleted \(called.split(separator: " ", maxSplits: 1).last ?? "") with \(keeps)." }
    static var removeDiscussion: String { "A delete wins over edits teammates make concurrently." }
    static var showDiscussion: String { "" }
    static var listCommand: String { "qun \(noun) list" }
}

/// The kinds the record commands serve.
enum CommandRecordKinds {
    static let all: [any CommandRecordKind.Type] = [Member.self, TaskItem.self, Event.self, MessageTemplate.self, Post.self, Reward.self]
}

/// What `show` prints about one record: its fields as `label value` lines (empty ones left
/// out), then titled sections, each after a blank line; or the JSON.
struct RecordDetail {
    var json: JSON
    var fields: [(String, String?)]
    /// The width of the label column.
    var labelWidth: Int
    var sections: [Section] = []

    struct Section {
        var title: String
        var lines: [String]
    }

    func print() {
        for (label, value) in fields {
            guard let value, !value.isEmpty else { continue }
            Console.print(pad(label, toWidth: labelWidth) + value)
        }
        for section in sections where !section.lines.isEmpty {
            Console.print("")
            Console.print("\(section.title):")
            for line in section.lines { Console.print(line) }
        }
    }
}

/// The `deleted` line of `show`, pointing at the way back.
func deletedField<Kind: CommandRecordKind>(_ item: Kind) -> (String, String?) {
    ("deleted", item.deleted ? "yes (restore with `qun \(Kind.noun) restore \(item.shortID)`)" : nil)
}
