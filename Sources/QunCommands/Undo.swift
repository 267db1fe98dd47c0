import ArgumentParser
import QunCore
import QunStore

/// `qun undo`: reverses this operator's own last command by writing new changes, so the
/// undo reaches teammates like any other edit.
struct Undo: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Reverse your last command.",
        discussion: """
            Writes new changes that take back what your latest command changed on this laptop: \
            field values go back to what they were, tags and log entries it added are removed, \
            tags it removed come back, a delete is restored, a new member is deleted (its member \
            number stays used). The undo syncs like any edit. Run it again to undo the command \
            before that; an undo itself is never undone. Teammates' changes are never undone, and \
            a field someone changed after your command keeps their value.
            """)

    @OptionGroup var globals: GlobalOptions
    @OptionGroup var output: JSONOption

    func run() throws {
        let result = try globals.openStore().undoLastCommand()
        if output.json {
            Console.printJSON(.object([
                ("undid", .string(result.command)),
                ("changes", .int(Int64(result.undoneChanges))),
                ("written", .int(Int64(result.writtenChanges))),
                ("skipped", .array(result.skipped.map { .string($0) })),
            ]))
        } else {
            Console.print("undid: \(result.command)")
        }
        if !result.skipped.isEmpty {
            Console.note("left as changed since: \(result.skipped.joined(separator: ", ")) (a later change replaced the value)")
        }
        Console.detail("\(result.undoneChanges) change\(result.undoneChanges == 1 ? "" : "s") reversed with \(result.writtenChanges) new")
    }
}
