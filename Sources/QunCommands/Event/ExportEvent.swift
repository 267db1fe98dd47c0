import ArgumentParser
import Foundation
import QunStore

struct ExportEvent: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export an event and its run-sheet as iCalendar (.ics).",
        discussion: """
            Times of day are written in UTC, converted from this laptop's time zone; all-day \
            events stay all-day. Importing the file again updates the calendar entry.

            Example: qun event export 读书会线下见面 --ics --output meetup.ics
            """)

    @OptionGroup var globals: GlobalOptions
    @Argument(help: "Event id prefix or exact title.") var event: String
    @Flag(help: "iCalendar (RFC 5545), the only format so far.") var ics = false
    @Option(help: ArgumentHelp("Write to this file instead of stdout.", valueName: "file")) var output: String?

    func validate() throws {
        if !ics { throw ValidationError("give the format: --ics (iCalendar)") }
        if let output, output.isEmpty { throw ValidationError("--output needs a file name") }
    }

    func run() throws {
        let text = try globals.openStore().icalendar(event)
        guard let output else {
            Console.print(text, terminator: "")
            return
        }
        let url = URL(fileURLWithPath: output)
        do {
            try Data(text.utf8).write(to: url, options: .atomic)
        } catch {
            throw ValidationError("cannot write \(output): \(error.localizedDescription) — check the directory exists and is writable")
        }
        Console.note("wrote \(output)")
    }
}
