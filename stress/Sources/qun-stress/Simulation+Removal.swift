import Foundation

/// What the removal of a teammate looked like at the end of a run.
struct RemovalFindings {
    /// The removed laptop's syncs with each replica after the removal: each must be refused.
    var refusedSyncs = 0
    var attemptedSyncs = 0
    /// Its edit from before the removal is in every export; the one after is in none.
    var earlyEditPresent = false
    var lateEditAbsent = false
}

extension Simulation {
    static let leaverName = "离开者"
    static let earlyEdit = "离开前的成员"
    static let lateEdit = "离开后的成员"

    /// A laptop joins with a single-use invite, writes and syncs; it is removed later
    /// (`removeTheLeaver`).
    func joinTheLeaver() throws -> Replica {
        let first = replicas[0]
        let leaver = Replica(index: replicas.count, store: workDirectory.appendingPathComponent("leaver"), operatorName: Self.leaverName)
        let invite = try expect(["team", "invite", "--url", first.url!], on: first, "team invite")
            .trimmingCharacters(in: .whitespacesAndNewlines)
        try expect(["init", "--name", Self.leaverName, "--join", invite], on: leaver, "init --join (leaver)")
        try expect(["member", "add", Self.earlyEdit], on: leaver, "member add (leaver)")
        try expect(["sync", first.url!], on: leaver, "sync (leaver, before removal)")
        return leaver
    }

    /// The first replica removes the leaver (which also locks the open team and starts a key
    /// epoch); the leaver writes again, unaware, and its sync is refused.
    func removeTheLeaver(_ leaver: Replica) throws {
        let first = replicas[0]
        try expect(["team", "remove", Self.leaverName], on: first, "team remove")
        try expect(["member", "add", Self.lateEdit], on: leaver, "member add (leaver, after removal)")
        let refused = try runner.run(["sync", first.url!], store: leaver.store)
        inspect(refused, "sync (leaver, after removal)")
        if refused.succeeded || !refused.stderr.contains("removed") {
            fail("the removed laptop's sync was not refused as removed (\(refused.status)): \(refused.stderr.suffix(400))")
        }
        note("removed \(Self.leaverName): the team is locked, key epoch 2 from here on")
    }

    /// After the final round: the removed laptop is refused by every replica, and only its
    /// edit from before the removal reached the team.
    func checkRemoval(of leaver: Replica, exports: [String]) throws -> RemovalFindings {
        var findings = RemovalFindings()
        findings.earlyEditPresent = exports.allSatisfy { $0.contains(Self.earlyEdit) }
        findings.lateEditAbsent = exports.allSatisfy { !$0.contains(Self.lateEdit) }
        if !findings.earlyEditPresent { fail("the removed laptop's edit from before the removal is missing from an export") }
        if !findings.lateEditAbsent { fail("the removed laptop's edit from after the removal reached the team") }
        for replica in replicas {
            try startServer(replica)
            let outcome = try runner.run(["sync", replica.url!], store: leaver.store)
            inspect(outcome, "sync (leaver → \(replica.name))")
            findings.attemptedSyncs += 1
            if !outcome.succeeded && outcome.stderr.contains("removed") {
                findings.refusedSyncs += 1
            } else {
                fail("\(replica.name) did not refuse the removed laptop (\(outcome.status)): \(outcome.stderr.suffix(400))")
            }
            stopServer(replica, hard: false)
        }
        return findings
    }
}
