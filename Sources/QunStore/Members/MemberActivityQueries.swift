import GRDB
import QunCore

extension Store {
    /// A member's activity score at `day` (default today), with every contribution that makes
    /// it up. See `ActivityFormula` for the formula.
    public func activity(_ reference: String, at day: CalendarDay? = nil, formula: ActivityFormula = .standard) throws -> MemberActivity {
        let target = try member(reference, includeDeleted: true)
        let day = day ?? localToday()
        let attended = try events()
        let events = try database.read { db in
            try MemberActivityLedger.events(for: [target.id], attended: attended, db: db)
        }
        return MemberActivity(member: target, events: events[target.id] ?? [], reference: day, formula: formula)
    }
}
