import Foundation
import QunCore
import QunStore
import QunStoreTestSupport
import XCTest
import QunTestSupport

/// Three stores driven through the public member API with random partial exchanges (pages,
/// gaps, duplicates, shuffled order) must end byte-identical, and equal to the reference
/// `QunCore.Document` fed the same changes in any order.
///
/// Every failure message carries the seed. Replay one with
/// `QUN_SEED=<seed> swift test --filter StoreMatchesDocumentPropertyTests`.
/// (Replica and record ids come from the system RNG, so a replay follows the same script of
/// operations but not necessarily the same tie-breaks.)
final class StoreMatchesDocumentPropertyTests: StoreTestCase {
    static let fixedSeeds: [UInt64] = [1, 0x5EED, 20_240_301, 0xDEAD_BEEF]
    static let operationsPerSeed = 320

    func testStoresConvergeAndMatchTheReferenceDocument() throws {
        for seed in testSeeds(Self.fixedSeeds) {
            var run = try PropertyRun(seed: seed, test: self)
            do {
                try run.execute(operations: Self.operationsPerSeed)
            } catch {
                XCTFail("seed \(seed) (replay: QUN_SEED=\(seed)): step \(run.step) \(run.lastAction): unexpected error \(error)")
            }
        }
    }
}

private struct PropertyRun {
    let seed: UInt64
    var rng: SplitMix64
    let stores: [Store]
    let clocks: [TestClock]
    /// Every member id ever added, in creation order: targets are picked from this list so a
    /// replay picks the same members.
    var memberIDs: [String] = []
    var step = 0
    var lastAction = "start"
    var exchanges = 0
    /// How often a check found a store holding changes beyond a gap.
    var gapsSeen = 0
    var failures = 0

    static let names = ["张三", "李四", "王五", "赵六", "Alice", "bob", "陈晓明"]
    static let cities = ["杭州", "上海", "北京", "成都", ""]
    static let tags = ["读书会", "付费", "核心", "x", "y", "志愿者"]
    static let notes = ["喜欢科幻", "Likes hiking", "周末有空", "", "复盘时发言积极"]
    static let roles = ["admin", "kol", "core", "member"]
    static let statuses = ["active", "quiet", "left"]
    static let gates = ["identity", "interest", "paid", "region", "combined", ""]

    init(seed: UInt64, test: StoreTestCase) throws {
        self.seed = seed
        rng = SplitMix64(seed: seed)
        var clocks: [TestClock] = []
        for _ in 0..<3 {
            clocks.append(TestClock(TestClock.start + Int64(rng.int(in: -120_000...120_000))))
        }
        self.clocks = clocks
        stores = try test.makeTeam(["林晓", "王芳", "陈可"], clocks: clocks)
    }

    private func fail(_ message: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTFail("seed \(seed) (replay: QUN_SEED=\(seed)), step \(step), after \(lastAction): \(message)", file: file, line: line)
    }

    mutating func execute(operations: Int) throws {
        for index in 0..<operations {
            step = index
            advanceClocks()
            let store = rng.below(stores.count)
            let roll = rng.below(100)
            switch roll {
            case 0..<15: try add(on: store)
            case 15..<38: try editFields(on: store)
            case 38..<50: try tag(on: store)
            case 50..<60: try untag(on: store)
            case 60..<68: try log(on: store)
            case 68..<75: try remove(on: store)
            case 75..<82: try restore(on: store)
            default: try partialExchange()
            }
            if index % 40 == 39 { try checkEachStoreAgainstItsLog() }
            if failures > 0 { return }
        }
        try checkEachStoreAgainstItsLog()
        try finalExchangeAndCompare()
    }

    /// All clocks move together; now and then one steps back a little (an NTP correction).
    private mutating func advanceClocks() {
        let delta = rng.chance(20) ? 0 : Int64(rng.int(in: 1...2000))
        for clock in clocks { clock.advance(by: delta) }
        if rng.chance(5) { clocks[rng.below(clocks.count)].advance(by: -Int64(rng.int(in: 1...5000))) }
    }

    // MARK: targets

    /// Members this store knows of, in creation order, split by deleted flag.
    private func known(_ store: Store) throws -> (live: [String], deleted: [String]) {
        var deleted: [String: Bool] = [:]
        for member in try store.members(.all) { deleted[member.id] = member.deleted }
        var live: [String] = []
        var gone: [String] = []
        for id in memberIDs {
            guard let flag = deleted[id] else { continue }
            if flag { gone.append(id) } else { live.append(id) }
        }
        return (live, gone)
    }

    private mutating func liveTarget(_ store: Store) throws -> String? {
        let live = try known(store).live
        return live.isEmpty ? nil : rng.pick(live)
    }

    // MARK: operations

    private mutating func add(on index: Int) throws {
        let store = stores[index]
        var draft = MemberDraft(name: rng.pick(Self.names))
        draft.role = Member.Role(rawValue: rng.pick(Self.roles))!
        let city = rng.pick(Self.cities)
        if !city.isEmpty { draft.city = city }
        draft.tags = Self.tags.filter { _ in rng.chance(25) }
        if rng.chance(30) { draft.notes = rng.pick(Self.notes) }
        if rng.chance(25), let kol = try liveTarget(store) { draft.kol = kol }
        if rng.chance(25), let referrer = try liveTarget(store) { draft.referrer = referrer }
        if rng.chance(20) { draft.joined = "2023-0\(rng.int(in: 1...9))-1\(rng.int(in: 0...9))" }
        lastAction = "add \(draft.name) on store \(index)"
        let member = try store.addMember(draft)
        memberIDs.append(member.id)
    }

    private mutating func editFields(on index: Int) throws {
        let store = stores[index]
        guard let target = try liveTarget(store) else { return try add(on: index) }
        var edit = MemberEdit()
        let count = rng.int(in: 1...3)
        for _ in 0..<count {
            switch rng.below(8) {
            case 0: edit.fields[.city] = rng.pick(Self.cities)
            case 1: edit.fields[.notes] = rng.pick(Self.notes)
            case 2: edit.fields[.status] = rng.pick(Self.statuses)
            case 3: edit.fields[.role] = rng.pick(Self.roles)
            case 4: edit.fields[.name] = rng.pick(Self.names)
            case 5: edit.fields[.gate] = rng.pick(Self.gates)
            case 6: edit.fields[.joined] = "2024-0\(rng.int(in: 1...9))-0\(rng.int(in: 1...9))"
            default:
                let others = try known(store).live.filter { $0 != target }
                if !others.isEmpty { edit.fields[rng.chance(50) ? .kol : .referrer] = rng.pick(others) }
                else { edit.fields[.wechat] = "wx\(rng.below(100))" }
            }
        }
        lastAction = "edit \(target.prefix(8)) \(edit.fields.map { "\($0.key.rawValue)=\($0.value)" }.sorted()) on store \(index)"
        _ = try store.editMember(target, edit)
    }

    private mutating func tag(on index: Int) throws {
        let store = stores[index]
        guard let target = try liveTarget(store) else { return try add(on: index) }
        var edit = MemberEdit()
        edit.addTags = [rng.pick(Self.tags)]
        if rng.chance(20) { edit.addTags.append(rng.pick(Self.tags)) }
        lastAction = "tag \(target.prefix(8)) +\(edit.addTags) on store \(index)"
        _ = try store.editMember(target, edit)
    }

    private mutating func untag(on index: Int) throws {
        let store = stores[index]
        guard let target = try liveTarget(store) else { return try add(on: index) }
        let present = try store.member(target).tags
        var edit = MemberEdit()
        edit.removeTags = [present.isEmpty || rng.chance(20) ? rng.pick(Self.tags) : rng.pick(present)]
        if rng.chance(15) { edit.addTags = [rng.pick(Self.tags)] }
        lastAction = "untag \(target.prefix(8)) -\(edit.removeTags) +\(edit.addTags) on store \(index)"
        _ = try store.editMember(target, edit)
    }

    private mutating func log(on index: Int) throws {
        let store = stores[index]
        guard let target = try liveTarget(store) else { return try add(on: index) }
        lastAction = "log \(target.prefix(8)) on store \(index)"
        try store.logInteraction(target, "沟通 #\(step) by \(index)")
    }

    private mutating func remove(on index: Int) throws {
        let store = stores[index]
        guard let target = try liveTarget(store) else { return try add(on: index) }
        lastAction = "rm \(target.prefix(8)) on store \(index)"
        try store.removeMember(target)
    }

    private mutating func restore(on index: Int) throws {
        let store = stores[index]
        let deleted = try known(store).deleted
        guard !deleted.isEmpty else { return try tag(on: index) }
        let target = rng.pick(deleted)
        lastAction = "restore \(target.prefix(8)) on store \(index)"
        try store.restoreMember(target)
    }

    /// Part of what one store lacks, delivered badly (`PartialExchange`).
    private mutating func partialExchange() throws {
        let exchange = try PartialExchange(stores, rng: &rng, shape: PartialExchange.Shape(maximumPage: 40, wholeLogPercent: 10, gapPercent: 30))
        lastAction = exchange.description
        if exchange.held > 0 { fail("a change within the skew bound was held: \(exchange)") }
        exchanges += 1
    }

    // MARK: checks

    /// At any moment a store's export equals a document built from the changes it holds.
    private mutating func checkEachStoreAgainstItsLog() throws {
        for (index, store) in stores.enumerated() {
            let log = try store.changes()
            let reference = document(of: rng.shuffled(log))
            if Int64(log.count) > reference.vector.count { gapsSeen += 1 }
            let exported = try store.exportText()
            if exported != reference.export().compact {
                fail("store \(index) differs from a document of its own \(log.count) changes:\n store:    \(exported)\n document: \(reference.export().compact)")
                failures += 1
            }
            if try store.versionVector() != reference.vector {
                fail("store \(index) vector \(try store.versionVector()) != document vector \(reference.vector)")
                failures += 1
            }
            try checkMemberTable(store, index: index, against: reference)
        }
    }

    /// The materialised member table agrees with the merged state.
    private mutating func checkMemberTable(_ store: Store, index: Int, against reference: Document) throws {
        let members = try store.members(.all)
        let stateCount = reference.records.keys.filter { $0.collection == .memberCollection }.count
        if members.count != stateCount {
            fail("store \(index) has \(members.count) member rows for \(stateCount) member records")
            failures += 1
        }
        for member in members {
            guard let state = reference.record(.memberCollection, member.id) else {
                fail("store \(index): member row \(member.id) without a record")
                failures += 1
                continue
            }
            func text(_ field: Member.Field) -> String? { state.registers[field.rawValue]?.value.text }
            var expected = member
            expected.number = text(.number)
            expected.name = text(.name) ?? ""
            expected.role = text(.role).flatMap(Member.Role.init(rawValue:))
            expected.kol = text(.kol)
            expected.referrer = text(.referrer)
            expected.gate = text(.gate).flatMap(Member.Gate.init(rawValue:))
            expected.gateNote = text(.gateNote)
            expected.city = text(.city)
            expected.joined = text(.joined)
            expected.status = text(.status).flatMap(Member.Status.init(rawValue:))
            expected.wechat = text(.wechat)
            expected.phone = text(.phone)
            expected.email = text(.email)
            expected.notes = text(.notes)
            expected.tags = state.elements(Member.tagsField)
            expected.logCount = state.logEntries(Member.logField).count
            expected.deleted = state.isDeleted
            if member != expected {
                fail("store \(index): member row differs from its merged state:\n row:      \(member)\n expected: \(expected)")
                failures += 1
            }
        }
    }

    private mutating func finalExchangeAndCompare() throws {
        lastAction = "final exchange"
        try exchangeAll(stores)
        let exports = try stores.map { try $0.exportText() }
        let vectors = try stores.map { try $0.versionVector() }
        for index in 1..<stores.count {
            if exports[index] != exports[0] {
                fail("store \(index) export differs from store 0 after a full exchange:\n 0: \(exports[0])\n \(index): \(exports[index])")
            }
            if vectors[index] != vectors[0] { fail("store \(index) vector \(vectors[index]) != \(vectors[0])") }
            if try stores[index].changes().map(\.id) != stores[0].changes().map(\.id) {
                fail("store \(index) holds different changes from store 0")
            }
        }
        let all = try stores[0].changes(since: VersionVector())
        if Int64(all.count) != vectors[0].count {
            fail("vector counts \(vectors[0].count) changes but the log has \(all.count)")
        }
        var delivered = all
        for change in all where rng.chance(10) { delivered.append(change) }
        let reference = document(of: rng.shuffled(delivered))
        if reference.export().compact != exports[0] {
            fail("stores differ from the reference document of all \(all.count) changes:\n store:    \(exports[0])\n document: \(reference.export().compact)")
        }
        if reference.vector != vectors[0] { fail("document vector \(reference.vector) != store vector \(vectors[0])") }
        for (index, store) in stores.enumerated() { try checkMemberTable(store, index: index, against: reference) }

        // The run exercised what it is meant to.
        let memberCount = try stores[0].members(.all).count
        let deletedCount = try stores[0].status().deletedMembers
        if memberCount < 10 || exchanges < 20 || all.count < 300 {
            fail("too little happened: \(memberCount) members, \(exchanges) exchanges, \(all.count) changes")
        }
        print("seed \(seed): \(all.count) changes, \(memberCount) members (\(deletedCount) deleted), \(exchanges) partial exchanges, \(gapsSeen) checks saw a gap")
    }
}
