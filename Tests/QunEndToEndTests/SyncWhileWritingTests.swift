import Foundation
import QunTestSupport
import XCTest

/// The CLI writes to a store while `qun serve` on the same store applies a teammate's syncs
/// (DESIGN.md "Sync": SQLite WAL, immediate transactions): no command fails with
/// "locked" or "busy", and the two stores converge.
final class SyncWhileWritingTests: SyncTestCase {
    private final class Outcomes: @unchecked Sendable {
        private let lock = NSLock()
        private var items: [(index: Int, output: QunOutput, during: ClosedRange<Date>)] = []

        func append(_ index: Int, _ output: QunOutput, _ during: ClosedRange<Date>) {
            lock.lock(); defer { lock.unlock() }
            items.append((index, output, during))
        }

        var all: [(index: Int, output: QunOutput, during: ClosedRange<Date>)] {
            lock.lock(); defer { lock.unlock() }
            return items
        }

        var count: Int {
            lock.lock(); defer { lock.unlock() }
            return items.count
        }
    }

    func testCLIWritesWhileServingAndSyncing() throws {
        let a = initStore("a", operator: "林")
        let b = joinEmpty("b", operator: "王", inviter: a)
        let server = try serve(a)
        let home = try XCTUnwrap(self.home)
        let adds = 30
        let syncs = 5
        let writes = Outcomes()
        let writerDone = DispatchSemaphore(value: 0)

        // The writer: 30 `member add` on A, one after another, while B syncs into A.
        Thread.detachNewThread {
            for index in 1...adds {
                let arguments = ["member", "add", "写入\(index)", "--tag", "并发", "--city", "杭州"]
                let started = Date()
                let output: QunOutput
                do {
                    output = try QunProcess.run(arguments, store: a, stdin: nil, env: [:], home: home)
                } catch {
                    output = (-1, "", "\(error)")
                }
                writes.append(index, output, started...Date())
            }
            writerDone.signal()
        }

        var syncOutputs: [QunOutput] = []
        var syncTimes: [ClosedRange<Date>] = []
        var bNames: [String] = []
        for round in 1...syncs {
            // New changes on B every round, so that each sync pushes into A while A is written.
            for index in 1...3 {
                let name = "同步\(round)-\(index)"
                addMember(name, ["--tag", "来自王"], store: b)
                bNames.append(name)
            }
            let started = Date()
            syncOutputs.append(runQun(["sync", server.url, "--json"], store: b))
            syncTimes.append(started...Date())
            // Spread the syncs over the writer's run.
            eventually(timeout: 10) { writes.count >= round * adds / syncs }
        }
        XCTAssertEqual(writerDone.wait(timeout: .now() + 120), .success, "the writer finished")
        let added = writes.all
        let overlapping = syncTimes.filter { sync in added.contains { $0.during.overlaps(sync) } }.count
        XCTAssertGreaterThanOrEqual(overlapping, 3, "the CLI wrote while syncs ran")

        func checkNoLockErrors(_ output: QunOutput, _ what: String) {
            XCTAssertEqual(output.status, 0, "\(what) failed: \(output.stderr)")
            for word in ["locked", "busy"] {
                XCTAssertFalse(output.stderr.localizedCaseInsensitiveContains(word), "\(what): \(output.stderr)")
                XCTAssertFalse(output.stdout.localizedCaseInsensitiveContains(word), "\(what): \(output.stdout)")
            }
        }
        XCTAssertEqual(added.count, adds)
        for (index, output, _) in added { checkNoLockErrors(output, "member add #\(index)") }
        var sent = 0
        for (round, output) in syncOutputs.enumerated() {
            checkNoLockErrors(output, "sync #\(round + 1)")
            let report = jsonObject(output.stdout) ?? [:]
            sent += report["sent"].flatMap(intValue) ?? 0
        }
        XCTAssertGreaterThan(sent, 0)

        // A final sync settles what was written during the last one.
        sync(b, with: server.url)
        let exported = export(a)
        XCTAssertEqual(export(b), exported)
        let names = Set(exportedMembers(exported).values.compactMap { stringField($0, "name") })
        XCTAssertEqual(names, Set((1...adds).map { "写入\($0)" } + bNames))
        let again = sync(b, with: server.url)
        XCTAssertEqual(again["sent"].flatMap(intValue), 0, "\(again)")
        XCTAssertEqual(again["received"].flatMap(intValue), 0, "\(again)")

        XCTAssertEqual(server.child.stop(), 0, server.child.stderr)
        for word in ["locked", "busy"] {
            XCTAssertFalse(server.child.stderr.localizedCaseInsensitiveContains(word), "qun serve: \(server.child.stderr)")
        }
        XCTAssertEqual(integrityCheck(a), "ok")
        XCTAssertEqual(integrityCheck(b), "ok")
    }
}
