import Foundation
import QunCore
import QunStore
import XCTest

final class EventTests: StoreTestCase {
    private func draft(_ title: String = "读书会线下见面", start: String? = "2026-12-12T14:00", end: String? = "2026-12-12T17:00") -> EventDraft {
        var draft = EventDraft(title: title)
        draft.kind = "Offline"
        draft.place = "晓书馆 二楼"
        draft.city = "杭州"
        draft.start = start
        draft.end = end
        draft.purpose = "让线上书友见面"
        draft.target = "50"
        draft.rules = "实名报名"
        draft.rewards = "签到送书签"
        draft.budget = "3000"
        return draft
    }

    // MARK: add / edit

    func testAddKeepsEveryFieldAsDraft() throws {
        let store = try makeStore()
        let event = try store.addEvent(draft())
        XCTAssertTrue(RecordID.isValid(event.id))
        XCTAssertEqual(event.title, "读书会线下见面")
        XCTAssertEqual(event.kind, .offline, "kind is normalised to lower case")
        XCTAssertEqual(event.place, "晓书馆 二楼")
        XCTAssertEqual(event.city, "杭州")
        XCTAssertEqual(event.start, "2026-12-12T14:00")
        XCTAssertEqual(event.end, "2026-12-12T17:00")
        XCTAssertEqual(event.target, 50)
        XCTAssertEqual(event.budget, 3000)
        XCTAssertEqual(event.phase, .draft)
        XCTAssertEqual(event.signups, [])
        XCTAssertEqual(try store.event(event.id), event)
        XCTAssertEqual(try store.event("读书会线下见面"), event, "found by exact title")
        XCTAssertEqual(try store.event(String(event.id.prefix(6))), event, "found by id prefix")

        // The record contract: field names and value types other parts rely on.
        let export = try store.exportSection(.eventCollection)
        for fragment in ["\"title\":\"读书会线下见面\"", "\"kind\":\"offline\"", "\"start\":\"2026-12-12T14:00\"",
                         "\"target\":50", "\"budget\":3000", "\"city\":\"杭州\""] {
            XCTAssertTrue(export.contains(fragment), "\(fragment) missing in \(export)")
        }
        XCTAssertFalse(export.contains("\"phase\""), "a new plan has no phase field: absent means draft")
    }

    func testBadValuesAreRefusedAndChangeNothing() throws {
        let store = try makeStore()
        let before = try store.fingerprint()
        var bad = draft()
        bad.kind = "hybrid"
        XCTAssertThrowsError(try store.addEvent(bad))
        bad = draft(start: "2026-12-12T14:00", end: "2026-12-11")
        XCTAssertThrowsEventError(EventError.endBeforeStart(start: "2026-12-12T14:00", end: "2026-12-11")) { try store.addEvent(bad) }
        bad = draft(start: "2026-02-30")
        XCTAssertThrowsError(try store.addEvent(bad))
        bad = draft()
        bad.target = "-3"
        XCTAssertThrowsError(try store.addEvent(bad))
        bad = draft()
        bad.budget = "lots"
        XCTAssertThrowsError(try store.addEvent(bad))
        XCTAssertThrowsError(try store.addEvent(EventDraft(title: "   ")))
        XCTAssertEqual(try store.fingerprint(), before)
    }

    func testWholeDayEndOnTheStartDayIsAllowed() throws {
        let store = try makeStore()
        let event = try store.addEvent(draft(start: "2026-12-12T14:00", end: "2026-12-12"))
        XCTAssertEqual(event.end, "2026-12-12")
    }

    func testEditChangesOnlyGivenFieldsAndClears() throws {
        let store = try makeStore()
        let event = try store.addEvent(draft())
        var edit = EventEdit()
        edit.fields[.place] = ""
        edit.fields[.budget] = "1288.50"
        edit.fields[.title] = "读书会 第二期"
        let edited = try store.editEvent(event.id, edit)
        XCTAssertNil(edited.place)
        XCTAssertEqual(edited.budget, 1288.5)
        XCTAssertEqual(edited.title, "读书会 第二期")
        XCTAssertEqual(edited.city, "杭州")
        XCTAssertEqual(edited.start, event.start)

        var backwards = EventEdit()
        backwards.fields[.end] = "2026-12-01"
        let before = try store.fingerprint()
        XCTAssertThrowsError(try store.editEvent(event.id, backwards))
        var phase = EventEdit()
        phase.fields[.phase] = "live"
        XCTAssertThrowsError(try store.editEvent(event.id, phase), "the phase moves only through moveEvent")
        XCTAssertEqual(try store.fingerprint(), before)
    }

    /// Moving the start alone keeps the length; an end given with it is taken as given.
    func testMovingTheStartAloneMovesTheEndWithIt() throws {
        let store = try makeStore()
        let event = try store.addEvent(draft())
        var later = EventEdit()
        later.fields[.start] = "2026-12-19T15:30"
        let moved = try store.editEvent(event.id, later)
        XCTAssertEqual(moved.start, "2026-12-19T15:30")
        XCTAssertEqual(moved.end, "2026-12-19T18:30")

        var overnight = EventEdit()
        overnight.fields[.start] = "2026-12-31T22:00"
        XCTAssertEqual(try store.editEvent(event.id, overnight).end, "2027-01-01T01:00")

        var both = EventEdit()
        both.fields[.start] = "2026-12-20T09:00"
        both.fields[.end] = "2026-12-20T10:00"
        XCTAssertEqual(try store.editEvent(event.id, both).end, "2026-12-20T10:00")

        let days = try store.addEvent(draft("读书周", start: "2026-12-07", end: "2026-12-13"))
        var nextWeek = EventEdit()
        nextWeek.fields[.start] = "2026-12-14T10:00"
        XCTAssertEqual(try store.editEvent(days.id, nextWeek).end, "2026-12-20")
    }

    func testAmbiguousTitleListsCandidates() throws {
        let store = try makeStore()
        _ = try store.addEvent(draft("周末读书会", start: "2026-12-05"))
        _ = try store.addEvent(draft("周末读书会", start: "2026-12-12"))
        do {
            _ = try store.event("周末读书会")
            XCTFail("expected ambiguity")
        } catch let error as StoreError {
            guard case .ambiguous("event", _, let candidates) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(candidates.count, 2)
            XCTAssertTrue(error.description.contains("2026-12-05") && error.description.contains("2026-12-12"), error.description)
        }
        XCTAssertThrowsError(try store.event("没有这个活动")) { error in
            XCTAssertEqual(error as? StoreError, .notFound(collection: "event", reference: "没有这个活动"))
        }
    }

    // MARK: phase

    func testPhaseMovesOneStepForwardOrBack() throws {
        let store = try makeStore()
        let event = try store.addEvent(draft())
        XCTAssertEqual(try store.moveEvent(event.id, to: .prep).event.phase, .prep)
        XCTAssertEqual(try store.moveEvent(event.id, to: .live).event.phase, .live)
        XCTAssertEqual(try store.moveEvent(event.id, to: .prep).event.phase, .prep, "one step back corrects a mistake")
        let same = try store.moveEvent(event.id, to: .prep)
        XCTAssertFalse(same.changed)
        XCTAssertEqual(try store.moveEvent(event.id, to: .live).event.phase, .live)
        XCTAssertEqual(try store.moveEvent(event.id, to: .done).event.phase, .done)
        XCTAssertEqual(try store.moveEvent(event.id, to: .reviewed).event.phase, .reviewed)
    }

    func testPhaseJumpsAreRefusedAndChangeNothing() throws {
        let store = try makeStore()
        let event = try store.addEvent(draft())
        let before = try store.fingerprint()
        XCTAssertThrowsError(try store.moveEvent(event.id, to: .live)) { error in
            XCTAssertEqual(error as? EventError, .phaseJump(id: event.id, from: .draft, to: .live))
            XCTAssertTrue("\(error)".contains("only to prep"), "\(error)")
        }
        XCTAssertThrowsError(try store.moveEvent(event.id, to: .reviewed))
        XCTAssertEqual(try store.fingerprint(), before)
        try store.moveEvent(event.id, to: .prep)
        try store.moveEvent(event.id, to: .live)
        XCTAssertThrowsError(try store.moveEvent(event.id, to: .draft)) { error in
            XCTAssertTrue("\(error)".contains("done or prep"), "names the allowed phases: \(error)")
        }
        XCTAssertEqual(try store.event(event.id).phase, .live)
    }

    // MARK: rm / restore

    func testRemoveAndRestoreKeepFieldsAndPeople() throws {
        let store = try makeStore()
        let member = try store.add("张三")
        let event = try store.addEvent(draft())
        _ = try store.changePeople(event.id, .signups, add: true, members: ["张三"])
        try store.removeEvent(event.id)
        XCTAssertEqual(try store.events().count, 0)
        XCTAssertThrowsError(try store.event(event.id)) { error in
            XCTAssertEqual(error as? StoreError, .deleted(collection: "event", id: event.id))
        }
        XCTAssertThrowsError(try store.removeEvent(event.id), "deleting twice is refused")
        var all = EventFilter()
        all.includeDeleted = true
        XCTAssertEqual(try store.events(all).map(\.deleted), [true])
        let restored = try store.restoreEvent(event.id)
        XCTAssertEqual(restored.signups, [member.id])
        XCTAssertEqual(restored.title, event.title)
        XCTAssertThrowsError(try store.restoreEvent(event.id)) { error in
            XCTAssertEqual(error as? StoreError, .notDeleted(collection: "event", id: event.id))
        }
    }

    // MARK: sign-ups and attendance

    func testSignupAttendAndWalkIns() throws {
        let store = try makeStore()
        let zhang = try store.add("张三")
        let li = try store.add("李四")
        let wang = try store.add("王五")
        let event = try store.addEvent(draft())
        let signed = try store.changePeople(event.id, .signups, add: true, members: ["张三", li.number!, "张三"])
        XCTAssertEqual(Set(signed.event.signups), [zhang.id, li.id])
        XCTAssertEqual(signed.members, [zhang.id, li.id], "duplicates dropped")
        let came = try store.changePeople(event.id, .attendance, add: true, members: ["张三", "王五"])
        XCTAssertEqual(came.withoutSignup, [wang.id], "王五 came without signing up")
        XCTAssertEqual(Set(came.event.attendance), [zhang.id, wang.id])
        XCTAssertEqual(came.event.walkIns, [wang.id])
        let again = try store.changePeople(event.id, .signups, add: true, members: ["张三"])
        XCTAssertEqual(again.unchanged, [zhang.id])
        let off = try store.changePeople(event.id, .signups, add: false, members: ["李四"])
        XCTAssertEqual(off.event.signups, [zhang.id])
        let offAttendance = try store.changePeople(event.id, .attendance, add: false, members: ["王五"])
        XCTAssertEqual(offAttendance.event.attendance, [zhang.id])
        XCTAssertThrowsError(try store.changePeople(event.id, .signups, add: true, members: ["没这人"]))
    }

    func testDeletedMembersStayInTheSetButAreNotCounted() throws {
        let store = try makeStore()
        let zhang = try store.add("张三")
        let li = try store.add("李四")
        let event = try store.addEvent(draft())
        _ = try store.changePeople(event.id, .signups, add: true, members: ["张三", "李四"])
        try store.removeMember(li.id)
        XCTAssertEqual(try store.event(event.id).signups, [zhang.id], "shows and counts use live members")
        XCTAssertTrue(try store.exportSection(.eventCollection).contains(li.id), "the replicated set keeps the history")
        XCTAssertThrowsError(try store.changePeople(event.id, .signups, add: true, members: [li.id]), "a deleted member cannot sign up")
        try store.restoreMember(li.id)
        XCTAssertEqual(Set(try store.event(event.id).signups), [zhang.id, li.id], "a restored member counts again")
        try store.removeMember(li.id)
        _ = try store.changePeople(event.id, .signups, add: false, members: [li.id])
        try store.restoreMember(li.id)
        XCTAssertEqual(try store.event(event.id).signups, [zhang.id], "a deleted member can still be taken off")
    }

    // MARK: review

    func testReviewOnlyOnceDoneAndMayMarkReviewed() throws {
        let store = try makeStore()
        let event = try store.addEvent(draft())
        let before = try store.fingerprint()
        XCTAssertThrowsError(try store.review(event.id, lines: [(.achieved, "到场 46 人")])) { error in
            XCTAssertEqual(error as? EventError, .reviewTooEarly(id: event.id, phase: .draft))
        }
        XCTAssertEqual(try store.fingerprint(), before)
        for phase in [Event.Phase.prep, .live, .done] { try store.moveEvent(event.id, to: phase) }
        let reviewed = try store.review(event.id, lines: [(.achieved, "到场 46 人"), (.missed, "签到拥堵"), (.keep, "提前一周提醒"), (.keep, "群内接龙")])
        XCTAssertEqual(reviewed.phase, .done)
        XCTAssertEqual([reviewed.achievedCount, reviewed.missedCount, reviewed.keepCount], [1, 1, 2])
        let marked = try store.review(event.id, lines: [], markReviewed: true)
        XCTAssertEqual(marked.phase, .reviewed)
        _ = try store.review(event.id, lines: [(.missed, "茶歇不够")])
        let lines = try store.retrospective(event.id)
        XCTAssertEqual(lines.map(\.text), ["到场 46 人", "签到拥堵", "茶歇不够", "提前一周提醒", "群内接龙"])
        XCTAssertEqual(lines.map(\.section), [.achieved, .missed, .missed, .keep, .keep])
        XCTAssertEqual(lines.first?.operatorName, "林晓")
        XCTAssertThrowsError(try store.review(event.id, lines: [(.keep, "  ")]))
    }

    // MARK: list

    func testListFiltersAndOrder() throws {
        let store = try makeStore()
        let a = try store.addEvent(draft("杭州读书会", start: "2026-12-12"))
        var online = draft("线上共读 Reading", start: "2026-12-01T20:00", end: "2026-12-01T21:00")
        online.kind = "online"
        online.city = nil
        let b = try store.addEvent(online)
        var shanghai = draft("上海读书会", start: "2027-01-09", end: nil)
        shanghai.city = "上海"
        let c = try store.addEvent(shanghai)
        var undated = EventDraft(title: "未定的活动")
        undated.city = "杭州"
        let d = try store.addEvent(undated)
        try store.moveEvent(a.id, to: .prep)

        XCTAssertEqual(try store.events().map(\.id), [b.id, a.id, c.id, d.id], "by start, undated last")
        var filter = EventFilter()
        filter.phase = .prep
        XCTAssertEqual(try store.events(filter).map(\.id), [a.id])
        filter = EventFilter()
        filter.phase = .draft
        XCTAssertEqual(try store.events(filter).map(\.id), [b.id, c.id, d.id], "no phase means draft")
        filter = EventFilter()
        filter.kind = .online
        XCTAssertEqual(try store.events(filter).map(\.id), [b.id])
        filter = EventFilter()
        filter.city = "杭州"
        XCTAssertEqual(try store.events(filter).map(\.id), [a.id, d.id])
        filter = EventFilter()
        filter.after = CalendarDay("2026-12-02")
        filter.before = CalendarDay("2026-12-31")
        XCTAssertEqual(try store.events(filter).map(\.id), [a.id])
        filter = EventFilter()
        filter.before = CalendarDay("2026-12-01")
        XCTAssertEqual(try store.events(filter).map(\.id), [b.id], "a timed start on the day counts")
        filter = EventFilter()
        filter.words = ["reading"]
        XCTAssertEqual(try store.events(filter).map(\.id), [b.id], "case-insensitive title words")
        filter = EventFilter()
        filter.words = ["读书会"]
        XCTAssertEqual(try store.events(filter).map(\.id), [a.id, c.id])
    }
}

/// Asserts that `body` throws exactly `expected` (an `EventError`).
func XCTAssertThrowsEventError<T>(_ expected: EventError, file: StaticString = #filePath, line: UInt = #line, _ body: () throws -> T) {
    XCTAssertThrowsError(try body(), file: file, line: line) { error in
        XCTAssertEqual(error as? EventError, expected, file: file, line: line)
    }
}
