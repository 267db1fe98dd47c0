import ArgumentParser
import QunStore

/// `qun NOUN rm`: tombstones a record of any kind.
struct RemoveRecord<Kind: CommandRecordKind>: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "rm", abstract: Kind.removeAbstract, discussion: Kind.removeDiscussion)
    }

    @OptionGroup var globals: GlobalOptions
    @Argument(help: ArgumentHelp(Kind.referenceHelp, valueName: Kind.noun)) var reference: String
    @OptionGroup var output: JSONOption

    func run() throws {
        let store = try globals.openStore()
        let removed = try store.remove(Kind.self, reference)
        if output.json {
            Console.printJSON(try removed.json(store: store))
        } else {
            Console.print("deleted \(removed.label) (undo with `qun \(Kind.noun) restore \(removed.shortID)`)")
        }
    }
}

/// `qun NOUN restore`: brings back a deleted record of any kind.
struct RestoreRecord<Kind: CommandRecordKind>: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "restore", abstract: Kind.restoreAbstract)
    }

    @OptionGroup var globals: GlobalOptions
    @Argument(help: ArgumentHelp(Kind.referenceHelp, valueName: Kind.noun)) var reference: String
    @OptionGroup var output: JSONOption

    func run() throws {
        let store = try globals.openStore()
        let restored = try store.restore(Kind.self, reference)
        if output.json {
            Console.printJSON(try restored.json(store: store))
        } else {
            Console.print("restored \(restored.label)")
        }
    }
}
