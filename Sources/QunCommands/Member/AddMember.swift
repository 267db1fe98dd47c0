import ArgumentParser
import QunStore

struct AddMember: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Add a member and print its id.",
        discussion: """
            The member gets a member number from this laptop's range, so two laptops adding \
            members offline never hand out the same number. Role defaults to member, status \
            to active, joined to today.

            With --welcome TEMPLATE the welcome is prepared too (the join ritual): the template             is rendered for the new member and printed after the id, and the member is recorded             as welcomed (`qun report welcome` lists those who are not). A placeholder the new             member cannot fill is an error, and then nothing is added.

            Example: qun member add 张三 --role kol --city 杭州 --tag 读书会 --gate paid --gate-note 'paid 138'
            Example: qun member add 李四 --city 上海 --welcome 欢迎语 --set group=周末读书会
            """)

    @OptionGroup var globals: GlobalOptions
    @Argument(help: "The member's name; any Unicode.") var name: String
    @OptionGroup var fields: MemberFieldOptions
    @Option(name: .customLong("tag"), help: ArgumentHelp("A tag; repeat for several.", valueName: "tag")) var tags: [String] = []
    @Option(help: ArgumentHelp("Prepare the welcome from this template (id prefix or exact name).", valueName: "template"))
    var welcome: String?
    @OptionGroup var values: TemplateValues
    @OptionGroup var output: JSONOption

    func validate() throws {
        _ = try MemberValidation.name(name)
        if let role = fields.role { _ = try MemberValidation.role(role) }
        if let gate = fields.gate { _ = try MemberValidation.gate(gate) }
        if let status = fields.status { _ = try MemberValidation.status(status) }
        if let joined = fields.joined { _ = try MemberValidation.date(joined) }
        for tag in tags { _ = try MemberValidation.tag(tag) }
        if welcome == nil, !values.pairs.isEmpty { throw ValidationError("--set gives the welcome's values: use it with --welcome TEMPLATE") }
    }

    func run() throws {
        let store = try globals.openStore()
        var draft = MemberDraft(name: name)
        for (field, value) in fields.given {
            switch field {
            case .role: draft.role = try MemberValidation.role(value)
            case .kol: draft.kol = value
            case .referrer: draft.referrer = value
            case .gate: draft.gate = try MemberValidation.gate(value)
            case .gateNote: draft.gateNote = value
            case .city: draft.city = value
            case .joined: draft.joined = value
            case .status: draft.status = try MemberValidation.status(value)
            case .wechat: draft.wechat = value
            case .qq: draft.qq = value
            case .phone: draft.phone = value
            case .email: draft.email = value
            case .notes: draft.notes = value
            case .name, .number: break
            }
        }
        draft.tags = tags
        let given = try values.values()
        if let welcome { try store.checkWelcome(welcome, for: draft, values: given) }
        let member = try store.addMember(draft)
        let welcomed = try welcome.map { try store.welcome(member.id, template: $0, values: given) }
        if output.json {
            var json = MemberJSON.object(member)
            if let welcomed, case .object(let fields) = json {
                // "welcome" sorts after every member key, so the object stays in key order.
                json = .object(fields + [("welcome", .string(welcomed.text))])
            }
            Console.printJSON(json)
        } else {
            Console.print(member.id)
            if let welcomed { Console.print(welcomed.text) }
        }
    }
}
