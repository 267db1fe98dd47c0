import ArgumentParser
import QunStore

/// `qun topic NAME`: help pages that belong to no single command. `qun help NAME` reaches
/// them too (`QunMain` routes it, since ArgumentParser's built-in `help` knows only
/// commands and would print the root help instead).
struct Topic: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Help topics: filters, dates, urgency, templates (also `qun help filters`).")

    enum Name: String, CaseIterable, ExpressibleByArgument {
        case filters, dates, urgency, templates
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
        case .urgency: return urgency
        case .templates: return templates
        }
    }

    /// Written from `TemplatePlaceholders`, the list `render` itself fills from.
    static var templates: String {
        func rows(_ list: [TemplatePlaceholders.Placeholder]) -> String {
            list.map { "  " + pad("{\($0.key)}", toWidth: 12) + $0.meaning }.joined(separator: "\n")
        }
        return """
            TEMPLATES (qun template add|edit|render)

            A template is a text with placeholders in braces, filled when it is rendered for a
            member: `qun template render 欢迎语 张三`. Write {{ and }} for a brace itself.

            From the member:
            \(rows(TemplatePlaceholders.member))

            Whoever it is for:
            \(rows(TemplatePlaceholders.general))

            Anything else, for example {group} or {活动}, is a team setting
            (`qun team set group 周末读书会`, shared with every teammate; `qun team settings`
            lists them) or is given at render time with --set group=周末读书会, which also
            overrides any of the above. A placeholder with no
            value (unknown, or a field the member has not got) is an error that names it, and
            nothing is printed.

            Examples:
              qun template add 欢迎语 --text '欢迎 {name} 加入{group}！你是第 {number} 号成员，有事找 {kol}。'
              qun template render 欢迎语 张三 李四 --set group=周末读书会
              qun template render 欢迎语 7QKM-12 --copy
            """
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

        TASK FILTERS (qun task list|next [FILTER...])

          assignee:NAME    assigned to NAME (exact operator name)
          status:S         todo, doing, done, dropped (several: status:todo,doing), or any;
                           without it only open tasks (todo, doing) are listed
          priority:P       H, M or L
          due:DATE         due on that day (a task due at 20:00 today is due:today)
          due.before:DATE  due strictly before that day
          due.after:DATE   due strictly after that day
          event:ID         belongs to the event (id or id prefix)
          recur:R          recurring templates: daily, weekly, monthly, or any (templates
                           are hidden otherwise; their instances are listed)
          template:ID      the instances of one recurring template
          +tag  -tag       has / does not have the tag
          +OVERDUE         open and due before today
          WORD             any other word must appear in the title

        DATE is a date word (`qun help dates`). Examples:
          qun task list assignee:林晓 due:today +内容
          qun task list due.before:eow -例行
          qun task next assignee:王芳 --limit 5
          qun task list status:done due.after:-7d

        `task next` orders by urgency (`qun help urgency`); `task list` by due date.
        """

    static let dates = """
        DATES

        Dates are written YYYY-MM-DD (e.g. 2026-03-01) and mean that calendar day in local
        time; this is the form `--joined` accepts and the form listings print. Times in
        history are shown in local time.

        Task due dates and task filters also take words, resolved against today on this
        laptop (case does not matter):

          today, tomorrow, yesterday   also 今天, 明天, 后天, 昨天
          eow                          end of week: the coming Sunday (today on a Sunday)
          eom                          the last day of this month
          mon, tue, … sun              the next such day, today excluded (on a Friday,
                                       `fri` is a week away); also monday … sunday
          +3d  -7d  +2w  +1m           days, weeks or months from today
          YYYY-MM-DD                   that day
          YYYY-MM-DDTHH:MM             that day at that time (local)
          MM-DD                        that day this year, or next year if it has passed

        Any word may carry a time: tomorrowT09:00, friT18:30. A due date keeps its time of
        day; filters compare whole days.

        `--due -2d` works as written. In a filter list a bare -7d or +3d is refused (it
        would read as a tag): write due.after:-7d.
        """

    static let urgency = """
        URGENCY (qun task next)

        `qun task next` lists open tasks, most urgent first (then by due, then by id). The
        urgency is the sum of:

          tag next                 15
          due                      12 × f: f is 1.0 once 7 or more days overdue, falls
                                   linearly to 0.2 at 14 days ahead, and stays 0.2 beyond;
                                   no due date: 0
          priority H / M / L       6 / 3.9 / 1.8
          started (doing)          4
          age                      2 × days since created / 365, at most 2
          annotations 1 / 2 / 3+   0.8 / 0.9 / 1.0
          other tags 1 / 2 / 3+    0.8 / 0.9 / 1.0

        Done and dropped tasks and recurring templates score 0. The score depends on today,
        so it is computed when listed, never stored; `--json` gives it with two decimals.
        """
}
