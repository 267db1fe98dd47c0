import ArgumentParser
import Foundation
import QunCore
import QunStore
import QunSync

/// `qun sync [PEER] [--json] [--accept-skew]`: two-way sync over HTTP.
struct SyncCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync",
        abstract: "Two-way sync with peers over HTTP.",
        discussion: """
            Exchanges exactly the changes each side lacks with a teammate's `qun serve`, in \
            pages, both ways, until both hold the same. Without PEER, syncs with every \
            registered peer in turn; one that cannot be reached does not stop the others, \
            but the exit code is non-zero. PEER may also be a URL (http://HOST:PORT) that is \
            not registered. Every page is applied on its own: an interrupted sync keeps what \
            it received, and the next one continues from there.

            Changes stamped more than 10 minutes ahead of this laptop's clock are held back \
            (the sender's clock is probably wrong) and shown by `qun status`; they apply once \
            this clock catches up, or now with --accept-skew.

            Everything a page carries is sealed with the team's key before it leaves this \
            laptop: on the network, only the team id and replica ids are readable. For a peer \
            that serves HTTPS with its own certificate, give that certificate with --tls-ca.
            """)

    @OptionGroup var globals: GlobalOptions
    @Argument(help: "A registered peer (see `qun peer list`) or a URL; every registered peer when omitted.")
    var peer: String?
    @Flag(name: .customLong("accept-skew"), help: "Apply changes from a peer whose clock is ahead, and any held before.")
    var acceptSkew = false
    @OptionGroup var trust: TLSTrustOption
    @OptionGroup var output: JSONOption

    func run() async throws {
        let store = try globals.openStore()
        let targets = try targets(of: store)
        let progress = ProgressLine()
        var outcomes: [Outcome] = []
        try await SyncClient.withHTTPClient(trustedCertificates: trust.file) { http in
            for target in targets {
                do {
                    let client = try SyncClient(store: store, url: target.url, peerName: target.name, http: http)
                    let report = try await client.sync(acceptSkew: acceptSkew, progress: progress.update)
                    progress.clear()
                    outcomes.append(.synced(report))
                    if !output.json { try describe(report, store: store) }
                } catch {
                    progress.clear()
                    // One peer: its error is the command's error. Several: say it, go on.
                    if targets.count == 1 { throw error }
                    Console.note("sync with \(target.label) failed: \(error)")
                    outcomes.append(.failed(target, error))
                }
            }
        }
        if output.json {
            let objects = try outcomes.map { try json($0, store: store) }
            Console.printJSON(objects.count == 1 ? objects[0] : .array(objects))
        }
        let failed = outcomes.compactMap { outcome -> String? in
            if case .failed(let target, _) = outcome { return target.label }
            return nil
        }
        if !failed.isEmpty {
            throw SyncCommandError("could not sync with \(failed.joined(separator: ", ")) (\(failed.count) of \(targets.count) peers; see above); the others are synced")
        }
    }

    /// Where to sync: the named peer, a URL, or every registered peer.
    private func targets(of store: Store) throws -> [Target] {
        if let peer {
            if peer.contains("://") { return [Target(name: nil, url: peer)] }
            guard let registered = try store.peers().first(where: { $0.name == peer }) else {
                throw SyncCommandError("no peer named '\(peer)': see `qun peer list`, or register it with `qun peer add \(peer) http://HOST:PORT`")
            }
            return [Target(name: registered.name, url: registered.url)]
        }
        let peers = try store.peers()
        guard !peers.isEmpty else {
            throw SyncCommandError("no peers registered: add one with `qun peer add NAME http://HOST:PORT` (the address `qun serve` prints on the other laptop), or give a URL: `qun sync http://HOST:PORT`")
        }
        return peers.map { Target(name: $0.name, url: $0.url) }
    }

    /// The human summary on stdout, and what needs attention on stderr.
    private func describe(_ report: SyncReport, store: Store) throws {
        let seconds = String(format: "%.1f", Double(report.durationMilliseconds) / 1000)
        Console.print("synced with \(report.peer): sent \(report.sent), received \(report.received) (\(report.duplicates) already here) in \(seconds) s")
        // The summary before its notes, also when both streams go to one file.
        fflush(nil)
        for note in report.notes { Console.note(note) }
        let again = "`qun sync \(report.peer) --accept-skew`"
        if report.held > 0 {
            let who = try origin(of: report, store: store)
            Console.note("held back \(report.held) change\(report.held == 1 ? "" : "s") from \(who) stamped up to \(TimeFormat.duration(milliseconds: report.heldAheadMilliseconds)) ahead of this laptop's clock: \(who)'s clock is probably wrong; they apply when this clock catches up, or now with \(again)")
        }
        if report.stillHeld > report.held {
            let earlier = report.stillHeld - report.held
            Console.note("\(earlier) change\(earlier == 1 ? " is" : "s are") still held back from earlier (see `qun status`); \(again) applies them")
        }
        if report.heldByPeer > 0 {
            Console.note("\(report.peer) held back \(report.heldByPeer) of the changes sent: this laptop's clock is up to \(TimeFormat.duration(milliseconds: report.heldByPeerAheadMilliseconds)) ahead of \(report.peer)'s; check the clock here (they apply there once its clock catches up)")
        }
    }

    /// Who wrote the held changes: the operator's name when known.
    private func origin(of report: SyncReport, store: Store) throws -> String {
        guard let replica = report.heldReplica else { return report.peer }
        if let name = try store.operatorNames()[replica] { return name }
        if replica == report.peerReplica, !report.peerOperator.isEmpty { return report.peerOperator }
        return "replica \(replica.hex.prefix(8))"
    }

    private func json(_ outcome: Outcome, store: Store) throws -> JSON {
        switch outcome {
        case .failed(let target, let error):
            return .object([
                ("peer", .string(target.label)), ("url", .string(target.url)), ("error", .string("\(error)")),
            ])
        case .synced(let report):
            return .object([
                ("peer", .string(report.peer)),
                ("url", .string(report.url)),
                ("replica", report.peerReplica.map { .string($0.hex) } ?? .null),
                ("operator", .string(report.peerOperator)),
                ("sent", .int(Int64(report.sent))),
                ("received", .int(Int64(report.received))),
                ("duplicates", .int(Int64(report.duplicates))),
                ("held", .int(Int64(report.held))),
                ("held_ahead_ms", .int(report.heldAheadMilliseconds)),
                ("held_replica", report.heldReplica.map { .string($0.hex) } ?? .null),
                ("held_by_peer", .int(Int64(report.heldByPeer))),
                ("still_held", .int(Int64(report.stillHeld))),
                ("rounds", .int(Int64(report.rounds))),
                ("duration_ms", .int(report.durationMilliseconds)),
                ("notes", .array(report.notes.map { .string($0) })),
            ])
        }
    }

    struct Target {
        var name: String?
        var url: String
        var label: String { name ?? url }
    }

    enum Outcome {
        case synced(SyncReport)
        case failed(Target, any Error)
    }
}

/// A refusal of `qun sync` itself (no such peer, some peers failed).
struct SyncCommandError: Error, CustomStringConvertible {
    var description: String

    init(_ description: String) { self.description = description }
}
