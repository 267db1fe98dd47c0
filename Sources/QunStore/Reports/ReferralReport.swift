import GRDB

/// Who brought whom (裂变): the `referrer` field followed upwards.
///
/// A member's chain depth is how many referrals lead to them: 0 for a member nobody
/// referred, 1 for a member referred by someone nobody referred, and so on. Chains deeper
/// than `warningDepth` are flagged: in a paid or gated community a long fission chain is
/// where the gate leaks (members admitted on the word of members admitted on the word of …).
///
/// Chains are followed through deleted members too (their referrals still happened), but
/// only live members are counted and listed. A cycle (two laptops each set the other as
/// referrer, concurrently) is cut where it closes: the chain starts at the last member
/// reached before one would repeat.
public struct ReferralReport: Sendable, Equatable {
    public static let warningDepth = 2

    public struct Referrer: Sendable, Equatable {
        public var member: Member
        /// Live members whose `referrer` is this member.
        public var direct: Int
    }

    public struct Referred: Sendable, Equatable {
        public var member: Member
        public var depth: Int
        /// Member ids from the chain's start (nobody referred them) down to the member itself.
        public var chain: [String]
    }

    /// Members who referred at least one live member; most referrals first, then by number.
    public var referrers: [Referrer]
    /// Every live member with a referrer, deepest chain first, then by number.
    public var referred: [Referred]
    /// The referred members whose chain is deeper than `warningDepth`.
    public var warnings: [Referred] { referred.filter { $0.depth > ReferralReport.warningDepth } }
    /// Names of every member a chain mentions (live or deleted), by id.
    public var names: [String: String]
}

extension Store {
    public func referralReport() throws -> ReferralReport {
        var everyone = MemberFilter()
        everyone.includeDeleted = true
        let all = try members(everyone)
        let byID = Dictionary(all.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let live = all.filter { !$0.deleted }

        func chain(of member: Member) -> [String] {
            var path = [member.id]
            var seen: Set<String> = [member.id]
            var current = member
            while let up = current.referrer, !seen.contains(up) {
                path.append(up)
                seen.insert(up)
                guard let next = byID[up] else { break }
                current = next
            }
            return path.reversed()
        }
        func byNumber(_ a: Member, _ b: Member) -> Bool {
            if let order = LeaderboardReport.numberPrecedes(a.number, b.number) { return order }
            if a.name != b.name { return a.name.utf8.lexicographicallyPrecedes(b.name.utf8) }
            return a.id < b.id
        }

        var direct: [String: Int] = [:]
        var referred: [ReferralReport.Referred] = []
        for member in live where member.referrer != nil {
            direct[member.referrer!, default: 0] += 1
            let path = chain(of: member)
            referred.append(ReferralReport.Referred(member: member, depth: path.count - 1, chain: path))
        }
        referred.sort { a, b in a.depth != b.depth ? a.depth > b.depth : byNumber(a.member, b.member) }
        var referrers = direct.compactMap { id, count in
            byID[id].map { ReferralReport.Referrer(member: $0, direct: count) }
        }
        referrers.sort { a, b in a.direct != b.direct ? a.direct > b.direct : byNumber(a.member, b.member) }
        var names: [String: String] = [:]
        for item in referred {
            for id in item.chain { names[id] = byID[id]?.name ?? "?" }
        }
        return ReferralReport(referrers: referrers, referred: referred, names: names)
    }
}
