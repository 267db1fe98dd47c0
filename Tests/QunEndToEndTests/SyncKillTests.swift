import Foundation
import QunStore
import QunTestSupport
import XCTest

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// kill -9 of `qun serve` or of `qun sync` in the middle of a large sync: every page is one
/// transaction, so nothing is torn, both databases stay intact, and the next sync finishes
/// the job (DESIGN.md "Sync": kill -9 at any moment loses no acknowledged change).
///
/// The kill delays are random, as fractions of how long a full sync of the same store takes
/// on this machine, so that they land mid-transfer on a slow or a fast machine alike. They
/// come from a seed: `QUN_KILL_SEED=N` picks it (CI pins one, see `.ci/run`), otherwise it is
/// new each run; it is printed at the start and again when the test fails, so that a run can
/// be replayed (the same fractions; the delays still scale with this machine's speed).
final class SyncKillTests: SyncTestCase {
    /// Changes in the source store (about eight per member).
    static let sourceChanges = 40_000

    enum Victim: String {
        case server, client
    }

    func testKillServerMidSync() throws {
        try killMidSync(.server)
    }

    func testKillClientMidSync() throws {
        try killMidSync(.client)
    }

    /// The seed of the running test, repeated in `tearDown` when it failed.
    private var seed: UInt64?

    override func tearDown() {
        if let seed, (testRun?.totalFailureCount ?? 0) > 0 {
            print("\(name) failed with kill seed \(seed): replay with QUN_KILL_SEED=\(seed)")
        }
        seed = nil
        super.tearDown()
    }

    // MARK: - The scenario

    private func killMidSync(_ victim: Victim) throws {
        let seed = Self.killSeed()
        self.seed = seed
        print("SyncKillTests.\(victim): seed \(seed) (replay with QUN_KILL_SEED=\(seed))")
        var random = SplitMix64(seed: seed)

        let source = path("source")
        let sourceReplica = try buildSource(at: source)
        var server = try serve(source)

        // Calibration: how long does a full sync of this store take here?
        let calibrationTarget = joinEmpty("target-calibration", operator: "校准", inviter: source)
        let started = Date()
        let calibration = sync(calibrationTarget, with: server.url)
        let fullDuration = Date().timeIntervalSince(started)
        XCTAssertGreaterThanOrEqual(calibration["received"].flatMap(intValue) ?? 0, Self.sourceChanges)
        print("SyncKillTests.\(victim): a full sync takes \(String(format: "%.2f", fullDuration)) s")

        var fractions = (0..<3).map { _ in Double.random(in: 0.15...0.85, using: &random) }
        var partialRuns = 0
        var trial = 0
        // Up to three more tries when no kill landed mid-transfer, nudged towards the middle.
        while trial < fractions.count {
            let fraction = fractions[trial]
            let outcome = try killTrial(
                trial, victim: victim, delay: fullDuration * fraction, source: source, sourceReplica: sourceReplica,
                server: &server)
            print("SyncKillTests.\(victim) #\(trial): kill after \(String(format: "%.0f", fullDuration * fraction * 1000)) ms (\(String(format: "%.2f", fraction)) of a full sync): \(outcome)")
            if case .partial = outcome { partialRuns += 1 }
            trial += 1
            if trial == fractions.count, partialRuns == 0, fractions.count < 6 {
                switch outcome {
                case .nothingYet: fractions.append(min(0.95, fraction + (1 - fraction) / 2))
                case .complete: fractions.append(fraction / 2)
                case .partial: break
                }
            }
        }
        XCTAssertGreaterThan(partialRuns, 0, "no kill landed mid-transfer (seed \(seed)); make the store bigger")

        XCTAssertEqual(server.child.stop(), 0, "qun serve stops cleanly: \(server.child.stderr)")
        XCTAssertEqual(integrityCheck(source), "ok", "source store after \(trial) killed syncs")
    }

    /// `QUN_KILL_SEED` (decimal or 0x-hex) when set, else a new seed from the time.
    static func killSeed() -> UInt64 {
        let text = ProcessInfo.processInfo.environment["QUN_KILL_SEED"] ?? ""
        let pinned = text.hasPrefix("0x") ? UInt64(text.dropFirst(2), radix: 16) : UInt64(text)
        return pinned ?? UInt64(Date().timeIntervalSince1970 * 1000)
    }

    enum Outcome: CustomStringConvertible {
        /// The kill came before a single change arrived.
        case nothingYet
        /// Some but not all changes had arrived: the kill landed mid-transfer.
        case partial(received: Int, of: Int)
        /// The sync had finished.
        case complete

        var description: String {
            switch self {
            case .nothingYet: return "before any change arrived"
            case .partial(let received, let total): return "mid-transfer: \(received) of \(total) changes had arrived"
            case .complete: return "after the sync finished"
            }
        }
    }

    /// One fresh target syncs from the source; `victim` is killed after `delay` seconds; then
    /// (with the server restarted if it was the victim) a second sync must finish the job.
    private func killTrial(
        _ trial: Int, victim: Victim, delay: TimeInterval, source: URL, sourceReplica: String,
        server: inout ServeProcess
    ) throws -> Outcome {
        let target = joinEmpty("target-\(victim)-\(trial)", operator: "目标\(trial)", inviter: source)
        let before = changeCount(status(target))
        let toReceive = changeCount(status(source))

        let client = try startQun(["sync", server.url, "--json"], store: target)
        usleep(useconds_t(delay * 1_000_000))
        switch victim {
        case .server:
            server.child.killHard()
            // The client sees the connection drop and says so; it must not hang.
            let status = client.wait(timeout: 60)
            XCTAssertNotNil(status, "qun sync hangs after its server was killed")
            print("SyncKillTests.server #\(trial): qun sync exited \(status.map(String.init) ?? "-"): \(client.stderr.trimmingCharacters(in: .whitespacesAndNewlines))")
            if let status, status != 0 {
                XCTAssertFalse(client.stderr.isEmpty, "a failed sync says why")
                XCTAssertTrue(client.stdout.isEmpty, "a failed sync prints no report: \(client.stdout)")
                XCTAssertFalse(client.stderr.contains("Fatal error"), client.stderr)
            }
        case .client:
            client.killHard()
        }
        XCTAssertFalse(client.stderr.contains("Fatal error"), client.stderr)

        // What arrived before the kill stays; qun opens the store the kill left behind.
        let after = changeCount(status(target))
        let received = after - before
        XCTAssertGreaterThanOrEqual(received, 0)
        XCTAssertLessThanOrEqual(received, toReceive)
        XCTAssertEqual(integrityCheck(target), "ok", "target right after the kill (trial \(trial))")
        let outcome: Outcome = received == 0 ? .nothingYet : received < toReceive ? .partial(received: received, of: toReceive) : .complete

        if victim == .server {
            XCTAssertEqual(integrityCheck(source), "ok", "source right after its server was killed (trial \(trial))")
            server = try serve(source)
        } else {
            XCTAssertFalse(server.child.hasExited, "the server survives a client killed mid-sync: \(server.child.stderr)")
        }

        let report = sync(target, with: server.url)
        XCTAssertEqual(report["received"].flatMap(intValue), toReceive - received,
                       "the second sync brings exactly what the first did not: \(report)")
        XCTAssertEqual(report["duplicates"].flatMap(intValue), 0, "nothing is sent twice: \(report)")
        XCTAssertEqual(export(target), export(source), "trial \(trial)")
        let sourceStatus = status(source)
        let targetStatus = status(target)
        XCTAssertEqual(vectorEntry(targetStatus, sourceReplica), vectorEntry(sourceStatus, sourceReplica))
        XCTAssertEqual(vectorEntry(targetStatus, sourceReplica).map { $0 >= Self.sourceChanges }, true)
        XCTAssertEqual(vector(targetStatus), vector(sourceStatus), "trial \(trial)")
        XCTAssertEqual(changeCount(targetStatus), changeCount(sourceStatus))
        XCTAssertEqual(integrityCheck(target), "ok", "target after the second sync (trial \(trial))")
        return outcome
    }

    /// A source store of `sourceChanges` changes, made in this process (a CLI `member add`
    /// per member would take minutes); returns its replica id. Closed before qun uses it.
    private func buildSource(at directory: URL) throws -> String {
        let cities = ["杭州", "上海", "北京", "深圳", "成都", "广州", "南京", "武汉"]
        let tags = ["读书会", "志愿者", "vip", "新人", "线下", "付费", "核心", "摄影"]
        let roles: [Member.Role] = [.member, .member, .member, .core, .kol]
        let store = try Store.create(at: directory, operatorName: "源头")
        var made = try store.status().changes
        var batch = 0
        while made < Self.sourceChanges {
            _ = try store.addMembers((0..<1_000).map { index in
                var draft = MemberDraft(name: "成员\(batch)-\(index)")
                draft.role = roles[index % roles.count]
                draft.city = cities[index % cities.count]
                draft.tags = [tags[index % tags.count]]
                draft.phone = String(format: "139%04d%04d", batch, index)
                return draft
            })
            batch += 1
            made = try store.status().changes
        }
        let replica = store.identity.replica.hex
        try store.database.close()
        return replica
    }
}
