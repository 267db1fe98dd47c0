import Foundation
import QunCore
import QunStore
import XCTest
import QunTestSupport

/// Four laptops of a founded team (the founder and three it added) write roster operations —
/// adds of new laptops, role changes, revocations, locks, key epochs, claims and bogus
/// `found`s of strangers — each knowing only the operations it has received so far, so that
/// many of them are concurrent. Then observers receive the operations in random orders, with
/// duplicates, in random batches and random partial subsets, and the pure fold must give:
///
/// - the same `Roster` to any two observers that hold the same set of operations;
/// - the same `Roster` for the full set and for any shuffle of it;
/// - rosters that keep the rules' invariants (an add counts only by an admin at its stamp, no
///   role change after a removal, no claim after the lock in a founded team).
///
/// Every failure message carries the seed. Replay one with
/// `QUN_SEED=<seed> swift test --filter RosterPropertyTests`.
/// (Keys and replica ids come from the system RNG, so a replay follows the same script of
/// operations but not necessarily the same tie-breaks between replica ids.)
final class RosterPropertyTests: XCTestCase {
    static let fixedSeeds: [UInt64] = (1...196).map { UInt64($0) } + [7, 0x7A5C, 20_261_123, 0xC0FFEE]
    static let stepsPerSeed = 36

    func testFoldDependsOnlyOnTheSetOfOperations() {
        var totals = RosterRun.Stats()
        for seed in testSeeds(Self.fixedSeeds) {
            var run = RosterRun(seed: seed)
            run.simulate(steps: Self.stepsPerSeed)
            run.check()
            totals.add(run.stats)
        }
        // The script must reach the interesting cases, or the checks above prove little.
        if ProcessInfo.processInfo.environment["QUN_SEED"] == nil {
            XCTAssertGreaterThan(totals.removed, 0, "\(totals)")
            XCTAssertGreaterThan(totals.mutualRemovals, 0, "\(totals)")
            XCTAssertGreaterThan(totals.voidedRevokes, 0, "\(totals)")
            XCTAssertGreaterThan(totals.voidedAfterRemoval, 0, "\(totals)")
            XCTAssertGreaterThan(totals.locked, 0, "\(totals)")
            XCTAssertGreaterThan(totals.observerPairs, 0, "\(totals)")
        }
    }
}

private struct RosterRun {
    struct Stats: CustomStringConvertible {
        var removed = 0
        var mutualRemovals = 0
        var voidedRevokes = 0
        var voidedAfterRemoval = 0
        var locked = 0
        var observerPairs = 0

        mutating func add(_ other: Stats) {
            removed += other.removed
            mutualRemovals += other.mutualRemovals
            voidedRevokes += other.voidedRevokes
            voidedAfterRemoval += other.voidedAfterRemoval
            locked += other.locked
            observerPairs += other.observerPairs
        }

        var description: String {
            "removed \(removed), mutual \(mutualRemovals), voided revokes \(voidedRevokes), "
                + "voided after removal \(voidedAfterRemoval), locked \(locked), observer pairs \(observerPairs)"
        }
    }

    /// A laptop that writes roster operations, and what it has received.
    struct Writer {
        var laptop: RosterLaptop
        var clock = HLC.zero
        /// Wall-clock offset of this laptop, in milliseconds.
        var skew: Int64
        /// Prefix-closed per replica: what a version vector can describe.
        var known: [ChangeID: LoggedRosterOp] = [:]

        var vector: [ReplicaID: Int64] {
            var vector: [ReplicaID: Int64] = [:]
            for id in known.keys { vector[id.replica] = max(vector[id.replica] ?? 0, id.seq) }
            return vector
        }
    }

    let seed: UInt64
    var rng: SplitMix64
    let team: ReplicaID
    var writers: [Writer] = []
    /// Every laptop an operation names, so that targets can be picked (known or not).
    var laptops: [RosterLaptop] = []
    var wall: Int64 = 1_709_251_200_000
    var stats = Stats()
    var step = 0

    init(seed: UInt64) {
        self.seed = seed
        rng = SplitMix64(seed: seed)
        var founder = RosterLaptop("林")
        team = founder.foundedTeam
        var first = Writer(laptop: founder, skew: 0)
        var initial: [LoggedRosterOp] = []
        first.clock = HLC.next(after: first.clock, now: wall)
        initial.append(founder.log(founder.entering(.found), at: first.clock.milliseconds, counter: first.clock.counter))
        var others: [Writer] = []
        for (index, name) in ["王芳", "陈可", "小周"].prefix(rng.int(in: 2...3)).enumerated() {
            let laptop = RosterLaptop(name)
            first.clock = HLC.next(after: first.clock, now: wall + Int64(index + 1))
            let role: TeamRole = rng.chance(75) ? .admin : .editor
            initial.append(founder.log(laptop.added(as: role), at: first.clock.milliseconds, counter: first.clock.counter))
            others.append(Writer(laptop: laptop, skew: Int64(rng.int(in: -300...300))))
            laptops.append(laptop)
        }
        first.laptop = founder
        laptops.insert(founder, at: 0)
        writers = [first] + others
        for index in writers.indices {
            for op in initial { writers[index].known[op.id] = op }
            writers[index].clock = HLC.merged(local: writers[index].clock, remote: first.clock)
        }
    }

    func fail(_ message: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTFail("seed \(seed) (replay: QUN_SEED=\(seed)), step \(step): \(message)", file: file, line: line)
    }

    // MARK: Writing

    mutating func simulate(steps: Int) {
        for index in 0..<steps {
            step = index
            wall += Int64(rng.int(in: 1...400))
            let w = rng.below(writers.count)
            let roll = rng.below(100)
            switch roll {
            case 0..<35: receive(w)
            case 35..<50: write(w, .add)
            case 50..<60: write(w, .role)
            case 60..<78: write(w, .revoke)
            case 78..<84: write(w, .lock)
            case 84..<90: write(w, .epoch)
            case 90..<97: stranger(w, .claim)
            default: stranger(w, .found)
            }
        }
    }

    /// `w` receives, for each replica, a random longer prefix of what another writer holds.
    mutating func receive(_ w: Int) {
        let from = writers[rng.below(writers.count)]
        var byReplica: [ReplicaID: [LoggedRosterOp]] = [:]
        for op in from.known.values { byReplica[op.id.replica, default: []].append(op) }
        for replica in byReplica.keys.sorted() {
            let ops = byReplica[replica]!.sorted { $0.id < $1.id }
            for op in ops.prefix(rng.int(in: 0...ops.count)) {
                writers[w].known[op.id] = op
                writers[w].clock = HLC.merged(local: writers[w].clock, remote: op.stamp.hlc)
            }
        }
    }

    mutating func tick(_ w: Int) -> HLC {
        writers[w].clock = HLC.next(after: writers[w].clock, now: wall + writers[w].skew)
        return writers[w].clock
    }

    /// A laptop `w` knows of, mostly one in its roster.
    mutating func target(_ w: Int) -> RosterLaptop {
        let roster = Roster.fold(Array(writers[w].known.values), team: team)
        let known = laptops.filter { roster.entries[$0.replica] != nil }
        if !known.isEmpty && rng.chance(85) { return rng.pick(known) }
        return rng.pick(laptops)
    }

    mutating func write(_ w: Int, _ kind: RosterOp.Kind) {
        var op: RosterOp
        switch kind {
        case .add:
            if rng.chance(80) {
                let fresh = RosterLaptop("新\(laptops.count)")
                laptops.append(fresh)
                op = fresh.added(as: rng.pick(TeamRole.allCases))
            } else {
                op = target(w).added(as: rng.pick(TeamRole.allCases))  // again: void
            }
        case .role:
            op = RosterOps.role(target(w).replica, rng.pick(TeamRole.allCases))
        case .revoke:
            let victim = target(w)
            let vector = writers[w].vector
            op = RosterOps.revoke(victim.replica, vector: vector, seen: vector[victim.replica] ?? 0)
        case .lock:
            op = RosterOps.lock
        default:
            op = RosterOps.epoch(UInt32(rng.int(in: 2...4)))
        }
        if kind != .revoke {
            // Only a revoke must carry it, but the store writes it on every operation.
            op.vector = Dictionary(uniqueKeysWithValues: writers[w].vector.map { ($0.key.hex, $0.value) })
        }
        let stamp = tick(w)
        let logged = writers[w].laptop.log(op, at: stamp.milliseconds, counter: stamp.counter)
        writers[w].known[logged.id] = logged
    }

    /// A laptop outside the team enters itself (a claim, or a `found` whose key is not the
    /// team's), and `w` receives it.
    mutating func stranger(_ w: Int, _ kind: RosterOp.Kind) {
        var laptop = RosterLaptop("客\(laptops.count)")
        let stamp = tick(w)
        let first: Int64? = rng.chance(50) ? Int64(rng.int(in: 0...1_000_000)) : nil
        laptop.seq = Int64(rng.int(in: 0...3))  // some wrote before they had a key
        let logged = laptop.log(laptop.entering(kind, first: first), at: stamp.milliseconds, counter: stamp.counter)
        laptops.append(laptop)
        writers[w].known[logged.id] = logged
    }

    // MARK: Checking

    mutating func check() {
        step = -1
        var all: [ChangeID: LoggedRosterOp] = [:]
        for writer in writers { all.merge(writer.known) { a, _ in a } }
        let ops = all.values.sorted { $0.id < $1.id }
        let full = Roster.fold(ops, team: team)
        checkInvariants(full, of: ops, "full set")
        tally(full, of: ops)

        // (b) The full set, shuffled, with duplicates.
        for round in 0..<3 {
            let delivered = rng.shuffled(ops + rng.subsetWithDuplicates(ops, percent: 30, duplicatePercent: 50))
            let roster = Roster.fold(delivered, team: team)
            if roster != full { fail("shuffle \(round) of the full set (\(ops.count) ops) folds differently:\n\(diff(full, roster))") }
        }

        // Each writer's partial knowledge, folded in another order, gives what it folds to.
        for (index, writer) in writers.enumerated() {
            let known = Array(writer.known.values)
            let mine = Roster.fold(known.sorted { $0.id < $1.id }, team: team)
            checkInvariants(mine, of: known, "writer \(index)")
            let other = Roster.fold(rng.shuffled(known + rng.subsetWithDuplicates(known, percent: 50, duplicatePercent: 50)), team: team)
            if mine != other { fail("writer \(index): two orders of its \(known.count) ops fold differently:\n\(diff(mine, other))") }
        }

        // (a) Pairs of observers holding the same random subset, received differently: one
        // in several batches with duplicates (its log grows batch by batch), one in one go.
        for pair in 0..<6 {
            let subset = ops.filter { _ in rng.chance(pair == 0 ? 100 : rng.int(in: 30...95)) }
            var batched: [LoggedRosterOp] = []
            var remaining = rng.shuffled(subset)
            while !remaining.isEmpty {
                let size = rng.int(in: 1...max(1, remaining.count))
                let batch = Array(remaining.prefix(size))
                remaining.removeFirst(size)
                // A batch may repeat some of what came before.
                batched += batch + rng.subsetWithDuplicates(batched, percent: 20, duplicatePercent: 0)
            }
            let once = rng.shuffled(subset + rng.subsetWithDuplicates(subset, percent: 40, duplicatePercent: 30))
            let a = Roster.fold(batched, team: team)
            let b = Roster.fold(once, team: team)
            checkInvariants(a, of: subset, "observer pair \(pair)")
            if a != b { fail("observers of the same \(subset.count) ops disagree:\n\(diff(a, b))") }
            stats.observerPairs += 1
        }
    }

    /// Rules the fold must keep whatever set it is given.
    func checkInvariants(_ roster: Roster, of ops: [LoggedRosterOp], _ label: String) {
        let ids = Set(ops.map(\.id))
        // A team whose founder entered: claims count only before the lock.
        let founded = roster.entries.values.contains {
            $0.addedBy == nil && LaptopKey.teamID(foundedBy: $0.signingKey) == team.bytes
        }
        for id in roster.voided.keys where !ids.contains(id) { fail("\(label): voided \(id), which it was not given") }
        for entry in roster.entries.values {
            if let by = entry.addedBy, !roster.isAdmin(by, at: entry.addedAt) {
                fail("\(label): \(entry.name) was added by \(by), not an admin at \(entry.addedAt.hlc)")
            }
            if let removal = entry.removal {
                if let late = entry.roles.first(where: { $0.stamp > removal.stamp }) {
                    fail("\(label): \(entry.name) changed role at \(late.stamp.hlc) after its removal at \(removal.stamp.hlc)")
                }
                if entry.addedAt > removal.stamp { fail("\(label): \(entry.name) entered after its removal") }
            }
            if founded, entry.addedBy == nil, let lockedAt = roster.lockedAt, entry.addedAt > lockedAt {
                fail("\(label): \(entry.name) entered itself at \(entry.addedAt.hlc), after the lock at \(lockedAt.hlc)")
            }
        }
        if roster.active.contains(where: { $0.removal != nil }) { fail("\(label): a removed laptop is active") }
    }

    mutating func tally(_ roster: Roster, of ops: [LoggedRosterOp]) {
        let removed = roster.entries.values.filter { $0.removal != nil }
        stats.removed += removed.count
        for entry in removed {
            if let by = roster.entries[entry.removal!.by], by.removal?.by == entry.replica { stats.mutualRemovals += 1 }
        }
        if roster.isLocked { stats.locked += 1 }
        for op in ops {
            guard let reason = roster.voided[op.id] else { continue }
            if op.op.kind == .revoke && reason.contains("it had seen") { stats.voidedRevokes += 1 }
            if let entry = roster.entries[op.id.replica], let removal = entry.removal, op.stamp > removal.stamp,
               op.op.kind != .revoke { stats.voidedAfterRemoval += 1 }
        }
    }

    func diff(_ a: Roster, _ b: Roster) -> String {
        var lines: [String] = []
        for replica in Set(a.entries.keys).union(b.entries.keys).sorted() where a.entries[replica] != b.entries[replica] {
            lines.append("  \(replica.hex.prefix(8)): \(String(describing: a.entries[replica])) vs \(String(describing: b.entries[replica]))")
        }
        if a.lockedAt != b.lockedAt { lines.append("  lockedAt \(String(describing: a.lockedAt)) vs \(String(describing: b.lockedAt))") }
        if a.epochs != b.epochs { lines.append("  epochs \(a.epochs.keys.sorted()) vs \(b.epochs.keys.sorted())") }
        if a.voided != b.voided { lines.append("  voided \(a.voided.count) vs \(b.voided.count)") }
        return lines.joined(separator: "\n")
    }
}
