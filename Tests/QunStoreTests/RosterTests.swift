import Foundation
import QunCore
import QunStore
import QunStoreTestSupport
import XCTest
import QunTestSupport

// MARK: - Helpers shared with RosterPropertyTests

/// A laptop as the pure roster fold sees it: a key pair, a replica id and its own seq.
struct RosterLaptop {
    let name: String
    let key: LaptopKey
    let replica: ReplicaID
    var seq: Int64 = 0

    init(_ name: String, replica: ReplicaID = .random(), key: LaptopKey = .generate()) {
        self.name = name
        self.replica = replica
        self.key = key
    }

    /// The id of the team this laptop's key founds.
    var foundedTeam: ReplicaID { ReplicaID(bytes: LaptopKey.teamID(foundedBy: key.signingPublicKey))! }

    /// This laptop entering itself (`found` or `claim`).
    func entering(_ kind: RosterOp.Kind, first: Int64? = nil) -> RosterOp {
        var op = RosterOp(kind: kind)
        op.replica = replica.hex
        op.name = name
        op.sign = key.signingPublicKey.hexString
        op.agree = key.agreementPublicKey.hexString
        op.first = first
        return op
    }

    /// An admin's `add` of this laptop.
    func added(as role: TeamRole) -> RosterOp {
        var op = entering(.add)
        op.role = role
        return op
    }

    /// The next operation this laptop writes, at `milliseconds` (counter 0 unless given).
    mutating func log(_ op: RosterOp, at milliseconds: Int64, counter: Int = 0, blockFirst: Int64? = nil) -> LoggedRosterOp {
        seq += 1
        return LoggedRosterOp(
            id: ChangeID(replica: replica, seq: seq),
            stamp: Stamp(hlc: HLC(milliseconds: milliseconds, counter: counter), replica: replica),
            op: op, blockFirst: blockFirst ?? seq)
    }
}

enum RosterOps {
    static func role(_ target: ReplicaID, _ role: TeamRole) -> RosterOp {
        var op = RosterOp(kind: .role)
        op.replica = target.hex
        op.role = role
        return op
    }

    /// A revoke of `target` by an author who had seen `vector` (replica → highest seq).
    static func revoke(_ target: ReplicaID, vector: [ReplicaID: Int64], seen: Int64 = 0) -> RosterOp {
        var op = RosterOp(kind: .revoke)
        op.replica = target.hex
        op.seen = seen
        op.vector = Dictionary(uniqueKeysWithValues: vector.map { ($0.key.hex, $0.value) })
        return op
    }

    static func epoch(_ number: UInt32) -> RosterOp {
        var op = RosterOp(kind: .epoch)
        op.epoch = number
        op.grants = []
        return op
    }

    static var lock: RosterOp { RosterOp(kind: .lock) }
}

// MARK: - Rules of the fold

final class RosterTests: StoreTestCase {
    /// A founded team: the founder's `found` at t=1 and its team id.
    private func foundedTeam() -> (founder: RosterLaptop, found: LoggedRosterOp, team: ReplicaID) {
        var founder = RosterLaptop("林")
        let found = founder.log(founder.entering(.found), at: 1)
        return (founder, found, founder.foundedTeam)
    }

    func testFounderWhoseKeyHashesToTheTeamIDIsAdmin() {
        let (founder, found, team) = foundedTeam()
        let roster = Roster.fold([found], team: team)
        let entry = roster.entries[founder.replica]
        XCTAssertEqual(entry?.role, .admin)
        XCTAssertNil(entry?.addedBy)
        XCTAssertEqual(entry?.signingKey, founder.key.signingPublicKey)
        XCTAssertEqual(roster.active.map(\.replica), [founder.replica])
        XCTAssertTrue(roster.voided.isEmpty, "\(roster.voided)")
        XCTAssertTrue(roster.isAdmin(founder.replica, at: Stamp(hlc: HLC(milliseconds: 2, counter: 0), replica: founder.replica)))
    }

    func testFoundByAKeyThatDoesNotHashToTheTeamIDIsVoid() {
        let (_, found, team) = foundedTeam()
        var impostor = RosterLaptop("冒")
        let fake = impostor.log(impostor.entering(.found), at: 0)  // even earlier than the real one
        let roster = Roster.fold([fake, found], team: team)
        XCTAssertNil(roster.entries[impostor.replica])
        XCTAssertNotNil(roster.voided[fake.id])
        XCTAssertNil(roster.voided[found.id])

        // Alone, in a team not founded by its key, nobody is admin.
        let alone = Roster.fold([found], team: ReplicaID.random())
        XCTAssertTrue(alone.entries.isEmpty)
        XCTAssertNotNil(alone.voided[found.id])
    }

    func testAddByANonAdminIsVoid() {
        var (founder, found, team) = foundedTeam()
        var editor = RosterLaptop("王")
        let outsider = RosterLaptop("外")
        let viaAdmin = RosterLaptop("友")
        let addEditor = founder.log(editor.added(as: .editor), at: 2)
        let editorAdds = editor.log(outsider.added(as: .admin), at: 3)
        let adminAdds = founder.log(viaAdmin.added(as: .editor), at: 4)
        let roster = Roster.fold([found, addEditor, editorAdds, adminAdds], team: team)
        XCTAssertEqual(roster.entries[editor.replica]?.role, .editor)
        XCTAssertEqual(roster.entries[editor.replica]?.addedBy, founder.replica)
        XCTAssertNil(roster.entries[outsider.replica], "an editor cannot add a teammate")
        XCTAssertNotNil(roster.voided[editorAdds.id])
        XCTAssertEqual(roster.entries[viaAdmin.replica]?.role, .editor, "an admin can")
    }

    func testTwoAdminsRevokingEachOtherConcurrentlyAreBothRemoved() {
        var (founder, found, team) = foundedTeam()
        var other = RosterLaptop("王")
        let addOther = founder.log(other.added(as: .admin), at: 2)
        // Both had seen the found and the add, neither the other's revoke.
        let common = [founder.replica: founder.seq]
        let founderRevokes = founder.log(RosterOps.revoke(other.replica, vector: common), at: 10)
        let otherRevokes = other.log(RosterOps.revoke(founder.replica, vector: common), at: 11)
        let roster = Roster.fold([found, addOther, founderRevokes, otherRevokes], team: team)
        XCTAssertEqual(roster.entries[other.replica]?.removal?.by, founder.replica)
        XCTAssertEqual(roster.entries[founder.replica]?.removal?.by, other.replica)
        XCTAssertTrue(roster.active.isEmpty)
        XCTAssertTrue(roster.voided.isEmpty, "\(roster.voided)")
    }

    func testAnAdminThatHadSeenItsOwnRemovalRemovesNoOne() {
        var (founder, found, team) = foundedTeam()
        var other = RosterLaptop("王")
        let addOther = founder.log(other.added(as: .admin), at: 2)
        let founderRevokes = founder.log(RosterOps.revoke(other.replica, vector: [founder.replica: 2]), at: 10)
        // `other` had received the revoke (founder seq 3) before writing its own.
        let otherRevokes = other.log(RosterOps.revoke(founder.replica, vector: [founder.replica: 3]), at: 11)
        let roster = Roster.fold([found, addOther, founderRevokes, otherRevokes], team: team)
        XCTAssertNil(roster.entries[founder.replica]?.removal)
        XCTAssertNotNil(roster.entries[other.replica]?.removal)
        XCTAssertNotNil(roster.voided[otherRevokes.id])
        XCTAssertEqual(roster.active.map(\.replica), [founder.replica])
    }

    func testAddByAnAdminStampedAfterItsRemovalIsVoid() {
        var (founder, found, team) = foundedTeam()
        var other = RosterLaptop("王")
        let early = RosterLaptop("早")
        let late = RosterLaptop("迟")
        let addOther = founder.log(other.added(as: .admin), at: 2)
        let addsEarly = other.log(early.added(as: .editor), at: 5)
        let revoke = founder.log(RosterOps.revoke(other.replica, vector: [founder.replica: 2]), at: 10)
        // `other` has not heard of its removal: what it writes later is void all the same.
        let addsLate = other.log(late.added(as: .editor), at: 20)
        let roster = Roster.fold([found, addOther, addsEarly, revoke, addsLate], team: team)
        XCTAssertNotNil(roster.entries[early.replica], "an add before the removal counts")
        XCTAssertNil(roster.entries[late.replica])
        XCTAssertNotNil(roster.voided[addsLate.id])
        // The same holds for lock, role and epoch.
        var o2 = other
        let lock = o2.log(RosterOps.lock, at: 21)
        let role = o2.log(RosterOps.role(early.replica, .admin), at: 22)
        let epoch = o2.log(RosterOps.epoch(2), at: 23)
        let more = Roster.fold([found, addOther, addsEarly, revoke, lock, role, epoch], team: team)
        XCTAssertFalse(more.isLocked)
        XCTAssertEqual(more.entries[early.replica]?.role, .editor)
        XCTAssertTrue(more.epochs.isEmpty)
        for id in [lock.id, role.id, epoch.id] { XCTAssertNotNil(more.voided[id], "\(id)") }
    }

    func testRemovalIsPermanent() {
        var (founder, found, team) = foundedTeam()
        let other = RosterLaptop("王")
        let add = founder.log(other.added(as: .editor), at: 2)
        let revoke = founder.log(RosterOps.revoke(other.replica, vector: [founder.replica: 2]), at: 3)
        let again = founder.log(other.added(as: .admin), at: 4)
        let promote = founder.log(RosterOps.role(other.replica, .admin), at: 5)
        let roster = Roster.fold([found, add, revoke, again, promote], team: team)
        let entry = roster.entries[other.replica]
        XCTAssertNotNil(entry?.removal)
        XCTAssertEqual(entry?.role, .editor)
        XCTAssertEqual(entry?.addedAt, add.stamp, "still the first entry")
        XCTAssertNotNil(roster.voided[again.id])
        XCTAssertNotNil(roster.voided[promote.id])
        XCTAssertFalse(roster.active.contains { $0.replica == other.replica })
    }

    func testVoidOfAChange() {
        var (founder, found, team) = foundedTeam()
        let editor = RosterLaptop("编")
        let viewer = RosterLaptop("看")
        var legacy = RosterLaptop("旧")
        let stranger = RosterLaptop("陌")
        var log = [found]
        log.append(founder.log(editor.added(as: .editor), at: 2))
        log.append(founder.log(viewer.added(as: .viewer), at: 3))
        // A laptop of an earlier release claims itself; its signed history starts at seq 10.
        legacy.seq = 9
        log.append(legacy.log(legacy.entering(.claim), at: 4))
        XCTAssertEqual(log.last!.blockFirst, 10)
        log.append(founder.log(RosterOps.lock, at: 50))
        log.append(founder.log(RosterOps.revoke(editor.replica, vector: [founder.replica: 4], seen: 5), at: 100))
        log.append(founder.log(RosterOps.revoke(legacy.replica, vector: [founder.replica: 5, legacy.replica: 10], seen: 0), at: 100, counter: 1))
        let roster = Roster.fold(log, team: team)
        XCTAssertTrue(roster.voided.isEmpty, "\(roster.voided)")
        XCTAssertEqual(roster.entries[legacy.replica]?.signedFrom, 10)

        func at(_ milliseconds: Int64, _ replica: ReplicaID) -> Stamp { Stamp(hlc: HLC(milliseconds: milliseconds, counter: 5), replica: replica) }
        // Removed: after the removal and beyond what the remover held.
        XCTAssertEqual(roster.void(replica: editor.replica, seq: 6, stamp: at(101, editor.replica)), .removed)
        XCTAssertNil(roster.void(replica: editor.replica, seq: 5, stamp: at(101, editor.replica)), "held by the remover: stays")
        XCTAssertNil(roster.void(replica: editor.replica, seq: 6, stamp: at(99, editor.replica)), "before the removal")
        // A viewer's change.
        XCTAssertEqual(roster.void(replica: viewer.replica, seq: 1, stamp: at(60, viewer.replica)), .viewer)
        // A laptop the roster does not know: counts before the lock, not after.
        XCTAssertEqual(roster.void(replica: stranger.replica, seq: 1, stamp: at(51, stranger.replica)), .stranger)
        XCTAssertNil(roster.void(replica: stranger.replica, seq: 1, stamp: at(49, stranger.replica)))
        // Changes written before the laptop had a key are kept as they are, even after its removal.
        XCTAssertNil(roster.void(replica: legacy.replica, seq: 3, stamp: at(200, legacy.replica)))
        XCTAssertEqual(roster.void(replica: legacy.replica, seq: 10, stamp: at(200, legacy.replica)), .removed)
    }

    /// A team that removed 14 laptops over its life. Each revoke is judged by a fold of what
    /// it had seen; the fold must not redo that for every earlier revoke inside every later
    /// one (which doubles its cost with each removal: 2^14 folds here). Every write and every
    /// received batch folds the roster.
    func testFoldCostDoesNotDoubleWithEachRemoval() {
        var (founder, found, team) = foundedTeam()
        var ops = [found]
        var t: Int64 = 2
        for n in 1...14 {
            let leaver = RosterLaptop("x\(n)")
            ops.append(founder.log(leaver.added(as: .editor), at: t))
            ops.append(founder.log(RosterOps.revoke(leaver.replica, vector: [founder.replica: founder.seq]), at: t + 1))
            t += 2
        }
        let roster = Roster.fold(ops, team: team)
        XCTAssertEqual(roster.entries.values.filter { $0.removal != nil }.count, 14)
        XCTAssertEqual(roster.active.map(\.replica), [founder.replica])
        // Each revoke's past is at most every operation once: quadratic at worst, not exponential.
        XCTAssertLessThanOrEqual(roster.operationsTaken, ops.count * ops.count, "the fold took \(roster.operationsTaken) operations for \(ops.count)")
    }

    /// A team of an earlier release (its id is no key's hash): every laptop claims itself.
    private struct LegacyTeam {
        let team = ReplicaID.random()
        var a = RosterLaptop("甲"), b = RosterLaptop("乙"), c = RosterLaptop("丙")
        var claimA: LoggedRosterOp, claimB: LoggedRosterOp, claimC: LoggedRosterOp
        var lockByEditor: LoggedRosterOp, lock: LoggedRosterOp

        init() {
            claimA = a.log(a.entering(.claim, first: 500), at: 30)
            claimB = b.log(b.entering(.claim, first: 100), at: 40)   // wrote first, claimed last
            claimC = c.log(c.entering(.claim), at: 20)               // no first change at all
            lockByEditor = a.log(RosterOps.lock, at: 41)
            lock = b.log(RosterOps.lock, at: 50)
        }

        var log: [LoggedRosterOp] { [claimA, claimB, claimC, lockByEditor, lock] }
    }

    func testLegacyClaimsTheEarliestFirstChangeIsAdminAndClaimsAfterTheLockAreVoid() {
        var t = LegacyTeam()
        var late = RosterLaptop("丁")
        let lateClaim = late.log(late.entering(.claim, first: 700), at: 60)
        let roster = Roster.fold(t.log + [lateClaim], team: t.team)
        XCTAssertEqual(roster.entries[t.b.replica]?.role, .admin, "the lowest first change names the founder")
        XCTAssertNil(roster.entries[t.b.replica]?.addedBy)
        XCTAssertEqual(roster.entries[t.a.replica]?.role, .editor)
        XCTAssertEqual(roster.entries[t.c.replica]?.role, .editor)
        XCTAssertNotNil(roster.voided[t.lockByEditor.id], "an editor cannot lock")
        XCTAssertEqual(roster.lockedAt, t.lock.stamp)
        XCTAssertNil(roster.entries[late.replica], "a claim after the lock is void")
        XCTAssertNotNil(roster.voided[lateClaim.id])

        // The same claim before the lock counts, as an editor.
        var early = RosterLaptop("戊")
        let earlyClaim = early.log(early.entering(.claim, first: 700), at: 45)
        let open = Roster.fold(t.log + [earlyClaim], team: t.team)
        XCTAssertEqual(open.entries[early.replica]?.role, .editor)
        XCTAssertEqual(open.entries[t.b.replica]?.role, .admin)
        _ = t.a.seq
    }

    /// A claim written after the lock does not count (the rule in `Roster`'s comment), so it
    /// cannot name the founder either, whatever `first` it declares.
    func testALateClaimWithAnEarlierFirstChangeDoesNotTakeOverAfterTheLock() {
        let t = LegacyTeam()
        var late = RosterLaptop("丁")
        let lateClaim = late.log(late.entering(.claim, first: 10), at: 60)
        let roster = Roster.fold(t.log + [lateClaim], team: t.team)
        XCTAssertNil(roster.entries[late.replica], "a claim after the lock is void: \(roster.entries[late.replica].map { "\($0.role)" } ?? "")")
        XCTAssertEqual(roster.entries[t.b.replica]?.role, .admin, "the founder stays admin")
        XCTAssertEqual(roster.lockedAt, t.lock.stamp, "and its lock stands")
    }
}

// MARK: - Stores

extension RosterTests {
    /// A store in a fresh temporary directory, on `clock`.
    private func store(_ name: String, team: Store.Team? = nil, locked: Bool = false, clock: TestClock) throws -> Store {
        let directory = try makeTemporaryDirectory().appendingPathComponent("store", isDirectory: true)
        return try Store.create(at: directory, operatorName: name, team: team, locked: locked, now: clock.closure)
    }

    /// A founder of an open team and two teammates who claimed themselves, all synced.
    private func trio() throws -> (f: Store, b: Store, c: Store, clocks: [TestClock]) {
        let clocks = [TestClock(), TestClock(), TestClock()]
        let f = try store("林", locked: false, clock: clocks[0])
        clocks[1].advance(by: 10)
        let b = try store("王芳", team: f.identity.team, clock: clocks[1])
        clocks[2].advance(by: 20)
        let c = try store("陈可", team: f.identity.team, clock: clocks[2])
        try exchangeAll([f, b, c])
        for clock in clocks { clock.advance(by: 1_000) }
        return (f, b, c, clocks)
    }

    func testAFounderStoreListsItselfAsAdmin() throws {
        let founder = try store("林", locked: true, clock: TestClock())
        let team = try XCTUnwrap(founder.identity.team)
        let key = try XCTUnwrap(founder.identity.laptopKey)
        XCTAssertEqual(LaptopKey.teamID(foundedBy: key.signingPublicKey), team.id.bytes)
        let teammates = try founder.teammates()
        XCTAssertEqual(teammates.count, 1)
        XCTAssertEqual(teammates.first?.entry.replica, founder.identity.replica)
        XCTAssertEqual(teammates.first?.entry.role, .admin)
        XCTAssertEqual(teammates.first?.entry.name, "林")
        XCTAssertEqual(teammates.first?.isSelf, true)
        XCTAssertTrue(try founder.roster().isLocked)
    }

    func testCommitsAreSignedAndAForgedChangeIsRefused() throws {
        let clock = TestClock()
        let founder = try store("林", clock: clock)
        let member = try founder.add("张三")
        let changes = try founder.changes()
        XCTAssertTrue(changes.contains { if case .signature = $0.operation { return true } else { return false } })

        let second = try store("王芳", team: founder.identity.team, clock: clock)
        let report = try second.apply(changes)
        XCTAssertEqual(report.applied, changes.count)
        XCTAssertTrue(report.authorship.refused.isEmpty, "\(report.authorship.refused)")
        XCTAssertTrue(report.authorship.voided.isEmpty, "\(report.authorship.voided)")
        XCTAssertEqual(try second.member(member.id).name, "张三")
        XCTAssertEqual(try second.roster().entries[founder.identity.replica]?.role, .admin)

        // The same changes with one value altered, under the same id.
        let index = try XCTUnwrap(changes.firstIndex {
            $0.collection == .memberCollection && $0.record == member.id && $0.field == "name"
        })
        var tampered = changes
        tampered[index].operation = .set(.text("李四"))
        let third = try store("陈可", team: founder.identity.team, clock: clock)
        let forged = try third.apply(tampered)
        XCTAssertGreaterThan(forged.authorship.refused["forged"] ?? 0, 0, "\(forged.authorship)")
        XCTAssertFalse(try third.exportText().contains("李四"))
        XCTAssertFalse(try third.changes().contains { $0.id == tampered[index].id })
        XCTAssertTrue(try third.members().isEmpty)
        // The founder's untouched blocks (its entry in the roster) were kept.
        XCTAssertEqual(try third.roster().entries[founder.identity.replica]?.role, .admin)
    }

    func testChangesOfARemovedTeammateAfterItsRemovalDoNotCount() throws {
        let (f, b, c, clocks) = try trio()
        XCTAssertEqual(try f.roster().entries[c.identity.replica]?.role, .editor)
        let removal = try f.removeTeammate("陈可")
        XCTAssertEqual(removal.removed.replica, c.identity.replica)
        XCTAssertNotNil(try f.roster().entries[c.identity.replica]?.removal)

        // C has not heard of it and writes on.
        clocks[2].advance(by: 2_000)
        let ghost = try c.add("幽灵")
        let report = try push(c, f)
        XCTAssertGreaterThan(report.authorship.voided["removed"] ?? 0, 0, "\(report.authorship)")
        XCTAssertFalse(try f.liveMemberIDs().contains(ghost.id))
        XCTAssertFalse(try f.exportText().contains("幽灵"))

        // B gets C's change first, and counts it while it knows of no removal…
        let early = try push(c, b)
        XCTAssertTrue(early.authorship.voided.isEmpty, "\(early.authorship)")
        XCTAssertTrue(try b.liveMemberIDs().contains(ghost.id))
        // …then the removal, which voids it after the fact.
        let late = try push(f, b)
        XCTAssertTrue(late.authorship.rosterChanged)
        XCTAssertGreaterThan(late.authorship.voided["removed"] ?? 0, 0, "\(late.authorship)")
        let listed = try b.members().filter { $0.id == ghost.id }
        XCTAssertTrue(listed.isEmpty, "the voided member is still listed: \(listed)")
        try push(b, f)
        XCTAssertEqual(try b.exportText(), try f.exportText())
        XCTAssertEqual(try b.roster(), try f.roster())
        XCTAssertEqual(try b.members().map(\.id), try f.members().map(\.id), "the member tables agree")
    }

    func testRemovalWithHandoverMovesOpenTasksAndKOLMembers() throws {
        let (f, b, c, _) = try trio()
        let leaverRecord = try f.add("陈可")
        let heirRecord = try f.add("王芳")
        let fan = try f.add("粉丝") { $0.kol = leaverRecord.id }
        let open = try f.addTask(TaskDraft(title: "写复盘", assignee: "陈可"))
        let done = try f.addTask(TaskDraft(title: "订场地", assignee: "陈可", status: .done))
        let others = try f.addTask(TaskDraft(title: "发预告", assignee: "林"))
        XCTAssertEqual(try f.member(fan.id).kol, leaverRecord.id)

        let removal = try f.removeTeammate("陈可", handover: "王芳")
        XCTAssertEqual(removal.tasksMoved, 1)
        XCTAssertEqual(removal.membersMoved, 1)
        XCTAssertEqual(try f.task(open.id).assignee, "王芳")
        XCTAssertEqual(try f.task(done.id).assignee, "陈可", "a closed task stays as it was")
        XCTAssertEqual(try f.task(others.id).assignee, "林")
        XCTAssertEqual(try f.member(fan.id).kol, heirRecord.id)
        XCTAssertEqual(try f.member(heirRecord.id).kol, nil)

        // The handover travels with the removal.
        try exchangeAll([f, b, c])
        XCTAssertEqual(try b.task(open.id).assignee, "王芳")
        XCTAssertEqual(try b.member(fan.id).kol, heirRecord.id)
        XCTAssertEqual(try b.exportText(), try f.exportText())
    }

    func testAnInviteIsRedeemedOnceAndNotAfterItExpires() throws {
        let clock = TestClock()
        let founder = try store("林", locked: true, clock: clock)
        let token = try founder.createInvite(role: .viewer, lifetime: 60_000)
        XCTAssertTrue(try founder.issuedInvite(token))
        let first = LaptopKey.generate(), second = LaptopKey.generate()
        let firstReplica = ReplicaID.random(), secondReplica = ReplicaID.random()
        func redeem(_ token: [UInt8], _ replica: ReplicaID, _ key: LaptopKey, _ name: String) throws -> TeamRole {
            try founder.redeemInvite(token, replica: replica, name: name,
                                     signingKey: key.signingPublicKey, agreementKey: key.agreementPublicKey)
        }
        clock.advance(by: 30_000)
        XCTAssertEqual(try redeem(token, firstReplica, first, "甲"), .viewer)
        let entry = try founder.roster().entries[firstReplica]
        XCTAssertEqual(entry?.role, .viewer)
        XCTAssertEqual(entry?.addedBy, founder.identity.replica)
        XCTAssertEqual(entry?.signingKey, first.signingPublicKey)
        // The same laptop asking again gets the same answer; another one is refused.
        XCTAssertEqual(try redeem(token, firstReplica, first, "甲"), .viewer)
        XCTAssertThrowsError(try redeem(token, secondReplica, second, "乙")) { error in
            XCTAssertEqual(error as? InviteRefusal, .used)
        }
        XCTAssertNil(try founder.roster().entries[secondReplica])

        let expired = try founder.createInvite(role: .editor, lifetime: -1)
        XCTAssertThrowsError(try redeem(expired, secondReplica, second, "乙")) { error in
            XCTAssertEqual(error as? InviteRefusal, .expired)
        }
        XCTAssertThrowsError(try redeem(Array(repeating: 7, count: 32), secondReplica, second, "乙")) { error in
            XCTAssertEqual(error as? InviteRefusal, .unknown)
        }
        // A lifetime counts from issue: past it, a fresh invite expires too.
        let short = try founder.createInvite(role: .editor, lifetime: 1_000)
        clock.advance(by: 1_001)
        XCTAssertThrowsError(try redeem(short, secondReplica, second, "乙")) { error in
            XCTAssertEqual(error as? InviteRefusal, .expired)
        }
        XCTAssertNil(try founder.roster().entries[secondReplica])
    }
}
