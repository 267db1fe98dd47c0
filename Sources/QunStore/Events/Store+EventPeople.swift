import GRDB
import QunCore

/// What a sign-up or attendance command did.
public struct PeopleChange: Sendable, Equatable {
    public var event: Event
    /// The members named, as ids, in the order given (duplicates dropped).
    public var members: [String]
    /// Of those, the ones that were already in (adding) or not in (removing) the set, as
    /// this laptop saw it.
    public var unchanged: [String]
    /// When marking attendance: members who came without having signed up. Not an error
    /// (walk-ins happen) but worth telling the operator, since the numbers against the
    /// target then differ.
    public var withoutSignup: [String]
}

extension Store {
    /// Adds members to, or removes them from, an event's sign-ups or attendance.
    ///
    /// Both are add-wins sets: a teammate's concurrent sign-up of a member survives an
    /// un-sign-up made here. Adding needs live members; removing also accepts deleted
    /// ones, so a mistaken entry can still be taken out after the member left.
    public func changePeople(_ reference: String, _ set: Event.PeopleSet, add: Bool, members references: [String]) throws -> PeopleChange {
        guard !references.isEmpty else { throw StoreError.missingValue(field: "member") }
        let (id, members, unchanged, withoutSignup) = try write { tx -> (String, [String], [String], [String]) in
            let target = try tx.resolve(Event.self, reference)
            let stored = try tx.rawPeople(target.uid)
            var members: [String] = []
            for reference in references {
                let member = try tx.resolve(Member.self, reference, includeDeleted: !add)
                if !members.contains(member.uid) { members.append(member.uid) }
            }
            var unchanged: [String] = []
            var withoutSignup: [String] = []
            for member in members {
                let present = stored[set, default: []].contains(member)
                if present == add { unchanged.append(member) }
                if add {
                    // Written even when present: the fresh add is what lets this sign-up
                    // survive a teammate's concurrent unsignup (add wins).
                    try tx.add(.eventCollection, target.uid, set.rawValue, member)
                    if set == .attendance && !stored[.signups, default: []].contains(member) { withoutSignup.append(member) }
                } else if present {
                    try tx.remove(.eventCollection, target.uid, set.rawValue, member)
                }
            }
            return (target.uid, members, unchanged, withoutSignup)
        }
        return PeopleChange(event: try event(id), members: members, unchanged: unchanged, withoutSignup: withoutSignup)
    }
}

extension WriteTransaction {
    /// Sign-ups and attendance of an event as stored, deleted members included.
    func rawPeople(_ uid: String) throws -> [Event.PeopleSet: Set<String>] {
        guard let row = try Row.fetchOne(db, sql: "SELECT signups, attendance FROM event WHERE uid = ?", arguments: [uid]) else { return [:] }
        return [.signups: Set(MemberTable.parseTags(row[0])), .attendance: Set(MemberTable.parseTags(row[1]))]
    }
}
