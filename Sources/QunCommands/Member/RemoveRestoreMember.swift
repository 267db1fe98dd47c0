import ArgumentParser
import QunStore

struct RemoveMember: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rm",
        abstract: "Delete a member (a tombstone: history stays, `member restore` brings it back).",
        discussion: "A delete wins over edits teammates make concurrently; a restore issued afterwards brings the member back with all fields.")

    @OptionGroup var globals: GlobalOptions
    @Argument(help: "Member id prefix, member number or exact name.") var member: String
    @OptionGroup var output: JSONOption

    func run() throws {
        let removed = try globals.openStore().removeMember(member)
        if output.json {
            Console.printJSON(MemberJSON.object(removed))
        } else {
            Console.print("deleted \(removed.shortID) \(removed.name) (undo with `qun member restore \(removed.shortID)`)")
        }
    }
}

struct RestoreMember: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Bring back a deleted member with all its fields.")

    @OptionGroup var globals: GlobalOptions
    @Argument(help: "Member id prefix, member number or exact name.") var member: String
    @OptionGroup var output: JSONOption

    func run() throws {
        let restored = try globals.openStore().restoreMember(member)
        if output.json {
            Console.printJSON(MemberJSON.object(restored))
        } else {
            Console.print("restored \(restored.shortID) \(restored.name)")
        }
    }
}
