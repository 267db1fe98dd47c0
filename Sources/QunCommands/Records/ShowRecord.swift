import ArgumentParser
import QunStore

/// `qun NOUN show`: one record of any kind, deleted or not, with what belongs to it.
struct ShowRecord<Kind: CommandRecordKind>: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "show", abstract: Kind.showAbstract, discussion: Kind.showDiscussion)
    }

    @OptionGroup var target: RecordTarget<Kind>

    func run() throws {
        let store = try target.globals.openStore()
        let detail = try store.record(Kind.self, target.reference, includeDeleted: true).detail(store: store)
        if target.output.json {
            Console.printJSON(detail.json)
        } else {
            detail.print()
        }
    }
}
