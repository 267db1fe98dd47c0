import GRDB
import QunCore
@testable import QunStore
import QunTestSupport
import XCTest

/// Each replica's history digest: equal on stores that hold the same changes however they
/// arrived, different as soon as one change under an id differs.
final class HistoryDigestTests: StoreTestCase {
    func testStoresHoldingTheSameChangesHaveTheSameDigestsWhateverTheOrder() throws {
        let lin = try makeStore(name: "林晓")
        let wang = try makeStore(name: "王磊", team: lin.identity.team)
        for index in 0..<12 { try lin.add("成员\(index)") { $0.city = "杭州"; $0.tags = ["读书会"] } }
        try wang.add("会员") { $0.notes = "周末" }
        let changes = try lin.changes() + (try wang.changes())
        for seed in testSeeds([1, 2, 3]) {
            var random = SplitMix64(seed: seed)
            let receiver = try makeStore(name: "接收\(seed)", team: lin.identity.team)
            // Shuffled, in small batches, some twice: gaps are filled out of order.
            let batches = random.subsetWithDuplicates(random.shuffled(changes), percent: 100, duplicatePercent: 20)
            var index = 0
            while index < batches.count {
                let end = min(batches.count, index + random.int(in: 1...7))
                try receiver.apply(Array(batches[index..<end]))
                index = end
            }
            let expected = try lin.historyDigests()[lin.identity.replica]
            let received = try receiver.historyDigests()
            XCTAssertEqual(received[lin.identity.replica]?.digest, expected?.digest, "seed \(seed) (replay with QUN_SEED=\(seed))")
            XCTAssertEqual(received[lin.identity.replica]?.seq, expected?.seq, "seed \(seed)")
            XCTAssertEqual(received[wang.identity.replica]?.digest, try wang.historyDigests()[wang.identity.replica]?.digest)
        }
    }

    /// A change forged under a teammate's id (same id and stamp, other content) used to be
    /// seen only through the history digests; its commit block's signature now fails, so the
    /// store refuses it and takes the real one later: no fork to report.
    func testAForgedChangeUnderATeammatesIDIsRefusedBeforeItCanFork() throws {
        let lin = try makeStore(name: "林晓")
        let wang = try makeStore(name: "王磊", team: lin.identity.team)
        try wang.add("张三")
        try lin.apply(try wang.changes())
        // Wang's next command, and a forgery of its name change with the same id and stamp.
        try wang.add("李四")
        let all = try wang.changes()
        let real = try XCTUnwrap(all.last { if case .set(.text("李四")) = $0.operation { true } else { false } })
        var forged = real
        forged.operation = .set(.text("假李四"))
        let server = try makeStore(name: "服务器", team: lin.identity.team)
        let report = try server.apply(try lin.changes() + all.map { $0.id == real.id ? forged : $0 })
        XCTAssertGreaterThan(report.authorship.refused["forged"] ?? 0, 0)
        XCTAssertFalse(String(describing: try server.export()).contains("假李四"))
        let author = wang.identity.replica
        XCTAssertLessThan(try server.versionVector()[author], real.id.seq, "the forged block is not in the log")
        try server.apply(all)
        try lin.apply(all)
        XCTAssertEqual(try server.versionVector()[author], try lin.versionVector()[author])

        let peerDigests = try server.historyDigests().reduce(into: [String: String]()) { $0[$1.key.hex] = "\($1.value.seq):\($1.value.digest)" }
        XCTAssertEqual(try lin.recordForks(against: peerDigests, peer: "server"), [])
        // Against a store that holds the real one, nothing either.
        let honest = try wang.historyDigests().reduce(into: [String: String]()) { $0[$1.key.hex] = "\($1.value.seq):\($1.value.digest)" }
        XCTAssertEqual(try lin.recordForks(against: honest, peer: "wang"), [])
    }
}
