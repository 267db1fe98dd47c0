import ArgumentParser
import QunStore

/// `qun NOUN show`: one record of any kind, deleted or not, with what belongs to it.
struct ShowRecord<Kind: CommandRecordKind>: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "show", abstract: Kind.showAbstract, discussion: Kind.showDiscussion)
    }

    @OptionGroup var globals: GlobalOptions
    @Argument(help: ArgumentHelp(Kind.referenceHelp, valueName: Kind.noun)) var reference: String
    @OptionGroup var output: JSONOption

    func run() throws {
        let store = try globals.openStore()
        let detail = try store.record(Kind.self, reference, includeDeleted: true).detail(store: store)
        if output.json {
            Console.printJSON(detail.json)
        } else {
            detail.print()
        }
    }
}
