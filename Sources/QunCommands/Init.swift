import ArgumentParser
import Foundation
import QunCore
import QunStore
import QunSync

/// `qun init --name N [--join INVITE [--no-snapshot]]`.
///
/// Asynchronous because joining with an invite that carries a URL downloads the team's data
/// from that laptop's `qun serve`.
struct Init: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create a store for this laptop.",
        discussion: """
            Without --join, starts a new team with a fresh secret; print the invite for a \
            teammate with `qun team invite`. With --join, creates a store that belongs to the \
            inviting team. When the invite carries the inviting laptop's address \
            (`qun team invite --url ...`) and its `qun serve` is running, the new store \
            starts from a snapshot of that laptop's store — the whole team's data, without \
            replaying every change — and that laptop is registered as a peer; --no-snapshot \
            creates an empty store of the team instead. Either way the store gets its own \
            random replica id.
            """)

    @OptionGroup var globals: GlobalOptions
    @Option(name: .long, help: ArgumentHelp("Your name as teammates will see it in history.", valueName: "operator"))
    var name: String
    @Option(name: .long, help: ArgumentHelp(
        "Join the team of this invite (from `qun team invite`); `-` reads it from standard input, `@FILE` from a file, so that it shows neither in `ps` nor in the shell's history.",
        valueName: "invite"))
    var join: String?
    @Flag(name: .customLong("no-snapshot"), help: "With --join: start empty even when the invite has an address; sync later (shared-secret invites only).")
    var noSnapshot = false
    @Flag(name: .long, help: "Start an open team: any laptop holding its shared-secret invite (`team invite --shared-secret`) may join as editor, offline too, until `qun team lock`. For teams that meet only by bundle files.")
    var open = false
    @OptionGroup var trust: TLSTrustOption
    @OptionGroup var output: JSONOption

    func validate() throws {
        if name.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw ValidationError("--name must not be empty: give the operator's name, e.g. --name 林")
        }
        if let join, join != "-", !join.hasPrefix("@") { _ = try TeamInvite(parsing: join) }
        if noSnapshot && join == nil {
            throw ValidationError("--no-snapshot goes with --join INVITE")
        }
        if open && join != nil {
            throw ValidationError("--open starts a new team; a joining laptop takes the team's way")
        }
    }

    func run() async throws {
        let invite = try inviteText().map { try TeamInvite(parsing: $0) }
        if let invite, invite.url != nil, !noSnapshot {
            try await joinFromSnapshot(invite)
            return
        }
        if let invite, invite.token != nil {
            throw ValidationError("this invite is redeemed at the inviting laptop: run `qun serve` there and join without --no-snapshot")
        }
        let store = try Store.create(at: globals.storeDirectory, operatorName: name, team: invite?.team, locked: !open, now: Session.clock)
        Session.current.register(store)
        if output.json {
            printJSON(store, joined: invite != nil)
        } else {
            Console.print("created store \(store.directory.path) for \(store.identity.operatorName) (replica \(store.identity.replica.hex.prefix(8)))")
            if let invite {
                Console.print("joined team \(store.identity.team!.id.hex.prefix(8)); import a teammate's bundle to get the team's records")
                if let url = invite.url {
                    Console.print("or register the inviting laptop and sync: `qun peer add NAME \(url)`, then `qun sync`")
                }
            } else {
                Console.print("new team \(store.identity.team!.id.hex.prefix(8)); invite a teammate with `qun team invite`")
            }
        }
    }

    /// Creates the store from the inviting laptop's snapshot and registers that laptop.
    /// The invite `--join` names: given as is, read from standard input (`-`) or from a file
    /// (`@FILE`).
    private func inviteText() throws -> String? {
        guard let join else { return nil }
        if join == "-" {
            guard let line = readLine(strippingNewline: true), !line.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw ValidationError("--join -: no invite came on standard input; pipe it in, e.g. `qun init --name 林 --join - < invite.txt`")
            }
            return line
        }
        if join.hasPrefix("@") {
            let path = String(join.dropFirst())
            guard let text = FileManager.default.contents(atPath: path).map({ String(decoding: $0, as: UTF8.self) }) else {
                throw ValidationError("--join @\(path): cannot read that file; give the file the invite was saved in")
            }
            return text.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        }
        return join
    }

    private func joinFromSnapshot(_ invite: TeamInvite) async throws {
        let directory = globals.storeDirectory
        let operatorName = name
        let report: BootstrapReport
        do {
            report = try await SyncClient.withHTTPClient(trustedCertificates: trust.file) { http in
                try await SyncClient.bootstrap(
                    invite: invite, at: directory, operatorName: operatorName, http: http, now: Session.clock)
            }
        } catch let error as SyncClientError {
            throw JoinError(reason: error, sharedSecret: invite.secret != nil)
        }
        let store = report.store
        Session.current.register(store)
        for notice in store.notices { Console.note(notice) }
        let status = try store.status()
        if output.json {
            printJSON(store, joined: true, extra: [
                ("snapshot", .object([
                    ("peer", .string(report.peer.name)),
                    ("url", .string(report.peer.url)),
                    ("operator", .string(report.peerInfo.operatorName)),
                    ("bytes", .int(report.snapshotBytes)),
                    ("changes", .int(Int64(status.changes))),
                    ("members", .int(Int64(status.members))),
                ])),
            ])
        } else {
            Console.print("created store \(store.directory.path) for \(store.identity.operatorName) (replica \(store.identity.replica.hex.prefix(8)))")
            Console.print("joined team \(store.identity.team!.id.hex.prefix(8)) from \(report.peerInfo.operatorName)'s snapshot: \(status.members) member\(status.members == 1 ? "" : "s"), \(status.changes) change\(status.changes == 1 ? "" : "s")")
            Console.print("registered peer \(report.peer.name) at \(report.peer.url); sync with `qun sync \(report.peer.name)`")
        }
        if report.peerInfo.schema > status.schemaVersion {
            Console.note("\(report.peer.name) runs a newer qun (schema \(report.peerInfo.schema)): upgrade soon; its new fields pass through untouched")
        }
    }

    private func printJSON(_ store: Store, joined: Bool, extra: [(String, JSON)] = []) {
        Console.printJSON(.object([
            ("store", .string(store.directory.path)),
            ("replica", .string(store.identity.replica.hex)),
            ("operator", .string(store.identity.operatorName)),
            ("team", store.identity.team.map { .string($0.id.hex) } ?? .null),
            ("joined", .bool(joined)),
        ] + extra))
    }
}

/// A join that could not fetch the team's data: the reason, and the way around it.
struct JoinError: Error, CustomStringConvertible {
    var reason: SyncClientError
    /// A `qun1` invite can also make an empty store of the team offline.
    var sharedSecret: Bool

    var description: String {
        sharedSecret
            ? "\(reason); nothing was created. To join without the inviting laptop, add --no-snapshot (an empty store of the team; sync later)"
            : "\(reason); nothing was created"
    }
}
