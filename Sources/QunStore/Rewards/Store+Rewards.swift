import GRDB
import QunCore

extension Store {
    /// Records a reward for each winner of `month`'s leaderboard — the same figures as
    /// `leaderboardReport(month:top:today:)` — with `gift` (and `points`).
    ///
    /// Members tied with the last place are all included: cutting between equal scores would
    /// let the member number decide who gets a gift. A winner that has this month's
    /// leaderboard reward already keeps it as it is, so granting again changes nothing; a
    /// deleted one stays deleted. The ids come from (month, member, kind), so two laptops
    /// granting the same month offline hold one reward per member after they sync.
    ///
    /// - Parameter today: the day after which nothing counts yet (default: today).
    public func grantRewards(month: ReportMonth, top: Int, gift: String, points: Int? = nil, dryRun: Bool = false,
                             today: CalendarDay? = nil) throws -> RewardGrant {
        guard top > 0 else { throw StoreError.invalidValue(field: "top", value: String(top), expected: "a positive number") }
        let gift = try RewardValidation.gift(gift)
        let points = try points.map(RewardValidation.points)
        let report = try leaderboardReport(month: month, top: Int.max, today: today)
        let winners = RewardValidation.winners(report.entries, top: top)
        func planned(_ entry: LeaderboardReport.Entry, _ db: Database) throws -> RewardGrant.Line {
            let id = Reward.id(month: month, member: entry.member.id, origin: .leaderboard)
            if let existing = try Reward.storage.fetch(db, RecordCondition(["uid = ?"], [id])).first {
                return RewardGrant.Line(entry: entry, reward: existing, outcome: existing.deleted ? .removed : .alreadyGranted)
            }
            let reward = Reward(id: id, member: entry.member.id, month: month.description, origin: .leaderboard, gift: gift,
                                points: points, note: nil, rank: entry.rank, score: entry.score, sent: nil, deleted: false)
            return RewardGrant.Line(entry: entry, reward: reward, outcome: .granted)
        }
        var lines = try database.read { db in try winners.map { try planned($0, db) } }
        if !dryRun && lines.contains(where: { $0.outcome == .granted }) {
            lines = try write { tx in
                try winners.map { entry in
                    let line = try planned(entry, tx.db)
                    if line.outcome == .granted { try tx.writeReward(line.reward) }
                    return line
                }
            }
            let ids = lines.map(\.reward.id)
            let stored = Dictionary(uniqueKeysWithValues: try records(Reward.self, RewardFilter(month: month)).map { ($0.id, $0) })
            for index in lines.indices { lines[index].reward = stored[ids[index]] ?? lines[index].reward }
        }
        return RewardGrant(month: month, top: top, lines: lines, scored: report.scored, dryRun: dryRun)
    }

    /// Records a reward for one member, picked by hand, for `month` (default: this month).
    ///
    /// A member has at most one hand-added reward a month: its id comes from (month, member,
    /// kind), like a leaderboard reward's. Adding again for the same member and month gives
    /// that reward the new gift (the later text wins, on this laptop and after a sync), so two
    /// laptops adding the same reward offline never hand out two gifts. It is a separate
    /// reward from the member's leaderboard one.
    public func addReward(member reference: String, gift: String, points: Int? = nil, month: ReportMonth? = nil,
                          note: String? = nil) throws -> (reward: Reward, outcome: RewardAddition) {
        let gift = try RewardValidation.gift(gift)
        let points = try points.map(RewardValidation.points)
        let note = try note.map(RewardValidation.note)
        let month = month ?? ReportMonth(localToday())
        let (id, outcome) = try write { tx -> (String, RewardAddition) in
            let member = try tx.resolve(Member.self, reference)
            let id = Reward.id(month: month, member: member.uid, origin: .manual)
            let reward = Reward(id: id, member: member.uid, month: month.description, origin: .manual, gift: gift,
                                points: points, note: note, rank: nil, score: nil, sent: nil, deleted: false)
            guard let existing = try Reward.storage.fetch(tx.db, RecordCondition(["uid = ?"], [id])).first else {
                try tx.writeReward(reward)
                return (id, .added)
            }
            if existing.deleted {
                try tx.restore(.rewardCollection, id)
            } else if existing.gift == gift && (points == nil || existing.points == points) && (note == nil || existing.note == note) {
                return (id, .unchanged)
            }
            try tx.set(.rewardCollection, id, Reward.Field.gift.rawValue, .text(gift))
            if let points { try tx.set(.rewardCollection, id, Reward.Field.points.rawValue, .int(Int64(points))) }
            if let note { try tx.set(.rewardCollection, id, Reward.Field.note.rawValue, .text(note)) }
            return (id, existing.deleted ? .restored : .updated)
        }
        return (try reward(id), outcome)
    }

    /// Changes a reward's gift, points or note (an empty note clears it). Concurrent edits:
    /// the later one wins, field by field; none of them touches whether it was sent.
    public func editReward(_ reference: String, gift: String? = nil, points: Int? = nil, note: String? = nil) throws -> Reward {
        guard gift != nil || points != nil || note != nil else { throw StoreError.emptyEdit(what: "reward") }
        let gift = try gift.map(RewardValidation.gift)
        let points = try points.map(RewardValidation.points)
        let note = try note.map { $0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? "" : try RewardValidation.note($0) }
        let id = try write { tx -> String in
            let target = try tx.resolve(Reward.self, reference)
            if let gift { try tx.set(.rewardCollection, target.uid, Reward.Field.gift.rawValue, .text(gift)) }
            if let points { try tx.set(.rewardCollection, target.uid, Reward.Field.points.rawValue, .int(Int64(points))) }
            if let note { try tx.set(.rewardCollection, target.uid, Reward.Field.note.rawValue, note.isEmpty ? .null : .text(note)) }
            return target.uid
        }
        return try reward(id)
    }

    /// Marks gifts as given, on `day` (default today), all in one transaction. A reward marked
    /// already is left as it is (its first mark is the one shown). The mark is an entry of the
    /// reward's append-only `sent` log, so no grant or edit, here or on another laptop, can
    /// take it back.
    ///
    /// - Returns: each reward with whether it had been marked before.
    public func markRewardsSent(_ references: [String], day: CalendarDay? = nil) throws -> [(reward: Reward, already: Bool)] {
        guard !references.isEmpty else { throw StoreError.missingValue(field: "reward") }
        let today = localToday()
        let day = day ?? today
        if day > today {
            throw StoreError.invalidValue(field: "date", value: day.description, expected: "today (\(today)) or an earlier day: a gift is marked once given")
        }
        let marked = try write { tx -> [(String, Bool)] in
            var marked: [(String, Bool)] = []
            for reference in references {
                let target = try tx.resolve(Reward.self, reference)
                if marked.contains(where: { $0.0 == target.uid }) { continue }
                let already = try tx.stored(Reward.self, target.uid).isSent
                if !already { try tx.append(.rewardCollection, target.uid, Reward.sentField, day.description) }
                marked.append((target.uid, already))
            }
            return marked
        }
        return try marked.map { (try reward($0.0), $0.1) }
    }

    /// The reward a reference names (full id or a unique id prefix).
    public func reward(_ reference: String, includeDeleted: Bool = false) throws -> Reward {
        try record(Reward.self, reference, includeDeleted: includeDeleted)
    }

    /// Rewards matching `filter`: newest month first, the leaderboard's in rank order.
    public func rewards(_ filter: RewardFilter = RewardFilter()) throws -> [Reward] {
        try records(Reward.self, filter)
    }
}

extension WriteTransaction {
    /// Writes a new reward's fields.
    fileprivate func writeReward(_ reward: Reward) throws {
        let id = reward.id
        try set(.rewardCollection, id, Reward.Field.member.rawValue, .text(reward.member))
        try set(.rewardCollection, id, Reward.Field.month.rawValue, .text(reward.month))
        try set(.rewardCollection, id, Reward.Field.kind.rawValue, .text(reward.origin?.rawValue ?? Reward.Origin.manual.rawValue))
        try set(.rewardCollection, id, Reward.Field.gift.rawValue, .text(reward.gift))
        if let points = reward.points { try set(.rewardCollection, id, Reward.Field.points.rawValue, .int(Int64(points))) }
        if let note = reward.note { try set(.rewardCollection, id, Reward.Field.note.rawValue, .text(note)) }
        if let rank = reward.rank { try set(.rewardCollection, id, Reward.Field.rank.rawValue, .int(Int64(rank))) }
        if let score = reward.score { try set(.rewardCollection, id, Reward.Field.score.rawValue, .real(score)) }
    }
}

/// Checks what an operator gives for a reward, and where the leaderboard is cut.
enum RewardValidation {
    static func gift(_ raw: String) throws -> String {
        let gift = try RecordText.line(raw, field: "gift")
        guard !gift.contains(where: \.isNewline) else { throw StoreError.invalidValue(field: "gift", value: gift, expected: "one line") }
        return gift
    }

    static func points(_ points: Int) throws -> Int {
        guard (0...1_000_000).contains(points) else {
            throw StoreError.invalidValue(field: "points", value: String(points), expected: "a whole number from 0 to 1000000")
        }
        return points
    }

    static func note(_ raw: String) throws -> String {
        let note = try RecordText.line(raw, field: "note", limit: 500)
        guard !note.contains(where: \.isNewline) else { throw StoreError.invalidValue(field: "note", value: String(note.prefix(20)), expected: "one line") }
        return note
    }

    /// The first `top` entries and every later one tied with the last of them, members of
    /// equal scores sharing the place of the first of them (two tied for third are both
    /// third, not third and fourth). Scores of equal contributions are equal on every laptop;
    /// the tolerance only absorbs the rounding of sums added up in another order.
    static func winners(_ entries: [LeaderboardReport.Entry], top: Int) -> [LeaderboardReport.Entry] {
        func tied(_ a: Double, _ b: Double) -> Bool { abs(a - b) < 1e-9 }
        var chosen = Array(entries.prefix(top))
        if let last = chosen.last?.score {
            chosen += entries.dropFirst(top).prefix { tied($0.score, last) }
        }
        for index in chosen.indices.dropFirst() where tied(chosen[index].score, chosen[index - 1].score) {
            chosen[index].rank = chosen[index - 1].rank
        }
        return chosen
    }
}
