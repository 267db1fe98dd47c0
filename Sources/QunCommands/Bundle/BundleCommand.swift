import ArgumentParser
import Foundation
import QunCore
import QunStore
import QunSync

struct BundleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bundle",
        abstract: "Carry changes between laptops in a file (USB stick, chat attachment).",
        discussion: """
            A bundle is signed with the team secret: a truncated, damaged or other team's \
            bundle is refused as a whole. Importing the same bundle twice, or bundles in any \
            order, is safe.
            """,
        subcommands: [ExportBundle.self, ImportBundle.self])
}

struct ExportBundle: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write changes to a bundle file.",
        discussion: """
            By default the bundle holds every change. --for PEER writes only what that \
            teammate's laptop is not known to have (learned from the bundles it sent); \
            --since VECTOR writes what a holder of VECTOR (as printed by `qun status`) lacks.
            """)

    @OptionGroup var globals: GlobalOptions
    @Argument(help: "The file to write.") var file: String
    @Option(help: ArgumentHelp("Only what this peer (operator name or replica prefix) lacks.", valueName: "peer"))
    var `for`: String?
    @Option(help: ArgumentHelp("Only changes after this version vector.", valueName: "vector"))
    var since: String?
    @OptionGroup var output: JSONOption

    func validate() throws {
        if `for` != nil && since != nil { throw ValidationError("give --for or --since, not both") }
        if let since, VersionVector(parsing: since) == nil {
            throw ValidationError("--since '\(since)' is not a version vector: it looks like REPLICA:SEQ,REPLICA:SEQ (see `qun status`)")
        }
    }

    func run() throws {
        let store = try globals.openStore()
        var vector = since.flatMap(VersionVector.init(parsing:)) ?? VersionVector()
        if let peer = `for` {
            let replica = try store.peerReplica(named: peer)
            if let known = try store.peerKnowledge(replica) {
                vector = known
            } else {
                Console.note("nothing is known yet of what \(peer) holds: writing every change")
            }
        }
        let progress = ProgressLine()
        defer { progress.clear() }
        let report = try store.exportBundle(to: URL(fileURLWithPath: file), since: vector, phase: progress.phase)
        progress.clear()
        if output.json {
            Console.printJSON(.object([
                ("path", .string(report.path)), ("changes", .int(Int64(report.changes))),
                ("bytes", .int(Int64(report.bytes))), ("since", report.since.json),
            ]))
        } else {
            Console.print("wrote \(report.changes) change\(report.changes == 1 ? "" : "s") to \(report.path) (\(report.bytes) bytes)")
        }
    }
}

struct ImportBundle: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Apply a bundle file: all of it, or nothing.",
        discussion: """
            Changes stamped more than 10 minutes ahead of this laptop's clock are held back \
            (the sender's clock is probably wrong) and shown by `qun status`; they are applied \
            once this clock catches up, or now with --accept-skew.
            """)

    @OptionGroup var globals: GlobalOptions
    @Argument(help: "The bundle file.") var file: String
    @Flag(name: .customLong("accept-skew"), help: "Apply changes from a peer whose clock is ahead, and any held before.")
    var acceptSkew = false
    @OptionGroup var output: JSONOption

    func run() throws {
        let store = try globals.openStore()
        let progress = ProgressLine()
        defer { progress.clear() }
        let report = try store.importBundle(from: URL(fileURLWithPath: file), acceptSkew: acceptSkew, phase: progress.phase)
        progress.clear()
        let apply = report.apply
        if output.json {
            Console.printJSON(.object([
                ("path", .string(report.path)), ("from", .string(report.from)), ("operator", .string(report.operatorName)),
                ("received", .int(Int64(apply.received))), ("applied", .int(Int64(apply.applied))),
                ("duplicates", .int(Int64(apply.duplicates))), ("held", .int(Int64(apply.held))),
                ("released", .int(Int64(apply.released))),
            ]))
        } else {
            Console.print("applied \(apply.applied) new change\(apply.applied == 1 ? "" : "s") from \(report.operatorName) (\(apply.duplicates) already here)")
        }
        if apply.held > 0 {
            let ahead = apply.heldAhead.values.max() ?? 0
            Console.note("held \(apply.held) change\(apply.held == 1 ? "" : "s") stamped up to \(TimeFormat.duration(milliseconds: ahead)) ahead of this laptop's clock: check \(report.operatorName)'s clock; they apply when this clock catches up, or now with `qun bundle import --accept-skew \(file)`")
        }
        if apply.released > 0 {
            Console.note("applied \(apply.released) previously held change\(apply.released == 1 ? "" : "s")")
        }
    }
}
