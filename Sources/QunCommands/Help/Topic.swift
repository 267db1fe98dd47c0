import ArgumentParser

/// `qun topic NAME`: help pages that belong to no single command. `qun help NAME` reaches
/// them too (`QunMain` routes it, since ArgumentParser's built-in `help` knows only
/// commands and would print the root help instead).
struct Topic: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Help topics: filters, dates (also `qun help filters`).")

    enum Name: String, CaseIterable, ExpressibleByArgument {
        case filters, dates
    }

    @Argument(help: ArgumentHelp("The topic: \(Name.allCases.map(\.rawValue).joined(separator: ", ")).", valueName: "topic"))
    var name: Name

    func run() throws {
        Console.print(Self.page(name))
    }

    static func page(_ name: Name) -> String {
        switch name {
        case .filters: return filters
        case .dates: return dates
        }
    }

    static let filters = """
        FILTERS (qun member list [FILTER...])

        Every word narrows the list; all of them must match.

          role:R        role is R: admin, kol, core, member
          status:S      status is S: active, quiet, left
          gate:G        entry gate: identity, interest, paid, region, combined
          city:C        city is C (exact text)
          kol:M         looked after by the KOL M (id prefix, member number or exact name)
          referrer:M    invited by M (same forms as kol:)
          +tag          has the tag
          -tag          does not have the tag
          WORD          any other word must appear in the name or the notes

        Examples:
          qun member list role:kol city:杭州
          qun member list +读书会 -潜水 status:active
          qun member list 张 --json

        A mistyped key gets a suggestion (`rol:kol` → did you mean role:?).
        """

    static let dates = """
        DATES

        Dates are written YYYY-MM-DD (e.g. 2026-03-01) and mean that calendar day in local
        time; this is the form `--joined` accepts and the form listings print. Times in
        history are shown in local time.

        Relative words (today, tomorrow, monday, +3d, eow) are not accepted yet: they come
        with tasks (`qun task ... due:today`).
        """
}
