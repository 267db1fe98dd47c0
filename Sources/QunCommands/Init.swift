import ArgumentParser
import Foundation
import QunCore
import QunStore
import QunSync

struct Init: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create a store for this laptop.",
        discussion: """
            Without --join, starts a new team with a fresh secret; print the invite for a \
            teammate with `qun team invite`. With --join, creates a store that belongs to the \
            inviting team. Either way the store gets its own random replica id.
            """)

    @OptionGroup var globals: GlobalOptions
    @Option(name: .long, help: ArgumentHelp("Your name as teammates will see it in history.", valueName: "operator"))
    var name: String
    @Option(name: .long, help: ArgumentHelp("Join the team of this invite (from `qun team invite`).", valueName: "invite"))
    var join: String?
    @OptionGroup var output: JSONOption

    func validate() throws {
        if name.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw ValidationError("--name must not be empty: give the operator's name, e.g. --name 林")
        }
        if let join { _ = try TeamInvite(parsing: join) }
    }

    func run() throws {
        let team = try join.map { try TeamInvite(parsing: $0).team }
        let store = try Store.create(at: globals.storeDirectory, operatorName: name, team: team, now: Session.clock)
        Session.current.register(store)
        if output.json {
            Console.printJSON(.object([
                ("store", .string(store.directory.path)),
                ("replica", .string(store.identity.replica.hex)),
                ("operator", .string(store.identity.operatorName)),
                ("team", store.identity.team.map { .string($0.id.hex) } ?? .null),
                ("joined", .bool(team != nil)),
            ]))
        } else {
            Console.print("created store \(store.directory.path) for \(store.identity.operatorName) (replica \(store.identity.replica.hex.prefix(8)))")
            if team == nil {
                Console.print("new team \(store.identity.team!.id.hex.prefix(8)); invite a teammate with `qun team invite`")
            } else {
                Console.print("joined team \(store.identity.team!.id.hex.prefix(8)); import a teammate's bundle to get the team's records")
            }
        }
    }
}
