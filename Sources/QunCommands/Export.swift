import ArgumentParser
import Foundation
import QunCore
import QunStore

struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print every live record of every collection, canonically; or members as CSV/JSON.",
        discussion: """
            `qun export --format json` prints the whole store, sorted by collection and id with \
            stable key order, so two laptops that have seen the same changes print \
            byte-identical output: `diff` them to check a sync.

            `qun export members --format csv|json [--output FILE]` prints the live members for \
            a spreadsheet or a script. json: the objects of `member list --json`. csv: columns \
            id, number, name, role, kol, referrer, gate, gate_note, city, joined, status, \
            wechat, phone, email, notes, tags, log_count (kol and referrer as member ids, tags \
            joined with ;), UTF-8 with a byte order mark so that Excel shows Chinese, CRLF line \
            ends; a cell starting with = + - or @ gets a leading ' so that a spreadsheet does not \
            run it as a formula. `qun import members` reads it back (and drops that ').
            """)

    @OptionGroup var globals: GlobalOptions
    @Argument(help: ArgumentHelp("Only this collection, for a spreadsheet or a script: members.", valueName: "collection"))
    var collection: String?
    @Option(help: "Output format: json (default), or csv for members.") var format: String = "json"
    @Option(name: .long, help: ArgumentHelp("Write to this file instead of standard output.", valueName: "file"))
    var output: String?

    func validate() throws {
        switch collection {
        case nil:
            guard format == "json" else {
                throw ValidationError("unknown format '\(format)': the whole store exports as json only (members also as csv: `qun export members --format csv`)")
            }
        case "members"?, "member"?:
            guard format == "json" || format == "csv" else {
                throw ValidationError("unknown format '\(format)': members export as csv or json")
            }
        case let other?:
            throw ValidationError("cannot export '\(other)' on its own: give members, or nothing for the whole store")
        }
    }

    func run() throws {
        let store = try globals.openStore()
        let text: String
        if collection == nil {
            text = try store.export().pretty + "\n"
        } else if format == "csv" {
            text = try store.exportMembersCSV()
        } else {
            text = JSON.array(try store.members().map(MemberJSON.object)).pretty + "\n"
        }
        guard let output else {
            Console.print(text, terminator: "")
            return
        }
        let url = URL(fileURLWithPath: output)
        do {
            try Data(text.utf8).write(to: url, options: .atomic)
        } catch {
            throw OutputFileError(path: url.path)
        }
    }
}

/// `--output` (or `--html`) could not be written; nothing was.
struct OutputFileError: Error, CustomStringConvertible {
    var path: String
    var description: String { "cannot write \(path): check that its directory exists and is writable" }
}
