import Foundation
import XCTest
import QunCore
import QunTestSupport

/// Randomized convergence: four replicas edit concurrently the way real replicas do (each from
/// its own current state, with its own clock and seq counter), sync random partial subsets
/// with each other in shuffled order with duplicates, and in the end, after everyone has got
/// everything, must print byte-identical exports and equal version vectors.
///
/// Every failure message carries the seed. Replay one with
/// `QUN_SEED=<seed> swift test --filter ConvergencePropertyTests`.
final class ConvergencePropertyTests: XCTestCase {
    static let fixedSeeds: [UInt64] = [1, 2, 0xC0FFEE, 0x5EED_0004, 20_251_123]
    static let replicaCount = 4
    static let operationsPerSeed = 1_200

    func testConvergenceForFixedSeeds() {
        for seed in Self.fixedSeeds {
            var scenario = ConvergenceScenario(seed: seed)
            scenario.run()
        }
    }

    func testConvergenceForSeedFromEnvironment() throws {
        guard let text = ProcessInfo.processInfo.environment["QUN_SEED"] else {
            throw XCTSkip("set QUN_SEED to replay a seed")
        }
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let parsed = trimmed.hasPrefix("0x") ? UInt64(trimmed.dropFirst(2), radix: 16) : UInt64(trimmed)
        guard let seed = parsed else {
            return XCTFail("QUN_SEED=\(text) is not a decimal or 0x-hex UInt64")
        }
        var scenario = ConvergenceScenario(seed: seed)
        scenario.run()
    }
}

/// One randomized run.
private struct ConvergenceScenario {
    let seed: UInt64
    var rng: SplitMix64
    var replicas: [SimulatedReplica]
    /// Every change made by any replica, in the order made.
    var made: [Change] = []
    var counts: [String: Int] = [:]
    var globalTime: Int64 = 1_700_000_000_000
    /// Per replica, how far its wall clock is off.
    var offsets: [Int64] = [0, 0, -2_000, 30_000]

    static let collections = ["members", "members", "tasks", "events", "x-polls"]
    static let scalarFields = ["name", "city", "role", "phone", "note", "x-future"]
    static let setFields = ["tags", "attendance"]
    static let texts = ["张三", "李四", "王五", "杭州", "上海", "成都", "", "O'Brien", "line\nbreak", "say \"hi\"",
                        "🌙 night owl", "\u{1}ctl", "e\u{301}", "\u{E9}", "back\\slash"]
    // Includes pairs that Swift's `String ==` considers equal but whose bytes differ.
    static let elements = ["vip", "新人", "core", "志愿者", "🌙", "", "night owl", "VIP",
                           "caf\u{E9}", "cafe\u{301}", "K", "\u{212A}"]
    static let logTexts = ["called", "电话回访：暂无回应", "sent invite", "", "called"]

    init(seed: UInt64) {
        self.seed = seed
        rng = SplitMix64(seed: seed)
        let ids = (0..<ConvergencePropertyTests.replicaCount).map { index in
            ReplicaID(high: UInt64(index + 1) << 56 | 0xABCD, low: seed)
        }
        replicas = ids.map { SimulatedReplica($0) }
    }

    mutating func run() {
        var operations = 0
        var step = 0
        while operations < ConvergencePropertyTests.operationsPerSeed {
            step += 1
            advanceClocks()
            if rng.chance(1, in: 4) {
                guard partialSync(step: step) else { return }
            } else {
                operate()
                operations += 1
            }
        }
        finalSyncAndCompare()
    }

    // MARK: Clocks

    mutating func advanceClocks() {
        // Often 0: several events in one millisecond, so that stamps of different replicas tie.
        if rng.chance(1, in: 3) { globalTime += Int64(rng.int(in: 1...3)) }
        if rng.chance(1, in: 200) {
            // Some replica's clock is stepped back (NTP correction) or jumps forward.
            let index = rng.below(replicas.count)
            offsets[index] += rng.chance(1, in: 2) ? -Int64(rng.int(in: 1...60_000)) : Int64(rng.int(in: 1...5_000))
        }
        for index in replicas.indices { replicas[index].wallClock = globalTime + offsets[index] }
    }

    // MARK: Operations, made from the acting replica's own state

    mutating func operate() {
        let index = rng.below(replicas.count)
        var replica = replicas[index]
        defer { replicas[index] = replica }
        let records = replica.document.records.sorted { $0.key < $1.key }
        let live = records.filter { !$0.value.isDeleted }.map(\.key)
        let deleted = records.filter { $0.value.isDeleted }.map(\.key)

        let roll = rng.below(100)
        if live.isEmpty || roll < 8 {
            let collection = rng.pick(Self.collections)
            let id = ReplicaID(high: rng.next(), low: rng.next()).hex
            for field in Self.scalarFields.prefix(rng.int(in: 2...5)) {
                record(replica.set(collection, id, field, randomValue()), "create")
            }
            if rng.chance(1, in: 2) { record(replica.add(collection, id, "tags", rng.pick(Self.elements)), "create") }
            return
        }
        // Half the edits go to a few hot records, so that concurrent edits really conflict.
        let key = rng.chance(1, in: 2) ? rng.pick(Array(live.prefix(3))) : rng.pick(live)
        switch roll {
        case 8..<35:
            record(replica.set(key.collection, key.id, rng.pick(Self.scalarFields), randomValue()), "set")
        case 35..<50:
            record(replica.add(key.collection, key.id, rng.pick(Self.setFields), rng.pick(Self.elements)), "add")
        case 50..<62:
            let field = rng.pick(Self.setFields)
            let present = replica.document.record(key.collection, key.id)?.elements(field) ?? []
            if present.isEmpty {
                record(replica.add(key.collection, key.id, field, rng.pick(Self.elements)), "add")
            } else {
                let change = replica.remove(key.collection, key.id, field, rng.pick(present))
                guard case .remove(_, let observed) = change.operation, !observed.isEmpty else {
                    return XCTFail("seed \(seed): remove of a present element observed nothing: \(change)")
                }
                record(change, "remove")
            }
        case 62..<72:
            record(replica.append(key.collection, key.id, "log", rng.pick(Self.logTexts)), "append")
        case 72..<79:
            record(replica.delete(key.collection, key.id), "delete")
        case 79..<87:
            if deleted.isEmpty {
                record(replica.set(key.collection, key.id, "name", randomValue()), "set")
            } else {
                let target = rng.pick(deleted)
                let change = replica.restore(target.collection, target.id)
                record(change, "restore")
                if replica.document.record(target.collection, target.id)?.isDeleted != false {
                    XCTFail("seed \(seed): a restore naming every live token left \(target.id) deleted")
                }
            }
        case 87..<90:
            let payload = rng.bytes(rng.below(6))
            record(replica.make(key.collection, key.id, rng.pick(Self.scalarFields), .unknown(code: 42, payload: payload)), "unknown")
        default:
            // A remove that observed nothing, as from a replica that never saw the add.
            let field = rng.pick(Self.setFields)
            record(replica.make(key.collection, key.id, field, .remove(rng.pick(Self.elements), observed: [])), "blind remove")
        }
    }

    mutating func record(_ change: Change, _ kind: String) {
        made.append(change)
        counts[kind, default: 0] += 1
    }

    mutating func randomValue() -> Value {
        switch rng.below(20) {
        case 0: return .null
        case 1, 2: return .int(Int64(bitPattern: rng.next()))
        case 3, 4: return .int(Int64(rng.below(100)))
        case 5: return .real(Double(rng.below(10_000)) / 8)
        default: return .text(rng.pick(Self.texts))
        }
    }

    // MARK: Sync

    /// Delivers a random subset of one replica's changes to another, shuffled, with
    /// duplicates. Returns false after reporting a failure.
    mutating func partialSync(step: Int) -> Bool {
        let from = rng.below(replicas.count)
        var to = rng.below(replicas.count - 1)
        if to >= from { to += 1 }
        let source = replicas[from]
        let lacking = source.held.filter { !replicas[to].document.seen.contains($0.id) }
        var delivery = rng.subsetWithDuplicates(lacking, percent: rng.pick([10, 40, 70, 100]), duplicatePercent: 15)
        // Some changes the receiver already has, as after a torn sync.
        for _ in 0..<rng.below(4) where !source.held.isEmpty { delivery.append(rng.pick(source.held)) }
        rng.shuffle(&delivery)
        replicas[to].receive(delivery)
        counts["sync", default: 0] += 1

        let receiver = replicas[to]
        guard receiver.document.vector[receiver.id] == receiver.seq else {
            XCTFail("seed \(seed) step \(step): replica \(to) vector \(receiver.document.vector) lost its own seq \(receiver.seq)")
            return false
        }
        // Two replicas that hold the same changes already agree.
        if receiver.document.seen.count == source.document.seen.count, receiver.document.seen == source.document.seen {
            counts["equal-set check", default: 0] += 1
            let a = receiver.document.export().compact, b = source.document.export().compact
            guard sameBytes(a, b) else {
                XCTFail("seed \(seed) step \(step): replicas \(to) and \(from) hold the same changes but export differently: \(Self.difference(a, b))")
                return false
            }
        }
        return true
    }

    mutating func finalSyncAndCompare() {
        let expectedVector = VersionVector(Dictionary(uniqueKeysWithValues: replicas.map { ($0.id, $0.seq) }))
        XCTAssertEqual(made.count, replicas.map(\.seq).reduce(0, +).asInt, "seed \(seed)")

        for index in replicas.indices {
            var delivery = made
            for _ in 0..<(made.count / 5) { delivery.append(rng.pick(made)) }
            rng.shuffle(&delivery)
            replicas[index].receive(delivery)
        }

        let reference = replicas[0].document.export().compact
        for (index, replica) in replicas.enumerated() {
            let export = replica.document.export().compact
            if !sameBytes(export, reference) {
                XCTFail("seed \(seed): replica \(index) export differs from replica 0: \(Self.difference(export, reference))")
            }
            if replica.document.vector != expectedVector {
                XCTFail("seed \(seed): replica \(index) vector \(replica.document.vector) != \(expectedVector)")
            }
            if replica.held.count != made.count {
                XCTFail("seed \(seed): replica \(index) holds \(replica.held.count) of \(made.count) changes")
            }
        }

        // A fresh document fed everything in reverse order.
        let reversed = document(made.reversed())
        let reversedExport = reversed.export().compact
        if !sameBytes(reversedExport, reference) {
            XCTFail("seed \(seed): reverse-order export differs: \(Self.difference(reversedExport, reference))")
        }
        XCTAssertEqual(reversed.vector, expectedVector, "seed \(seed)")

        // And through the wire format, in yet another order.
        do {
            let decoded = try ChangeBatch.decode(ChangeBatch.encode(rng.shuffled(made)))
            let wireExport = document(decoded).export().compact
            if !sameBytes(wireExport, reference) {
                XCTFail("seed \(seed): export after a ChangeBatch round trip differs: \(Self.difference(wireExport, reference))")
            }
        } catch {
            XCTFail("seed \(seed): ChangeBatch round trip failed: \(error)")
        }

        // The run must have exercised every kind of edit, and must not have ended empty.
        for kind in ["create", "set", "add", "remove", "append", "delete", "restore", "unknown", "blind remove", "sync"] {
            XCTAssertGreaterThan(counts[kind, default: 0], 0, "seed \(seed): no \(kind) in \(counts)")
        }
        XCTAssertGreaterThan(made.count, ConvergencePropertyTests.operationsPerSeed, "seed \(seed)")
        let finalRecords = replicas[0].document.records.values
        XCTAssertTrue(finalRecords.contains { !$0.isDeleted }, "seed \(seed): no live record at the end")
        XCTAssertTrue(finalRecords.contains { $0.isDeleted }, "seed \(seed): no deleted record at the end")
    }

    /// Where two exports first differ, with some context.
    static func difference(_ a: String, _ b: String) -> String {
        let left = Array(a.utf8), right = Array(b.utf8)
        let common = zip(left, right).prefix { $0 == $1 }.count
        func around(_ bytes: [UInt8]) -> String {
            let start = max(0, common - 80)
            return String(decoding: bytes[start..<min(bytes.count, common + 160)], as: UTF8.self)
        }
        return "first difference at byte \(common) of \(left.count)/\(right.count):\n  …\(around(left))\n  …\(around(right))"
    }
}

private extension Int64 {
    var asInt: Int { Int(self) }
}
