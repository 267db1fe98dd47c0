import ArgumentParser
import QunStore

struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print every live record of every collection, canonically.",
        discussion: """
            The dump is sorted by collection and id with stable key order, so two laptops that \
            have seen the same changes print byte-identical output: `diff` them to check a sync.
            """)

    @OptionGroup var globals: GlobalOptions
    @Option(help: "Output format: json.") var format: String = "json"

    func validate() throws {
        guard format == "json" else {
            throw ValidationError("unknown format '\(format)': the only format is json")
        }
    }

    func run() throws {
        Console.print(try globals.openStore().export().pretty)
    }
}
