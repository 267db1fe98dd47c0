import GRDB

/// Member composition against the healthy pyramid (社群金字塔): about 5% KOLs (意见领袖),
/// 20% core members (核心成员) and 75% ordinary members.
///
/// Counted: members that are not deleted and have not left (`status` left); quiet members
/// still belong to the community and count. Admins (管理人员) run the community rather than
/// make it up, so they are listed apart and left out of the shares.
public struct PyramidReport: Sendable, Equatable {
    /// How far a share may stray from its guide and still be "within": a quarter of the guide
    /// itself (KOL 3.75–6.25%, core 15–25%, member 56.25–93.75%). Relative rather than a fixed
    /// number of points, so that one KOL too few in a club of 40 is not the same alarm as 15
    /// ordinary members too few.
    public static let tolerance = 0.25

    /// The guide shares, top of the pyramid first.
    public static let guides: [(role: Member.Role, share: Double)] = [(.kol, 0.05), (.core, 0.20), (.member, 0.75)]

    public enum Verdict: String, Sendable {
        case below, within, above
    }

    public struct Level: Sendable, Equatable {
        public var role: Member.Role
        public var count: Int
        /// Of the non-admin members counted; 0 when there are none.
        public var share: Double
        public var guide: Double
        public var verdict: Verdict

        /// e.g. `KOL 2.0% below the 5% guide`.
        public var verdictText: String {
            let name = role == .kol ? "KOL" : role.rawValue
            let guideText = (guide * 100).rounded() == guide * 100 ? String(Int(guide * 100)) : String(guide * 100)
            return "\(name) \(PyramidReport.percent(share)) \(verdict.rawValue) the \(guideText)% guide"
        }
    }

    public var levels: [Level]
    /// Admins, not part of the shares.
    public var admins: Int
    /// Members with no role or a role this qun does not know: not part of the shares either.
    public var unclassified: Int
    /// The members the shares are of: KOL + core + member.
    public var total: Int

    /// A share as the report prints it: one decimal, `2.0%`.
    public static func percent(_ share: Double) -> String {
        let tenths = (share * 1000).rounded()
        return "\(Int(tenths) / 10).\(Int(tenths) % 10)%"
    }

    static func verdict(share: Double, guide: Double) -> Verdict {
        // Bounds are inclusive; the slack absorbs floating-point error in a share such as
        // 3/80 that is exactly on a bound.
        let slack = 1e-9
        if share < guide * (1 - tolerance) - slack { return .below }
        if share > guide * (1 + tolerance) + slack { return .above }
        return .within
    }
}

extension Store {
    /// The pyramid of the live community (see `PyramidReport`).
    public func pyramidReport() throws -> PyramidReport {
        let counts = try database.read { db -> [String: Int] in
            var counts: [String: Int] = [:]
            for row in try Row.fetchAll(db, sql: """
                SELECT coalesce(role, ''), count(*) FROM member
                WHERE deleted = 0 AND coalesce(status, '') != ? GROUP BY 1
                """, arguments: [Member.Status.left.rawValue]) {
                counts[row[0]] = row[1]
            }
            return counts
        }
        let total = PyramidReport.guides.reduce(0) { $0 + (counts[$1.role.rawValue] ?? 0) }
        let levels = PyramidReport.guides.map { role, guide -> PyramidReport.Level in
            let count = counts[role.rawValue] ?? 0
            let share = total == 0 ? 0 : Double(count) / Double(total)
            return PyramidReport.Level(role: role, count: count, share: share, guide: guide,
                                       verdict: PyramidReport.verdict(share: share, guide: guide))
        }
        let known = Set(Member.Role.allCases.map(\.rawValue))
        let unclassified = counts.filter { !known.contains($0.key) }.values.reduce(0, +)
        return PyramidReport(levels: levels, admins: counts[Member.Role.admin.rawValue] ?? 0,
                             unclassified: unclassified, total: total)
    }
}
