import ArgumentParser
import QunStore

struct TeamSet: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "set",
        abstract: "Set a team-wide value that templates fill in: `qun team set group 周末读书会` gives {group}.",
        discussion: """
            Every teammate's templates see it after the next sync; set on two laptops, the later \
            value wins. An empty value clears it. `--set` at render time still overrides it.
            """)

    @OptionGroup var globals: GlobalOptions
    @Argument(help: ArgumentHelp("The placeholder's name, e.g. group or 群名.", valueName: "key")) var key: String
    @Argument(help: ArgumentHelp("Its value ('' clears it).", valueName: "value")) var value: String

    func run() throws {
        let store = try globals.openStore()
        try store.setTeamSetting(key, value)
        Console.print(value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? "cleared {\(key)}" : "{\(key)} is now \(value)")
    }
}

struct TeamSettingsList: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "settings",
        abstract: "The team-wide values templates fill in, by name.")

    @OptionGroup var globals: GlobalOptions
    @OptionGroup var output: JSONOption

    func run() throws {
        let settings = try globals.openStore().teamSettings().sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
        if output.json {
            Console.printJSON(.object(settings.map { ($0.key, .string($0.value)) }))
            return
        }
        for (key, value) in settings { Console.print(pad("{\(key)}", toWidth: 12) + value) }
        if settings.isEmpty { Console.print("no team settings (set one with `qun team set KEY VALUE`)") }
    }
}
