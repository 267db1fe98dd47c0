import Foundation
import GRDB
import QunCore
@testable import QunStore
import QunTestSupport
import XCTest
import QunStoreTestSupport

/// The store's two ways of applying the merge rules — records first seen in a batch folded in
/// memory by `RecordState`, existing records updated row by row in SQL (`MergeRules`) — must
/// leave exactly the rows the reference `RecordState` implies, whatever order and batching
/// the changes come in.
///
/// Random changes from several replicas (register writes with tied clocks, set adds and
/// removes with observed tags, log appends and their removal, deletes and restores with
/// observed tokens) are delivered shuffled, partly duplicated, partly lost, in random
/// batches, so that removes and restores often arrive before what they observe, in both
/// paths. The test compares rows, not exports: `field_value` and `set_tag` (normalised to
/// collection, record id, field, replica, seq, element, time, kind, removed) and the deleted
/// flag of each record.
///
/// Every failure message carries the seed. Replay one with
/// `QUN_SEED=<seed> swift test --filter MergePathsPropertyTests`.
final class MergePathsPropertyTests: StoreTestCase {
    static let fixedSeeds: [UInt64] = [1, 2, 0x5EED, 20_240_301, 0xDEAD_BEEF, 0xC0FFEE, 77, 4_242]
    static let changesPerSeed = 220

    func testBothApplyPathsWriteTheRowsOfTheReferenceState() throws {
        var seeds = testSeeds(Self.fixedSeeds)
        if seeds == Self.fixedSeeds { seeds.append(UInt64.random(in: 0...UInt64.max)) }
        var coverage = Coverage()
        for seed in seeds {
            var run = MergePathsRun(seed: seed)
            do {
                let store = try makeStore()
                try run.execute(changes: Self.changesPerSeed, on: store)
                coverage.add(run.coverage)
            } catch {
                XCTFail("seed \(seed) (replay: QUN_SEED=\(seed)): unexpected error \(error)")
            }
        }
        // The fixed seeds must reach every case this test is about, in both paths.
        if seeds.count > 1 {
            XCTAssertGreaterThan(coverage.restoreBeforeDeleteInMemory, 0, "no restore arrived before its delete in a new record")
            XCTAssertGreaterThan(coverage.restoreBeforeDeleteInSQL, 0, "no restore arrived before its delete in an existing record")
            XCTAssertGreaterThan(coverage.removeBeforeAddInMemory, 0, "no remove arrived before its add in a new record")
            XCTAssertGreaterThan(coverage.removeBeforeAddInSQL, 0, "no remove arrived before its add in an existing record")
        }
    }
}

/// How often a run hit the orders the test is about.
private struct Coverage {
    var restoreBeforeDeleteInMemory = 0
    var restoreBeforeDeleteInSQL = 0
    var removeBeforeAddInMemory = 0
    var removeBeforeAddInSQL = 0

    mutating func add(_ other: Coverage) {
        restoreBeforeDeleteInMemory += other.restoreBeforeDeleteInMemory
        restoreBeforeDeleteInSQL += other.restoreBeforeDeleteInSQL
        removeBeforeAddInMemory += other.removeBeforeAddInMemory
        removeBeforeAddInSQL += other.removeBeforeAddInSQL
    }
}

/// One `set_tag` row, by names rather than store-local row numbers.
private struct TagRow: Hashable, Comparable, CustomStringConvertible {
    var collection: String
    var record: String
    var field: String
    var replica: String
    var seq: Int64
    var element: String
    var hlc: Int64
    var kind: Int64
    var removed: Bool

    static func < (a: TagRow, b: TagRow) -> Bool { a.description < b.description }

    var description: String {
        "\(collection)/\(record) field '\(field)' tag \(replica.prefix(6)):\(seq) element '\(element)' hlc \(hlc) kind \(kind) removed \(removed)"
    }
}

/// One `field_value` row, by names.
private struct RegisterRow: Hashable, Comparable, CustomStringConvertible {
    var collection: String
    var record: String
    var field: String
    var value: Value
    var hlc: Int64
    var replica: String

    static func < (a: RegisterRow, b: RegisterRow) -> Bool { a.description < b.description }

    var description: String { "\(collection)/\(record) field '\(field)' = \(value) at \(hlc) by \(replica.prefix(6))" }
}

private struct RecordKey: Hashable {
    var collection: String
    var record: String
}

private struct MergePathsRun {
    let seed: UInt64
    var rng: SplitMix64
    var coverage = Coverage()

    static let collections = ["probe", String.memberCollection]
    static let registerFields = ["city", "notes", "x"]
    static let elements = ["读书会", "x", "y", "caf\u{E9}", "cafe\u{301}"]
    static let texts = ["聊了活动", "called", "", "复盘"]

    init(seed: UInt64) {
        self.seed = seed
        rng = SplitMix64(seed: seed)
    }

    func fail(_ message: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTFail("seed \(seed) (replay: QUN_SEED=\(seed)): \(message)", file: file, line: line)
    }

    /// A script of changes as honest replicas would make them: removes and restores observe
    /// tags made earlier in the script (by any replica), not necessarily all of them.
    mutating func script(count: Int) -> [Change] {
        let replicas = (0..<3).map { _ in ReplicaID(high: rng.next(), low: rng.next()) }
        var seqs = [Int64](repeating: 0, count: replicas.count)
        var clocks = [HLC](repeating: .zero, count: replicas.count)
        let records = (0..<4).map { _ in
            RecordKey(collection: rng.pick(Self.collections), record: String(rng.next(), radix: 16) + String(rng.next(), radix: 16))
        }
        // An hour ago, so that no change is held back as stamped in the future; few distinct
        // milliseconds, so that register writes tie on time and the replica id decides.
        let base = Store.systemClock() - 3_600_000
        var adds: [RecordKey: [(id: ChangeID, element: String)]] = [:]
        var appends: [RecordKey: [(id: ChangeID, text: String)]] = [:]
        var deletes: [RecordKey: [ChangeID]] = [:]
        var changes: [Change] = []
        while changes.count < count {
            let author = rng.below(replicas.count)
            let key = rng.pick(records)
            let milliseconds = base + Int64(changes.count / 4 + rng.below(3))
            func next(_ field: String, _ operation: QunCore.Operation) -> Change {
                seqs[author] += 1
                // A replica's clock only moves forward (two of its changes never share a
                // stamp); other replicas' changes may have the same time.
                clocks[author] = max(HLC(milliseconds: milliseconds, counter: rng.below(2)), HLC(rawValue: clocks[author].rawValue + 1))
                return Change(id: ChangeID(replica: replicas[author], seq: seqs[author]),
                              hlc: clocks[author],
                              collection: key.collection, record: key.record, field: field, operation: operation)
            }
            switch rng.below(100) {
            case 0..<30:
                let value: Value = rng.pick([.text(rng.pick(Self.texts)), .int(Int64(rng.below(5))), .null, .real(0.5)])
                changes.append(next(rng.pick(Self.registerFields), .set(value)))
            case 30..<50:
                let change = next(Member.tagsField, .add(rng.pick(Self.elements)))
                if case .add(let element) = change.operation { adds[key, default: []].append((change.id, element)) }
                changes.append(change)
            case 50..<62:
                let element = rng.pick(Self.elements)
                let candidates = (adds[key] ?? []).filter { $0.element.utf8.elementsEqual(element.utf8) }
                let observed = candidates.filter { _ in rng.chance(70) }.map(\.id)
                if !observed.isEmpty { changes.append(next(Member.tagsField, .remove(element, observed: observed))) }
            case 62..<74:
                let change = next(Member.logField, .append(rng.pick(Self.texts)))
                if case .append(let text) = change.operation { appends[key, default: []].append((change.id, text)) }
                changes.append(change)
            case 74..<79:
                // An undone append: a remove of that one log entry.
                if let entry = (appends[key] ?? []).isEmpty ? nil : rng.pick(appends[key]!) {
                    changes.append(next(Member.logField, .remove(entry.text, observed: [entry.id])))
                }
            case 79..<89:
                let change = next("", .delete)
                deletes[key, default: []].append(change.id)
                changes.append(change)
            default:
                let observed = (deletes[key] ?? []).filter { _ in rng.chance(75) }
                if !observed.isEmpty { changes.append(next("", .restore(observed: observed))) }
            }
        }
        return changes
    }

    mutating func execute(changes count: Int, on store: Store) throws {
        let script = script(count: count)
        // Lose a few (so some observed tags never arrive), deliver some twice, shuffle.
        let delivered = rng.subsetWithDuplicates(script, percent: 92, duplicatePercent: 10)
        var reference: [RecordKey: RecordState] = [:]
        var arrived: Set<ChangeID> = []
        var existing: Set<RecordKey> = []
        var index = 0
        while index < delivered.count {
            let size = min(delivered.count - index, 1 + rng.below(rng.chance(30) ? 60 : 12))
            let batch = Array(delivered[index..<(index + size)])
            index += size
            var inBatch: Set<RecordKey> = []
            for change in batch {
                let key = RecordKey(collection: change.collection, record: change.record)
                let isNew = !existing.contains(key)
                inBatch.insert(key)
                switch change.operation {
                case .restore(let observed) where observed.contains(where: { !arrived.contains($0) }):
                    if isNew { coverage.restoreBeforeDeleteInMemory += 1 } else { coverage.restoreBeforeDeleteInSQL += 1 }
                case .remove(_, let observed) where observed.contains(where: { !arrived.contains($0) }):
                    if isNew { coverage.removeBeforeAddInMemory += 1 } else { coverage.removeBeforeAddInSQL += 1 }
                default:
                    break
                }
                arrived.insert(change.id)
                reference[key, default: RecordState(collection: change.collection)].apply(change)
            }
            try store.apply(batch)
            existing.formUnion(inBatch)
            if rng.chance(25) || index >= delivered.count {
                try compare(store, reference, after: index, of: delivered.count)
            }
        }
    }

    /// The rows `reference` implies against the rows in the store.
    func compare(_ store: Store, _ reference: [RecordKey: RecordState], after delivered: Int, of total: Int) throws {
        var expectedTags: [TagRow] = []
        var expectedRegisters: [RegisterRow] = []
        var expectedDeleted: [RecordKey: Bool] = [:]
        for (key, state) in reference {
            expectedDeleted[key] = state.isDeleted
            for (field, register) in state.registers {
                expectedRegisters.append(RegisterRow(
                    collection: key.collection, record: key.record, field: field, value: register.value,
                    hlc: register.stamp.hlc.rawValue, replica: register.stamp.replica.hex))
            }
            var tags = state.tags
            tags[""] = state.deleteTokens
            for (field, byID) in tags {
                for (id, tag) in byID {
                    expectedTags.append(TagRow(
                        collection: key.collection, record: key.record, field: field, replica: id.replica.hex, seq: id.seq,
                        element: tag.element, hlc: tag.hlc.rawValue, kind: tag.kind.rawValue, removed: tag.removed))
                }
            }
        }
        let collections = Set(Self.collections)
        let (storedTags, storedRegisters, storedDeleted) = try store.database.read { db in
            let tags = try Row.fetchAll(db, sql: """
                SELECT c.text, r.uid, f.text, p.id, t.seq, t.element, t.hlc, t.kind, t.removed FROM set_tag t
                JOIN record r ON r.rowid = t.record JOIN name c ON c.rowid = r.collection
                JOIN name f ON f.rowid = t.field JOIN replica p ON p.rowid = t.replica
                """).map { row in
                TagRow(collection: row[0], record: row[1], field: row[2], replica: ReplicaID(bytes: [UInt8](row[3] as Data))!.hex,
                       seq: row[4], element: row[5], hlc: row[6], kind: row[7], removed: row[8])
            }.filter { collections.contains($0.collection) }
            let registers = try Row.fetchAll(db, sql: """
                SELECT c.text, r.uid, f.text, v.value, v.hlc, v.replica_id FROM field_value v
                JOIN record r ON r.rowid = v.record JOIN name c ON c.rowid = r.collection JOIN name f ON f.rowid = v.field
                """).map { row in
                RegisterRow(collection: row[0], record: row[1], field: row[2], value: Value(databaseValue: row[3]),
                            hlc: row[4], replica: ReplicaID(bytes: [UInt8](row[5] as Data))!.hex)
            }.filter { collections.contains($0.collection) }
            var deleted: [RecordKey: Bool] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT c.text, r.uid, r.deleted FROM record r JOIN name c ON c.rowid = r.collection") {
                let key = RecordKey(collection: row[0], record: row[1])
                if collections.contains(key.collection) { deleted[key] = row[2] }
            }
            return (tags, registers, deleted)
        }
        let at = "after \(delivered) of \(total) delivered changes"
        report("set_tag", expected: expectedTags, stored: storedTags, at: at)
        report("field_value", expected: expectedRegisters, stored: storedRegisters, at: at)
        if storedDeleted != expectedDeleted {
            let wrong = expectedDeleted.filter { storedDeleted[$0.key] != $0.value }.map { "\($0.key.record.prefix(8)): expected deleted \($0.value)" }
            fail("\(at): deleted flags differ: \(wrong.sorted().joined(separator: "; ")), records \(storedDeleted.count) vs \(expectedDeleted.count)")
        }
    }

    func report<Row: Hashable & Comparable & CustomStringConvertible>(_ table: String, expected: [Row], stored: [Row], at: String) {
        let missing = Set(expected).subtracting(stored).sorted()
        let extra = Set(stored).subtracting(expected).sorted()
        guard !missing.isEmpty || !extra.isEmpty || expected.count != stored.count else { return }
        fail("""
            \(at): \(table) rows differ from the reference state (\(stored.count) stored, \(expected.count) expected)
              missing: \(missing.prefix(4).map(\.description).joined(separator: "\n           "))
              extra:   \(extra.prefix(4).map(\.description).joined(separator: "\n           "))
            """)
    }
}
