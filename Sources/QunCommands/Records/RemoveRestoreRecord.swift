import ArgumentParser
import QunStore

/// What every record command takes: the store, the record, `--json`.
struct RecordTarget<Kind: CommandRecordKind>: ParsableArguments {
    @OptionGroup var globals: GlobalOptions
    @Argument(help: ArgumentHelp(Kind.referenceHelp, valueName: Kind.noun)) var reference: String
    @OptionGroup var output: JSONOption

    /// Prints the record as `--json` asks, or `text` for people.
    func answer(_ item: Kind, store: Store, text: String) throws {
        if output.json {
            Console.printJSON(try item.json(store: store))
        } else {
            Console.print(text)
        }
    }
}

/// `qun NOUN rm`: tombstones a record of any kind.
struct RemoveRecord<Kind: CommandRecordKind>: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "rm", abstract: Kind.removeAbstract, discussion: Kind.removeDiscussion)
    }

    @OptionGroup var target: RecordTarget<Kind>

    func run() throws {
        let store = try target.globals.openStore()
        let removed = try store.remove(Kind.self, target.reference)
        try target.answer(removed, store: store, text: "deleted \(removed.label) (undo with `qun \(Kind.noun) restore \(removed.shortID)`)")
    }
}

/// `qun NOUN restore`: brings back a deleted record of any kind.
struct RestoreRecord<Kind: CommandRecordKind>: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "restore", abstract: Kind.restoreAbstract)
    }

    @OptionGroup var target: RecordTarget<Kind>

    func run() throws {
        let store = try target.globals.openStore()
        let restored = try store.restore(Kind.self, target.reference)
        try target.answer(restored, store: store, text: "restored \(restored.label)")
    }
}
