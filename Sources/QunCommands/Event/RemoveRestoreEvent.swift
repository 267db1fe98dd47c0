import ArgumentParser
import QunStore

struct RemoveEvent: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rm",
        abstract: "Delete an event plan (a tombstone: history stays, `event restore` brings it back).",
        discussion: "Its run-sheet tasks stay as they are; a delete wins over teammates' concurrent edits.")

    @OptionGroup var globals: GlobalOptions
    @Argument(help: "Event id prefix or exact title.") var event: String
    @OptionGroup var output: JSONOption

    func run() throws {
        let removed = try globals.openStore().removeEvent(event)
        if output.json {
            Console.printJSON(EventJSON.object(removed))
        } else {
            Console.print("deleted \(eventLabel(removed)) (undo with `qun event restore \(removed.shortID)`)")
        }
    }
}

struct RestoreEvent: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Bring back a deleted event plan with its fields, sign-ups and retrospective.")

    @OptionGroup var globals: GlobalOptions
    @Argument(help: "Event id prefix or exact title.") var event: String
    @OptionGroup var output: JSONOption

    func run() throws {
        let restored = try globals.openStore().restoreEvent(event)
        if output.json {
            Console.printJSON(EventJSON.object(restored))
        } else {
            Console.print("restored \(eventLabel(restored))")
        }
    }
}
