import ArgumentParser
import QunStore

struct MemberCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "member",
        abstract: "Members of the community (成员): add, edit, list, log interactions.",
        discussion: """
            A member is named by its id (or a unique prefix of at least 4 characters), its \
            member number (e.g. 7QKM-12) or its exact name.
            """,
        subcommands: [
            AddMember.self, EditMember.self, RemoveRecord<Member>.self, RestoreRecord<Member>.self,
            ShowRecord<Member>.self, ListMembers.self, LogInteraction.self, CheckinMember.self, WhyMember.self,
            WelcomeMember.self,
        ])
}

/// The member fields `add` and `edit` share.
struct MemberFieldOptions: ParsableArguments {
    @Option(help: "admin, kol, core or member.") var role: String?
    @Option(help: ArgumentHelp("The KOL who looks after this member.", valueName: "member")) var kol: String?
    @Option(help: ArgumentHelp("Who invited this member.", valueName: "member")) var referrer: String?
    @Option(help: "Entry gate (门槛): identity, interest, paid, region or combined.") var gate: String?
    @Option(name: .customLong("gate-note"), help: ArgumentHelp("Note on the gate, e.g. 'paid 138'.", valueName: "text")) var gateNote: String?
    @Option(help: "City.") var city: String?
    @Option(help: ArgumentHelp("Date joined.", valueName: "YYYY-MM-DD")) var joined: String?
    @Option(help: "active, quiet or left.") var status: String?
    @Option(help: ArgumentHelp("WeChat id.", valueName: "id")) var wechat: String?
    @Option(help: ArgumentHelp("QQ number.", valueName: "number")) var qq: String?
    @Option(help: "Phone number.") var phone: String?
    @Option(help: "Email address.") var email: String?
    @Option(help: ArgumentHelp("Free notes.", valueName: "text")) var notes: String?

    var given: [(Member.Field, String)] {
        let all: [(Member.Field, String?)] = [
            (.role, role), (.kol, kol), (.referrer, referrer), (.gate, gate), (.gateNote, gateNote),
            (.city, city), (.joined, joined), (.status, status), (.wechat, wechat), (.qq, qq), (.phone, phone),
            (.email, email), (.notes, notes),
        ]
        return all.compactMap { field, value in value.map { (field, $0) } }
    }
}
