import ArgumentParser
import QunCore
import QunStore

struct ListMembers: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List live members, filtered.",
        discussion: """
            Filters (all must hold):
              role:kol  status:quiet  gate:paid  city:杭州  kol:MEMBER  referrer:MEMBER
              +tag      has the tag
              -tag      does not have the tag
              WORD      appears in the name or the notes

            Example: qun member list role:core +读书会 -流失 city:杭州
            """)

    @OptionGroup var globals: GlobalOptions
    @OptionGroup var output: JSONOption
    @Flag(name: .long, help: "Include deleted members.") var deleted = false
    @Argument(parsing: .allUnrecognized, help: ArgumentHelp("Filter words (see above).", valueName: "filter"))
    var filters: [String] = []

    func validate() throws {
        _ = try MemberFilterParser.parse(filters, store: nil)
    }

    func run() throws {
        let store = try globals.openStore()
        var filter = try MemberFilterParser.parse(filters, store: store)
        filter.includeDeleted = deleted
        let members = try store.members(filter)
        if output.json {
            Console.printJSON(.array(members.map(MemberJSON.object)))
            return
        }
        let kols = try store.memberNames(Set(members.compactMap(\.kol)))
        var table = TextTable(columns: [
            .init(title: "ID"), .init(title: "NO."), .init(title: "NAME", maxWidth: 24),
            .init(title: "ROLE"), .init(title: "KOL", maxWidth: 16), .init(title: "CITY", maxWidth: 12),
            .init(title: "STATUS"), .init(title: "TAGS", maxWidth: 40),
        ])
        for member in members {
            table.addRow([
                member.shortID, member.number ?? "", member.name + (member.deleted ? " (deleted)" : ""),
                member.role?.rawValue ?? "", member.kol.flatMap { kols[$0] } ?? "",
                member.city ?? "", member.status?.rawValue ?? "", member.tags.joined(separator: " "),
            ])
        }
        Console.print(table.render(maxWidth: Console.terminalWidth), terminator: "")
        Console.print("\(members.count) member\(members.count == 1 ? "" : "s")")
    }
}
