import Foundation
import QunCore
import QunStore
import QunStoreTestSupport
import XCTest
import QunTestSupport

/// Four laptops keep the rewards ledger through the public API — leaderboard grants of a few
/// months, hand-added rewards, edits, sent marks, deletes and restores, check-ins that move
/// the leaderboard — while random partial exchanges (pages, gaps, holes, duplicates, shuffled
/// order, several batches) carry changes between them. After a full exchange every laptop
/// must hold byte-identical exports and identical reward listings, with one reward per
/// (member, month, kind) whose id is the hash of the three, and every reward marked sent on
/// any laptop sent on every one.
///
/// Every failure message carries the seed. Replay one with
/// `QUN_SEED=<seed> swift test --filter RewardConvergencePropertyTests`.
final class RewardConvergencePropertyTests: StoreTestCase {
    static let fixedSeeds: [UInt64] = [11, 0x5E4D, 20_261_130, 0xBEEF]
    static let operationsPerSeed = 140

    func testRewardLedgersConverge() throws {
        for seed in testSeeds(Self.fixedSeeds) {
            var run = try RewardPropertyRun(seed: seed, test: self)
            do {
                try run.execute(operations: Self.operationsPerSeed)
                try run.checkConverged()
            } catch {
                XCTFail("seed \(seed) (replay: QUN_SEED=\(seed)): step \(run.step) \(run.lastAction): unexpected error \(error)")
            }
        }
    }
}

private struct RewardPropertyRun {
    let seed: UInt64
    var rng: SplitMix64
    let stores: [Store]
    let clocks: [TestClock]
    /// The members, made on laptop 0 and known to all before the run.
    var members: [Member] = []
    /// Every reward id any laptop was seen to hold.
    var rewardIDs: [String] = []
    var known: Set<String> = []
    /// Rewards some laptop marked sent (a mark that laptop accepted).
    var sentSomewhere: Set<String> = []
    var step = 0
    var lastAction = "start"
    var exchanges = 0
    var refusals = 0

    static let names = ["张三", "李四", "王五", "赵六", "孙七", "Chen", "小周"]
    static let gifts = ["书一本", "书签", "徽章", "明信片 📮", "Tote bag"]
    static let notes = ["帮忙组织读书会", "new member of the month", "分享最多"]
    /// January and February 2024: before the test clocks' start, so their leaderboards only
    /// move when check-ins arrive.
    static let months = [ReportMonth(year: 2024, month: 1)!, ReportMonth(year: 2024, month: 2)!]

    init(seed: UInt64, test: StoreTestCase) throws {
        self.seed = seed
        rng = SplitMix64(seed: seed)
        var clocks: [TestClock] = []
        for _ in 0..<4 {
            clocks.append(TestClock(TestClock.start + Int64(rng.int(in: -60_000...60_000))))
        }
        self.clocks = clocks
        stores = try test.makeTeam(["林晓", "王芳", "陈可", "小周"], clocks: clocks)
        for name in Self.names { members.append(try stores[0].add(name)) }
        try exchangeAll(stores)
    }

    private func fail(_ message: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTFail("seed \(seed) (replay: QUN_SEED=\(seed)), step \(step), after \(lastAction): \(message)", file: file, line: line)
    }

    mutating func execute(operations: Int) throws {
        for index in 0..<operations {
            step = index
            let tick = Int64(rng.int(in: 1...5_000))
            for clock in clocks { clock.advance(by: tick + Int64(rng.int(in: 0...50))) }
            let s = rng.below(stores.count)
            let roll = rng.below(100)
            let sentBefore = try stores.map(sentRewards)
            do {
                switch roll {
                case 0..<14: try checkIn(s)
                case 14..<26: try grant(s)
                case 26..<36: try add(s)
                case 36..<46: try edit(s)
                case 46..<58: try markSent(s)
                case 58..<66: try removeOrRestore(s)
                default: try partialExchange()
                }
            } catch let error as StoreError {
                // A reward this laptop has not seen, or one deleted here: refused, as it
                // should be, and nothing was written.
                switch error {
                case .notFound, .deleted, .notDeleted, .ambiguous: refusals += 1
                default: throw error
                }
            }
            try learnIDs(s)
            if roll >= 66 { for index in stores.indices { try learnIDs(index) } }
            // A gift sent stays sent, whatever a grant, an edit or an exchange brought.
            for (index, store) in stores.enumerated() {
                let lost = sentBefore[index].subtracting(try sentRewards(store))
                if !lost.isEmpty { fail("store \(index) lost the sent mark of \(lost.map { String($0.prefix(8)) }.sorted())") }
            }
        }
    }

    private func sentRewards(_ store: Store) throws -> Set<String> {
        var filter = RewardFilter()
        filter.includeDeleted = true
        filter.sent = true
        return Set(try store.rewards(filter).map(\.id))
    }

    private mutating func learnIDs(_ index: Int) throws {
        var everything = RewardFilter()
        everything.includeDeleted = true
        for reward in try stores[index].rewards(everything) where !known.contains(reward.id) {
            known.insert(reward.id)
            rewardIDs.append(reward.id)
        }
    }

    private mutating func pickReward() -> String? {
        rewardIDs.isEmpty ? nil : rewardIDs[rng.below(rewardIDs.count)]
    }

    private mutating func checkIn(_ s: Int) throws {
        let member = rng.pick(members)
        let month = rng.pick(Self.months)
        let day = month.firstDay.adding(days: rng.int(in: 0...27))
        lastAction = "check in \(member.name) on \(day) on store \(s)"
        _ = try stores[s].checkIn([member.id], day: day)
    }

    private mutating func grant(_ s: Int) throws {
        let month = rng.pick(Self.months)
        let top = rng.int(in: 1...4)
        let gift = rng.pick(Self.gifts)
        let points = rng.chance(50) ? rng.int(in: 0...100) : nil
        lastAction = "grant \(month) top \(top) on store \(s)"
        let before = try stores[s].exportText()
        let first = try stores[s].grantRewards(month: month, top: top, gift: gift, points: points)
        let between = try stores[s].exportText()
        let again = try stores[s].grantRewards(month: month, top: top, gift: rng.pick(Self.gifts))
        let after = try stores[s].exportText()
        if !again.changesNothing || after != between {
            fail("granting \(month) again on the same laptop changed something")
        }
        if first.changesNothing && before != between { fail("a grant that said it changed nothing wrote changes") }
        for line in first.lines where line.reward.id != Reward.id(month: month, member: line.entry.member.id, origin: .leaderboard) {
            fail("reward \(line.reward.id) does not have the id of (\(month), \(line.entry.member.id.prefix(8)), leaderboard)")
        }
    }

    private mutating func add(_ s: Int) throws {
        let member = rng.pick(members)
        let month = rng.pick(Self.months)
        lastAction = "add for \(member.name) in \(month) on store \(s)"
        _ = try stores[s].addReward(member: member.id, gift: rng.pick(Self.gifts), points: rng.chance(40) ? rng.int(in: 1...20) : nil,
                                    month: month, note: rng.chance(40) ? rng.pick(Self.notes) : nil)
    }

    private mutating func edit(_ s: Int) throws {
        guard let id = pickReward() else { return }
        lastAction = "edit \(id.prefix(8)) on store \(s)"
        switch rng.below(3) {
        case 0: _ = try stores[s].editReward(id, gift: rng.pick(Self.gifts))
        case 1: _ = try stores[s].editReward(id, points: rng.int(in: 0...100))
        default: _ = try stores[s].editReward(id, note: rng.chance(30) ? "" : rng.pick(Self.notes))
        }
    }

    private mutating func markSent(_ s: Int) throws {
        guard let id = pickReward() else { return }
        lastAction = "sent \(id.prefix(8)) on store \(s)"
        let marked = try stores[s].markRewardsSent([id])
        sentSomewhere.insert(id)
        if !marked[0].reward.isSent { fail("reward \(id.prefix(8)) is not sent right after it was marked") }
    }

    private mutating func removeOrRestore(_ s: Int) throws {
        guard let id = pickReward() else { return }
        if rng.chance(60) {
            lastAction = "rm \(id.prefix(8)) on store \(s)"
            try stores[s].remove(Reward.self, id)
        } else {
            lastAction = "restore \(id.prefix(8)) on store \(s)"
            try stores[s].restore(Reward.self, id)
        }
    }

    /// Part of what one store lacks, delivered badly (`PartialExchange`).
    private mutating func partialExchange() throws {
        let exchange = try PartialExchange(stores, rng: &rng, shape: PartialExchange.Shape())
        lastAction = exchange.description
        if exchange.held > 0 { fail("a change within the skew bound was held: \(exchange)") }
        exchanges += 1
    }

    mutating func checkConverged() throws {
        lastAction = "full exchange"
        try exchangeAll(stores)
        var everything = RewardFilter()
        everything.includeDeleted = true
        let export = try stores[0].exportText()
        let rewards = try stores[0].rewards(everything)
        let live = try stores[0].rewards()
        for (index, store) in stores.enumerated().dropFirst() {
            if try store.exportText() != export { fail("export of store \(index) differs from store 0") }
            let theirs = try store.rewards(everything)
            if theirs != rewards {
                let byID = Dictionary(uniqueKeysWithValues: theirs.map { ($0.id, $0) })
                let differing = rewards.filter { byID[$0.id] != $0 }.prefix(3).map { "\n  store \(index): \(byID[$0.id].map { "\($0)" } ?? "missing")\n  store 0: \($0)" }
                fail("rewards of store \(index) differ from store 0 (\(theirs.count) vs \(rewards.count))\(differing.joined())")
            }
            if try store.rewards() != live { fail("live reward list of store \(index) differs") }
        }
        var seen: Set<String> = []
        for reward in rewards {
            guard let month = ReportMonth(reward.month), let origin = reward.origin else {
                fail("reward \(reward.id) without a month or kind: \(reward)"); continue
            }
            let key = "\(reward.month) \(reward.member) \(origin.rawValue)"
            if !seen.insert(key).inserted { fail("two rewards for (\(key))") }
            if reward.id != Reward.id(month: month, member: reward.member, origin: origin) {
                fail("reward \(reward.id) does not have the id of (\(key))")
            }
        }
        for id in sentSomewhere {
            for (index, store) in stores.enumerated() where (try? store.reward(id, includeDeleted: true))?.isSent != true {
                fail("reward \(id.prefix(8)) was marked sent but is not sent on store \(index)")
            }
        }
        // Granting on every laptop after the sync agrees and changes nothing more than one did.
        for month in Self.months {
            let grants = try stores.map { try $0.grantRewards(month: month, top: 3, gift: "书一本", dryRun: true) }
            if Set(grants.map { $0.lines.map(\.reward.id) }).count != 1 { fail("converged laptops grant \(month) to different members") }
        }
        print("seed \(seed): \(rewards.count) rewards (\(rewards.filter(\.isSent).count) sent, \(rewards.filter(\.deleted).count) deleted), \(exchanges) partial exchanges, \(refusals) refusals")
    }
}
