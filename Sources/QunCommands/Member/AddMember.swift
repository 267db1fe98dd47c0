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

            Example: qun member add 张三 --role kol --city 杭州 --tag 读书会 --gate paid --gate-note 'paid 138'
            """)

    @OptionGroup var globals: GlobalOptions
    @Argument(help: "The member's name; any Unicode.") var name: String
    @OptionGroup var fields: MemberFieldOptions
    @Option(name: .customLong("tag"), help: ArgumentHelp("A tag; repeat for several.", valueName: "tag")) var tags: [String] = []
    @OptionGroup var output: JSONOption

    func validate() throws {
        _ = try MemberValidation.name(name)
        if let role = fields.role { _ = try MemberValidation.role(role) }
        if let gate = fields.gate { _ = try MemberValidation.gate(gate) }
        if let status = fields.status { _ = try MemberValidation.status(status) }
        if let joined = fields.joined { _ = try MemberValidation.date(joined) }
        for tag in tags { _ = try MemberValidation.tag(tag) }
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
            case .phone: draft.phone = value
            case .email: draft.email = value
            case .notes: draft.notes = value
            case .name, .number: break
            }
        }
        draft.tags = tags
        let member = try store.addMember(draft)
        if output.json {
            Console.printJSON(MemberJSON.object(member))
        } else {
            Console.print(member.id)
        }
    }
}
