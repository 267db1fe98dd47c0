import Foundation
import QunCore
import QunStore
import QunStoreTestSupport
import XCTest
import QunTestSupport

/// Four stores edit event plans through the public API — add, field edits including start
/// moves (which move run-sheet tasks), phase steps, sign-ups and attendance of random
/// members (some of them deleted meanwhile), retrospective lines, rm/restore, run-sheet
/// tasks — while exchanging random partial batches (pages, holes, duplicates, shuffled
/// order). After a full exchange every store must print the same export and list the same
/// events, run-sheets and retrospectives.
///
/// Every failure message carries the seed. Replay one with
/// `QUN_SEED=<seed> swift test --filter EventConvergencePropertyTests`. (Record and replica
/// ids come from the system RNG, so a replay follows the same script of operations but not
/// necessarily the same tie-breaks.)
final class EventConvergencePropertyTests: StoreTestCase {
    static let fixedSeeds: [UInt64] = [7, 0x5EED, 20_261_212, 0xC0FFEE, 424_242]
    static let operationsPerSeed = 160

    func testEventPlansConvergeUnderRandomPartialExchange() throws {
        for seed in testSeeds(Self.fixedSeeds) {
            var run = try EventPropertyRun(seed: seed, test: self)
            do {
                try run.execute(operations: Self.operationsPerSeed)
            } catch {
                XCTFail("seed \(seed) (replay: QUN_SEED=\(seed)): step \(run.step) \(run.lastAction): unexpected error \(error)")
            }
            print("EventConvergencePropertyTests seed \(seed): \(run.summary)")
        }
    }
}

private struct EventPropertyRun {
    let seed: UInt64
    var rng: SplitMix64
    let stores: [Store]
    let clocks: [TestClock]
    /// Ids in creation order, so targets are picked the same way on a replay.
    var memberIDs: [String] = []
    var eventIDs: [String] = []
    var taskIDs: [String] = []
    var step = 0
    var lastAction = "start"
    var refused = 0
    var exchanges = 0
    var failures = 0

    static let titles = ["读书会线下见面", "线上共读《三体》", "Hiking 徒步", "周年庆", "新人欢迎会"]
    static let cities = ["杭州", "上海", "成都", ""]
    static let places = ["晓书馆, 二楼", "腾讯会议", "西湖边; 断桥", ""]
    static let lines = ["到场 46 人", "签到拥堵", "提前一周提醒", "茶歇不够", "新人 12 位", "Keep the 接龙"]
    static let owners = ["林", "王", "陈"]

    var summary: String { "\(step + 1) steps, \(exchanges) exchanges, \(refused) refused, \(eventIDs.count) events, \(taskIDs.count) run-sheet tasks" }

    init(seed: UInt64, test: StoreTestCase) throws {
        self.seed = seed
        rng = SplitMix64(seed: seed)
        var clocks: [TestClock] = []
        for _ in 0..<4 { clocks.append(TestClock(TestClock.start + Int64(rng.int(in: -60_000...60_000)))) }
        self.clocks = clocks
        stores = try test.makeTeam(["林晓", "王芳", "陈可", "赵敏"], clocks: clocks)
    }

    private mutating func fail(_ message: String, file: StaticString = #filePath, line: UInt = #line) {
        failures += 1
        XCTFail("seed \(seed) (replay: QUN_SEED=\(seed)), step \(step), after \(lastAction): \(message)", file: file, line: line)
    }

    mutating func execute(operations: Int) throws {
        // A few members everyone knows, so sign-ups have someone to name from the start.
        for name in ["张三", "李四", "王五"] {
            memberIDs.append(try stores[0].addMember(MemberDraft(name: name)).id)
        }
        try exchangeAll(stores)
        for index in 0..<operations {
            step = index
            let delta = rng.chance(20) ? 0 : Int64(rng.int(in: 1...1500))
            for clock in clocks { clock.advance(by: delta) }
            let on = rng.below(stores.count)
            let roll = rng.below(100)
            do {
                switch roll {
                case 0..<10: try addEvent(on: on)
                case 10..<22: try editEvent(on: on)
                case 22..<32: try stepPhase(on: on)
                case 32..<50: try people(on: on)
                case 50..<57: try review(on: on)
                case 57..<62: try removeOrRestore(on: on)
                case 62..<73: try runSheet(on: on)
                case 73..<77: try memberChurn(on: on)
                default: try partialExchange()
                }
            } catch is EventError {
                refused += 1
            } catch let error as StoreError {
                if case .replicaClash = error { throw error }
                if case .invalidChange = error { throw error }
                refused += 1
            }
            if failures > 0 { return }
        }
        try finalExchangeAndCompare()
    }

    // MARK: targets

    private mutating func knownEvent(_ store: Store, live: Bool = true) throws -> String? {
        var filter = EventFilter()
        filter.includeDeleted = true
        let present = Dictionary(try store.events(filter).map { ($0.id, $0.deleted) }, uniquingKeysWith: { a, _ in a })
        let candidates = eventIDs.filter { present[$0] != nil && (!live || present[$0] == false) }
        return candidates.isEmpty ? nil : rng.pick(candidates)
    }

    private mutating func knownMembers(_ store: Store) throws -> [String] {
        let present = Set(try store.members(.all).map(\.id))
        let candidates = memberIDs.filter(present.contains)
        return candidates.filter { _ in rng.chance(50) }
    }

    private mutating func day() -> String {
        "2026-12-\(String(format: "%02d", rng.int(in: 1...28)))" + (rng.chance(50) ? "T\(String(format: "%02d", rng.int(in: 8...20))):\(rng.chance(50) ? "00" : "30")" : "")
    }

    // MARK: operations

    private mutating func addEvent(on index: Int) throws {
        var draft = EventDraft(title: rng.pick(Self.titles))
        if rng.chance(70) { draft.start = day() }
        if rng.chance(50) { draft.kind = rng.chance(50) ? "online" : "offline" }
        let city = rng.pick(Self.cities)
        if !city.isEmpty { draft.city = city }
        if rng.chance(50) { draft.target = String(rng.int(in: 5...80)) }
        if rng.chance(30) { draft.budget = rng.chance(50) ? "3000" : "1288.50" }
        lastAction = "add event \(draft.title) on \(index)"
        eventIDs.append(try stores[index].addEvent(draft).id)
    }

    private mutating func editEvent(on index: Int) throws {
        guard let event = try knownEvent(stores[index]) else { return try addEvent(on: index) }
        var edit = EventEdit()
        for _ in 0..<rng.int(in: 1...3) {
            switch rng.below(7) {
            case 0, 1: edit.fields[.start] = day()
            case 2: edit.fields[.place] = rng.pick(Self.places)
            case 3: edit.fields[.city] = rng.pick(Self.cities)
            case 4: edit.fields[.target] = rng.chance(20) ? "" : String(rng.int(in: 5...80))
            case 5: edit.fields[.title] = rng.pick(Self.titles)
            default: edit.fields[.end] = rng.chance(30) ? "" : "2026-12-31"
            }
        }
        lastAction = "edit \(event.prefix(8)) \(edit.fields.map { "\($0.key.rawValue)=\($0.value)" }.sorted()) on \(index)"
        _ = try stores[index].editEvent(event, edit)
    }

    private mutating func stepPhase(on index: Int) throws {
        guard let event = try knownEvent(stores[index]) else { return }
        let current = try stores[index].event(event).phase
        // Mostly forward, sometimes back, now and then a refused jump.
        let all = Event.Phase.allCases
        let target: Event.Phase
        if rng.chance(10) {
            target = rng.pick(all)
        } else {
            let neighbours = current.neighbours
            target = rng.chance(75) ? neighbours[0] : rng.pick(neighbours)
        }
        lastAction = "phase \(event.prefix(8)) \(current.rawValue)→\(target.rawValue) on \(index)"
        try stores[index].moveEvent(event, to: target)
    }

    private mutating func people(on index: Int) throws {
        guard let event = try knownEvent(stores[index]) else { return }
        let members = try knownMembers(stores[index])
        guard !members.isEmpty else { return }
        let set: Event.PeopleSet = rng.chance(55) ? .signups : .attendance
        let add = rng.chance(60)
        lastAction = "\(add ? "add" : "remove") \(members.count) \(set.rawValue) of \(event.prefix(8)) on \(index)"
        _ = try stores[index].changePeople(event, set, add: add, members: members)
    }

    private mutating func review(on index: Int) throws {
        guard let event = try knownEvent(stores[index]) else { return }
        let lines = (0..<rng.int(in: 1...2)).map { _ in (rng.pick(Event.Retro.allCases), rng.pick(Self.lines)) }
        lastAction = "review \(event.prefix(8)) on \(index)"
        _ = try stores[index].review(event, lines: lines, markReviewed: rng.chance(30))
    }

    private mutating func removeOrRestore(on index: Int) throws {
        if rng.chance(50), let event = try knownEvent(stores[index]) {
            lastAction = "rm \(event.prefix(8)) on \(index)"
            try stores[index].removeEvent(event)
        } else if let event = try knownEvent(stores[index], live: false) {
            lastAction = "restore \(event.prefix(8)) on \(index)"
            try stores[index].restoreEvent(event)
        }
    }

    private mutating func runSheet(on index: Int) throws {
        let store = stores[index]
        if rng.chance(35), !taskIDs.isEmpty {
            let present = Set(try taskIDs.compactMap { id in try? store.task(id) }.map(\.id))
            let known = taskIDs.filter(present.contains)
            guard !known.isEmpty else { return }
            let task = rng.pick(known)
            let status = rng.pick([TaskItem.Status.done, .dropped, .doing, .todo])
            lastAction = "task \(task.prefix(8)) → \(status.rawValue) on \(index)"
            try store.setTaskStatus(task, status)
            return
        }
        guard let event = try knownEvent(store) else { return }
        var draft = RunSheetDraft(title: rng.pick(["订场地", "发海报", "群内提醒", "买茶歇"]), due: "-\(rng.int(in: 0...20))d" + (rng.chance(30) ? "T18:00" : ""))
        draft.owner = rng.pick(Self.owners)
        lastAction = "run-sheet \(draft.title) \(draft.due) for \(event.prefix(8)) on \(index)"
        taskIDs.append(try store.addRunSheetTask(event, draft).id)
    }

    private mutating func memberChurn(on index: Int) throws {
        let store = stores[index]
        let roll = rng.below(3)
        if roll == 0 {
            lastAction = "add member on \(index)"
            memberIDs.append(try store.addMember(MemberDraft(name: rng.pick(["赵六", "Alice", "陈晓明"]))).id)
            return
        }
        let present = try store.members(.all)
        let candidates = memberIDs.filter { id in present.contains { $0.id == id && $0.deleted == (roll == 2) } }
        guard !candidates.isEmpty else { return }
        let member = rng.pick(candidates)
        lastAction = "\(roll == 1 ? "rm" : "restore") member \(member.prefix(8)) on \(index)"
        if roll == 1 { try store.removeMember(member) } else { try store.restoreMember(member) }
    }


    /// Part of what one store lacks, delivered badly (`PartialExchange`).
    private mutating func partialExchange() throws {
        let exchange = try PartialExchange(stores, rng: &rng, shape: PartialExchange.Shape(maximumPage: 30, gapPercent: 0, batches: false))
        lastAction = exchange.description
        if exchange.held > 0 { fail("a change within the skew bound was held: \(exchange)") }
        exchanges += 1
    }

    private mutating func finalExchangeAndCompare() throws {
        lastAction = "final exchange"
        try exchangeAll(stores)
        let export = try stores[0].exportText()
        var filter = EventFilter()
        filter.includeDeleted = true
        let listing = try stores[0].events(filter)
        let live = try stores[0].events()
        let sheets = try listing.map { try stores[0].runSheet($0.id) }
        let retros = try listing.map { try stores[0].retrospective($0.id).map { "\($0.section.rawValue):\($0.text):\($0.replica.hex)" } }
        if listing.isEmpty { fail("the run made no events: the property was not exercised") }
        for (index, store) in stores.enumerated().dropFirst() {
            if try store.exportText() != export { fail("store \(index) export differs from store 0") }
            if try store.events(filter) != listing { fail("store \(index) events() (with deleted) differs from store 0") }
            if try store.events() != live { fail("store \(index) events() differs from store 0") }
            if try listing.map({ try store.runSheet($0.id) }) != sheets { fail("store \(index) run-sheets differ") }
            let theirs = try listing.map { try store.retrospective($0.id).map { "\($0.section.rawValue):\($0.text):\($0.replica.hex)" } }
            if theirs != retros { fail("store \(index) retrospectives differ") }
        }
        // Shown people are live members only, on every store.
        let liveMembers = Set(try stores[0].members().map(\.id))
        for event in listing where !Set(event.signups + event.attendance).isSubset(of: liveMembers) {
            fail("event \(event.shortID) shows a deleted member")
        }
    }
}
