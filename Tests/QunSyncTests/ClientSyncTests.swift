import Foundation
import QunCore
import QunStore
@testable import QunSync
import XCTest

/// `SyncClient.sync` against a real server: convergence, idempotence, paging, peer
/// bookkeeping, clock skew.
final class ClientSyncTests: ClientTestCase {
    func testTwoStoresEditingOfflineConvergeByteForByte() async throws {
        let wang = try makeStore("王磊")
        let lin = try makeStore("林晓", team: wang.team)
        let shared = try wang.add("张三") { $0.city = "杭州"; $0.tags = ["早鸟"] }
        try wang.add("李四") { $0.role = .kol }
        try lin.add("王五") { $0.tags = ["志愿者"] }
        let url = try await serve(wang)

        let linChanges = try lin.changes().count
        let wangChanges = try wang.changes().count
        let first = try await sync(lin, with: url)
        XCTAssertEqual(first.received, wangChanges)
        XCTAssertEqual(first.sent, linChanges)
        XCTAssertEqual(first.duplicates, 0)
        XCTAssertEqual(first.held, 0)
        XCTAssertEqual(first.rounds, 1)
        XCTAssertEqual(first.peerReplica, wang.replica)
        XCTAssertEqual(first.peerOperator, "王磊")
        XCTAssertEqual(first.notes, [])
        XCTAssertEqual(try lin.exportText(), try wang.exportText())

        // Both edit the same member offline: different fields survive, the later city wins.
        var cityAndTag = MemberEdit()
        cityAndTag.fields[.city] = "上海"
        cityAndTag.addTags = ["核心"]
        _ = try wang.editMember(shared.id, cityAndTag)
        var notesAndCity = MemberEdit()
        notesAndCity.fields[.notes] = "周末活动负责人"
        notesAndCity.fields[.city] = "苏州"
        notesAndCity.removeTags = ["早鸟"]
        _ = try lin.editMember(shared.id, notesAndCity)
        try lin.add("赵六")

        let second = try await sync(lin, with: url)
        XCTAssertGreaterThan(second.sent, 0)
        XCTAssertGreaterThan(second.received, 0)
        XCTAssertEqual(try lin.exportText(), try wang.exportText())
        XCTAssertEqual(try lin.versionVector(), try wang.versionVector())

        // Nothing left to move, either way.
        let third = try await sync(lin, with: url)
        XCTAssertEqual(third.sent, 0)
        XCTAssertEqual(third.received, 0)
        XCTAssertEqual(third.duplicates, 0)
        XCTAssertEqual(third.pagesSent, 0)
        XCTAssertEqual(third.pagesReceived, 0)
        XCTAssertEqual(third.rounds, 1)
        XCTAssertTrue(third.isNoOp)
    }

    func testSmallPagesAcrossSeveralReplicasBothWays() async throws {
        // The server holds changes of three replicas, the client of two others.
        let a = try makeStore("林晓")
        let b = try makeStore("阿杰", team: a.team)
        let c = try makeStore("小美", team: a.team)
        let d = try makeStore("大伟", team: a.team)
        let e = try makeStore("Lena", team: a.team)
        for index in 0..<9 { try a.add("成员\(index)") { $0.city = "杭州" } }
        for index in 0..<7 { try b.add("会员\(index)") { $0.tags = ["早鸟", "读书会"] } }
        for index in 0..<5 { try c.add("朋友\(index)") { $0.role = .core } }
        for index in 0..<8 { try d.add("同学\(index)") { $0.gateNote = "paid \(index)" } }
        for index in 0..<6 { try e.add("member \(index)") }
        try a.apply(try b.changes())
        try a.apply(try c.changes())
        try d.apply(try e.changes())
        let url = try await serve(a)

        let toReceive = try a.changes().count
        let toSend = try d.changes().count
        XCTAssertGreaterThan(toReceive, 50)
        // The roster step moves each side's roster entries first; the pages carry the rest.
        let pulled = try pagedAfterTheRoster(from: a, to: d)
        let pushed = try pagedAfterTheRoster(from: d, to: a)
        let report = try await sync(d, with: url, pageSize: 7)
        XCTAssertEqual(report.received, toReceive)
        XCTAssertEqual(report.sent, toSend)
        // Pages run on to the end of a commit block.
        XCTAssertEqual(report.pagesReceived, expectedPageSizes(of: pulled, limit: 7).count)
        XCTAssertEqual(report.pagesSent, expectedPageSizes(of: pushed, limit: 7).count)
        XCTAssertGreaterThan(report.pagesReceived, 1)
        XCTAssertGreaterThan(report.pagesSent, 1)
        XCTAssertEqual(try d.exportText(), try a.exportText())
        XCTAssertEqual(try d.versionVector(), try a.versionVector())
        XCTAssertEqual(try d.versionVector().entries.count, 5)

        let again = try await sync(d, with: url, pageSize: 7)
        XCTAssertTrue(again.isNoOp)
    }

    func testPageSizeOfOneAndExactMultiples() async throws {
        let a = try makeStore("林晓")
        let b = try makeStore("阿杰", team: a.team)
        for index in 0..<3 { try a.add("成员\(index)") }
        for index in 0..<2 { try b.add("会员\(index)") }
        let url = try await serve(a)
        let (toReceive, toSend) = (try a.changes().count, try b.changes().count)
        let (pulled, pushed) = (try pagedAfterTheRoster(from: a, to: b), try pagedAfterTheRoster(from: b, to: a))
        let report = try await sync(b, with: url, pageSize: 1)
        XCTAssertEqual(report.received, toReceive)
        XCTAssertEqual(report.sent, toSend)
        // A page of one change still carries its whole commit block: one page per commit.
        XCTAssertEqual(report.pagesReceived, signatures(in: pulled))
        XCTAssertGreaterThanOrEqual(report.pagesReceived, 3, "a page for each of the three adds at least")
        XCTAssertEqual(report.pagesSent, signatures(in: pushed))
        XCTAssertGreaterThanOrEqual(report.pagesSent, 2, "a page for each of the two adds at least")
        XCTAssertEqual(try b.exportText(), try a.exportText())

        // A page size that divides the log exactly.
        let c = try makeStore("小美", team: a.team)
        let total = try a.changes().count
        let paged = try pagedAfterTheRoster(from: a, to: c)
        let divisor = (2...paged.count).first { paged.count % $0 == 0 && $0 < paged.count } ?? paged.count
        let exact = try await sync(c, with: url, pageSize: divisor)
        XCTAssertEqual(exact.received, total)
        XCTAssertEqual(exact.pagesReceived, expectedPageSizes(of: paged, limit: divisor).count)
    }

    func testSyncRecordsWhatThePeerHoldsAndWhen() async throws {
        let wang = try makeStore("王磊")
        let lin = try makeStore("林晓", team: wang.team)
        try wang.add("张三")
        try lin.add("李四")
        let url = try await serve(wang)
        try lin.addPeer(name: "wang", url: url)
        XCTAssertNil(try lin.peer(named: "wang").lastSync)

        let report = try await sync(lin, with: url, peer: "wang")
        XCTAssertEqual(report.peer, "wang")
        let peer = try lin.peer(named: "wang")
        XCTAssertEqual(peer.replica, wang.replica)
        XCTAssertNotNil(peer.lastSync)
        XCTAssertEqual(try lin.peerKnowledge(wang.replica), try wang.versionVector())
        XCTAssertEqual(try lin.status().pendingForPeers[wang.replica], 0)
        // The server learned what the client holds from the push.
        XCTAssertEqual(try wang.peerKnowledge(lin.replica), try lin.versionVector())
    }

    func testProgressCountsUpToTheTotalInEachPhase() async throws {
        let a = try makeStore("林晓")
        let b = try makeStore("阿杰", team: a.team)
        for index in 0..<10 { try a.add("成员\(index)") }
        for index in 0..<4 { try b.add("会员\(index)") }
        let url = try await serve(a)
        // The roster step moves each side's roster entries before the pages; the pages, and
        // so the progress, carry the rest, each page run on to the end of its commit block.
        let (pulled, pushed) = (try pagedAfterTheRoster(from: a, to: b), try pagedAfterTheRoster(from: b, to: a))
        let (rosterIn, rosterOut) = (try a.rosterChanges().count, try b.rosterChanges().count)
        let events = EventLog()
        let report = try await client(b, url, pageSize: 5).sync { events.append($0) }
        let received = events.all.filter { $0.phase == .receiving }
        let sent = events.all.filter { $0.phase == .sending }
        XCTAssertEqual(received.map(\.done), runningTotals(expectedPageSizes(of: pulled, limit: 5)))
        XCTAssertGreaterThan(received.count, 1)
        XCTAssertTrue(received.allSatisfy { $0.total == pulled.count })
        XCTAssertEqual(report.received, pulled.count + rosterIn)
        XCTAssertEqual(sent.map(\.done), runningTotals(expectedPageSizes(of: pushed, limit: 5)))
        XCTAssertTrue(sent.allSatisfy { $0.total == pushed.count })
        XCTAssertEqual(report.sent, pushed.count + rosterOut)
        XCTAssertTrue(events.all.allSatisfy { $0.done <= $0.total && $0.peer == url })
    }

    func testChangesFromAPeerWhoseClockIsADayAheadAreHeldAndReported() async throws {
        let day: Int64 = 24 * 3600 * 1000
        let ahead = try makeStore("王磊", now: { Store.systemClock() + day })
        let lin = try makeStore("林晓", team: ahead.team)
        try ahead.add("张三")
        try ahead.add("李四")
        try lin.add("王五")
        let url = try await serve(ahead)
        let before = try lin.exportSection(.memberCollection)
        let skewed = try ahead.changes().count

        let report = try await sync(lin, with: url)
        XCTAssertEqual(report.held, skewed)
        XCTAssertEqual(report.received, 0)
        XCTAssertEqual(report.heldReplica, ahead.replica)
        XCTAssertGreaterThan(report.heldAheadMilliseconds, day - 3_600_000)
        XCTAssertLessThanOrEqual(report.heldAheadMilliseconds, day)
        XCTAssertEqual(report.stillHeld, skewed)
        XCTAssertEqual(report.sent, try lin.changes().count, "the client's own changes still go out")
        XCTAssertLessThanOrEqual(report.rounds, 2, "held changes must not make the sync loop")
        XCTAssertEqual(try lin.exportSection(.memberCollection), before, "nothing from the skewed clock applied")
        XCTAssertEqual(try lin.heldChanges().count, skewed)

        // Again: nothing is downloaded again, and the held changes are still reported.
        let again = try await sync(lin, with: url)
        // Only the roster step offers again what is held (it sends the whole roster each time).
        XCTAssertEqual(again.held, try ahead.rosterChanges().filter { $0.id.replica != lin.replica }.count)
        XCTAssertEqual(again.received, 0)
        XCTAssertEqual(again.pagesReceived, 0)
        XCTAssertEqual(again.stillHeld, skewed)
        XCTAssertEqual(again.rounds, 1)

        // The operator decides to take them.
        let accepted = try await sync(lin, with: url, acceptSkew: true)
        XCTAssertEqual(accepted.received, skewed)
        XCTAssertEqual(accepted.stillHeld, 0)
        XCTAssertEqual(try lin.exportText(), try ahead.exportText())
    }

    func testChangesFromAClientWhoseClockIsADayAheadAreHeldByThePeer() async throws {
        let day: Int64 = 24 * 3600 * 1000
        let wang = try makeStore("王磊")
        let ahead = try makeStore("林晓", team: wang.team, now: { Store.systemClock() + day })
        try wang.add("张三")
        try ahead.add("李四")
        let url = try await serve(wang)
        let skewed = try ahead.changes().count

        let report = try await sync(ahead, with: url)
        XCTAssertEqual(report.heldByPeer, skewed)
        XCTAssertEqual(report.sent, 0)
        XCTAssertGreaterThan(report.heldByPeerAheadMilliseconds, day - 3_600_000)
        XCTAssertEqual(report.received, try wang.changes().count)
        XCTAssertLessThanOrEqual(report.rounds, 2)
        XCTAssertEqual(try wang.heldChanges().count, skewed)

        // Not pushed again within or across syncs beyond what the peer already holds.
        let again = try await sync(ahead, with: url)
        XCTAssertEqual(again.received, 0)
        XCTAssertEqual(again.sent, 0)
    }
}

/// Progress events, gathered from the sync task.
final class EventLog: @unchecked Sendable {
    private let lock = NSLock()
    private var events: [SyncProgress] = []

    func append(_ event: SyncProgress) {
        lock.lock()
        events.append(event)
        lock.unlock()
    }

    var all: [SyncProgress] {
        lock.lock()
        defer { lock.unlock() }
        return events
    }
}
