import Foundation
import QunCore
import QunStore
import QunSync
import XCTest

/// Syncs that are cut short, or that race with writers, lose nothing and end converged.
final class ClientInterruptionTests: ClientTestCase {
    func testAnInterruptedPullKeepsWholePagesAndTheNextSyncResumes() async throws {
        let wang = try makeStore("王磊")
        let lin = try makeStore("林晓", team: wang.team)
        for index in 0..<20 { try wang.add("成员\(index)") { $0.city = "杭州" } }
        let url = try await serve(wang)
        let total = try wang.changes().count
        let pageSize = 5
        let rosterEntries = try wang.rosterChanges().count
        let pages = runningTotals(expectedPageSizes(of: try pagedAfterTheRoster(from: wang, to: lin), limit: pageSize))

        // Cancel the sync (as Ctrl-C would) once the first page is in.
        let gate = CancelGate()
        let client = try client(lin, url, pageSize: pageSize)
        let task = Task { try await client.sync { _ in gate.cancel() } }
        gate.set(task)
        do {
            _ = try await task.value
            XCTFail("the sync should have been interrupted")
        } catch {
            XCTAssertTrue(error is CancellationError, "\(type(of: error)): \(error)")
        }
        let kept = try lin.changes().filter { $0.id.replica == wang.replica }.count
        XCTAssertGreaterThan(kept, 0)
        XCTAssertLessThan(kept, total)
        // Only whole pages are applied (each run on to the end of its commit block), after the
        // roster entries the roster step brought first.
        XCTAssertTrue(pages.dropLast().contains(kept - rosterEntries), "kept \(kept): roster \(rosterEntries) + whole pages \(pages)")
        XCTAssertEqual(try lin.versionVector()[wang.replica], Int64(kept))

        // The next sync fetches exactly the rest.
        let resumed = try await sync(lin, with: url, pageSize: pageSize)
        XCTAssertEqual(resumed.received, total - kept)
        XCTAssertEqual(resumed.duplicates, 0)
        XCTAssertEqual(try lin.exportText(), try wang.exportText())
    }

    func testWritersOnBothSidesDuringTheSyncAreCaughtInAnotherRound() async throws {
        let wang = try makeStore("王磊")
        let lin = try makeStore("林晓", team: wang.team)
        for index in 0..<12 { try wang.add("成员\(index)") }
        for index in 0..<12 { try lin.add("会员\(index)") }
        let url = try await serve(wang)

        // After the first page each way, someone writes on each laptop.
        let once = OnceFlag()
        let report = try await client(lin, url, pageSize: 7).sync { progress in
            guard progress.phase == .sending, once.first() else { return }
            _ = try? wang.add("同时写入的成员")
            _ = try? lin.add("同时写入的会员")
        }
        XCTAssertEqual(report.rounds, 2)
        XCTAssertEqual(report.notes, [])
        XCTAssertEqual(try lin.exportText(), try wang.exportText())
        XCTAssertEqual(try lin.versionVector(), try wang.versionVector())
    }

    func testAPeerThatNeverStopsWritingEndsAfterTheRoundLimitWithANote() async throws {
        let wang = try makeStore("王磊")
        let lin = try makeStore("林晓", team: wang.team)
        try wang.add("张三")
        let url = try await serve(wang)

        var client = try client(lin, url)
        client.maximumRounds = 3
        let report = try await client.sync { progress in
            if progress.phase == .receiving { _ = try? wang.add("又一个") }
        }
        XCTAssertEqual(report.rounds, 3)
        XCTAssertEqual(report.notes.count, 1)
        XCTAssertTrue(report.notes[0].contains("still differ after 3 rounds"), report.notes[0])
    }
}

/// Cancels a task on request, also when asked before the task is known.
final class CancelGate: @unchecked Sendable {
    private let lock = NSLock()
    private var task: Task<SyncReport, any Error>?
    private var requested = false

    func set(_ task: Task<SyncReport, any Error>) {
        lock.lock()
        defer { lock.unlock() }
        self.task = task
        if requested { task.cancel() }
    }

    func cancel() {
        lock.lock()
        defer { lock.unlock() }
        requested = true
        task?.cancel()
    }
}

/// True the first time only.
final class OnceFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var done = false

    func first() -> Bool {
        lock.lock()
        defer { lock.unlock() }
        if done { return false }
        done = true
        return true
    }
}
