import ArgumentParser
import QunStore

struct EditMember: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "edit",
        abstract: "Change only the fields given.",
        discussion: """
            An empty value clears a field (--city ''). Tags are added with --tag and removed \
            with --untag; a teammate's concurrent add of the same tag survives an --untag. \
            The member number never changes.

            Example: qun member edit 7QKM-12 --role core --tag 志愿者 --untag 新人
            """)

    @OptionGroup var globals: GlobalOptions
    @Argument(help: "Member id prefix, member number or exact name.") var member: String
    @Option(help: "New name.") var name: String?
    @OptionGroup var fields: MemberFieldOptions
    @Option(name: .customLong("tag"), help: ArgumentHelp("Add a tag; repeat for several.", valueName: "tag")) var tags: [String] = []
    @Option(name: .customLong("untag"), help: ArgumentHelp("Remove a tag; repeat for several.", valueName: "tag")) var untags: [String] = []
    @OptionGroup var output: JSONOption

    func validate() throws {
        if name == nil && fields.given.isEmpty && tags.isEmpty && untags.isEmpty {
            throw ValidationError("nothing to change: give at least one of --name, --role, --city, --tag, --untag, …")
        }
        if let name { _ = try MemberValidation.name(name) }
        for tag in tags { _ = try MemberValidation.tag(tag) }
    }

    func run() throws {
        let store = try globals.openStore()
        var edit = QunStore.MemberEdit()
        if let name { edit.fields[.name] = name }
        for (field, value) in fields.given { edit.fields[field] = value }
        edit.addTags = tags
        edit.removeTags = untags
        let member = try store.editMember(member, edit)
        if output.json {
            Console.printJSON(MemberJSON.object(member))
        } else {
            Console.print("updated \(member.shortID) \(member.name)")
        }
    }
}
