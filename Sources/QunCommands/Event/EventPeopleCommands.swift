import ArgumentParser
import QunStore

/// What the four sign-up and attendance verbs share: an event, members, and the report.
struct EventPeopleArguments: ParsableArguments {
    @OptionGroup var globals: GlobalOptions
    @Argument(help: "Event id prefix or exact title.") var event: String
    @Argument(help: "Members: id prefix, member number or exact name; several allowed.") var members: [String]
    @OptionGroup var output: JSONOption

    func validate() throws {
        if members.isEmpty { throw ValidationError("name at least one member (id prefix, member number or exact name)") }
    }

    func run(_ set: Event.PeopleSet, add: Bool) throws {
        let store = try globals.openStore()
        let change = try store.changePeople(event, set, add: add, members: members)
        let names = try store.memberNames(Set(change.members))
        func name(_ id: String) -> String { names[id] ?? String(id.prefix(8)) }
        if !change.withoutSignup.isEmpty {
            Console.note("came without signing up: \(change.withoutSignup.map(name).joined(separator: ", ")) (counted as walk-ins; `qun event signup` if they did sign up)")
        }
        if !change.unchanged.isEmpty {
            let state = add ? "already" : "not"
            let list = set == .signups ? "signed up" : "marked as came"
            Console.note("\(state) \(list): \(change.unchanged.map(name).joined(separator: ", "))")
        }
        if output.json {
            Console.printJSON(EventJSON.object(change.event))
            return
        }
        let event = change.event
        let target = event.target.map { " of target \($0)" } ?? ""
        switch set {
        case .signups: Console.print("\(event.label): \(event.signups.count) signed up\(target)")
        case .attendance: Console.print("\(event.label): \(event.attendance.count) came, \(event.signups.count) signed up\(target)")
        }
    }
}

struct SignupEvent: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "signup", abstract: "Sign members up for an event.",
        discussion: "A teammate's concurrent unsignup does not undo a sign-up made here (add wins). Example: qun event signup 读书会线下见面 张三 W4XE-2")
    @OptionGroup var arguments: EventPeopleArguments
    func run() throws { try arguments.run(.signups, add: true) }
}

struct UnsignupEvent: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unsignup", abstract: "Take members off an event's sign-ups.")
    @OptionGroup var arguments: EventPeopleArguments
    func run() throws { try arguments.run(.signups, add: false) }
}

struct AttendEvent: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "attend", abstract: "Mark members as having come to an event.",
        discussion: "Attendance is kept apart from sign-ups: someone who came without signing up is counted, and named on stderr.")
    @OptionGroup var arguments: EventPeopleArguments
    func run() throws { try arguments.run(.attendance, add: true) }
}

struct UnattendEvent: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unattend", abstract: "Take members off an event's attendance.")
    @OptionGroup var arguments: EventPeopleArguments
    func run() throws { try arguments.run(.attendance, add: false) }
}
