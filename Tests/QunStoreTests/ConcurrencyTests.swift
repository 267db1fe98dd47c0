import Foundation
import QunCore
import QunStore
import XCTest

/// Collects errors from worker threads.
private final class ErrorBox: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [String] = []
    func add(_ error: Error, _ context: String) {
        lock.lock(); items.append("\(context): \(error)"); lock.unlock()
    }
    var all: [String] { lock.lock(); defer { lock.unlock() }; return items }
}

final class ConcurrencyTests: StoreTestCase {
    /// Checks that the store's own seqs run 1...N without gaps and the vector says N.
    private func assertOwnSeqsContiguous(_ store: Store, file: StaticString = #filePath, line: UInt = #line) throws {
        let own = store.identity.replica
        let seqs = try store.changes().filter { $0.id.replica == own }.map(\.id.seq)
        XCTAssertEqual(seqs, Array(1...Int64(seqs.count)), "own seqs have a gap or a duplicate", file: file, line: line)
        XCTAssertEqual(try store.versionVector()[own], Int64(seqs.count), file: file, line: line)
    }

    func testTwoProcessesAddingMembersConcurrently() throws {
        let first = try makeStore()
        let second = try Store.open(at: first.directory)  // a second pool, like a second process
        XCTAssertEqual(second.identity, first.identity)
        let stores = [first, second]
        let perStore = 200
        let errors = ErrorBox()
        DispatchQueue.concurrentPerform(iterations: 2) { worker in
            let store = stores[worker]
            for index in 0..<perStore {
                do {
                    var draft = MemberDraft(name: "成员\(worker)-\(index)")
                    draft.tags = ["w\(worker)"]
                    _ = try store.addMember(draft)
                } catch {
                    errors.add(error, "worker \(worker) add \(index)")
                    return
                }
            }
        }
        XCTAssertEqual(errors.all, [])

        for store in stores {
            let members = try store.members()
            XCTAssertEqual(members.count, 2 * perStore)
            let numbers = members.compactMap(\.number)
            XCTAssertEqual(numbers.count, 2 * perStore)
            XCTAssertEqual(Set(numbers).count, numbers.count, "member numbers must be unique")
            let prefix = store.identity.replica.numberPrefix
            XCTAssertEqual(Set(numbers), Set((1...2 * perStore).map { "\(prefix)-\($0)" }))
            try assertOwnSeqsContiguous(store)
        }
        XCTAssertEqual(try first.exportText(), try second.exportText())
        var filter = MemberFilter()
        filter.withTags = ["w1"]
        XCTAssertEqual(try first.members(filter).count, perStore)
    }

    func testLocalWritesReadsAndRemoteAppliesConcurrently() throws {
        // One store is the "server" receiving batches from a peer while the operator edits and
        // lists members through a second connection pool.
        let team = Store.Team.random()
        let server = try makeStore(name: "server", team: team)
        let cli = try Store.open(at: server.directory)
        let peer = try makeStore(name: "peer", team: team)
        let shared = try server.add("共享成员")
        try push(server, peer)

        var batches: [[Change]] = []
        for round in 0..<20 {
            let vector = try peer.versionVector()
            try peer.add("远程\(round)") { $0.tags = ["remote"] }
            try peer.edit(shared.id, [.notes: "round \(round)"], tag: ["r\(round)"])
            batches.append(try peer.changes(since: vector))
        }
        let errors = ErrorBox()
        let allBatches = batches
        DispatchQueue.concurrentPerform(iterations: 3) { worker in
            do {
                switch worker {
                case 0:
                    for batch in allBatches { try server.apply(batch) }
                case 1:
                    for index in 0..<60 {
                        try cli.add("本地\(index)")
                        if index % 3 == 0 { try cli.edit(shared.id, [.city: "城市\(index)"]) }
                    }
                default:
                    for _ in 0..<60 {
                        _ = try cli.members()
                        _ = try server.versionVector()
                        _ = try server.export()
                    }
                }
            } catch {
                errors.add(error, "worker \(worker)")
            }
        }
        XCTAssertEqual(errors.all, [])
        try assertOwnSeqsContiguous(server)
        XCTAssertEqual(try server.members().count, 1 + 20 + 60)
        try exchange(server, peer)
        XCTAssertEqual(try server.exportText(), try peer.exportText())
        XCTAssertEqual(try peer.member(shared.id).city, "城市57")
        XCTAssertEqual(try peer.member(shared.id).notes, "round 19")
        // The server's own view agrees with a document replaying its log.
        let log = try server.changes()
        XCTAssertEqual(document(of: log).export().compact, try server.exportText())
    }
}
