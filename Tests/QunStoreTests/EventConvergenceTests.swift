import Foundation
import QunCore
import QunStore
import QunStoreTestSupport
import XCTest

/// How teammates' concurrent edits of one event plan merge.
final class EventConvergenceTests: StoreTestCase {
    private func pair() throws -> (a: Store, b: Store, clockA: TestClock, clockB: TestClock, event: Event, member: Member) {
        let clockA = TestClock()
        let clockB = TestClock()
        let stores = try makeTeam(["林晓", "王芳"], clocks: [clockA, clockB])
        let member = try stores[0].add("张三")
        var draft = EventDraft(title: "读书会线下见面")
        draft.start = "2026-12-12"
        let event = try stores[0].addEvent(draft)
        _ = try stores[0].changePeople(event.id, .signups, add: true, members: [member.id])
        try exchange(stores[0], stores[1])
        clockA.advance(by: 1000)
        clockB.advance(by: 1000)
        return (stores[0], stores[1], clockA, clockB, event, member)
    }

    private func assertConverged(_ stores: [Store], file: StaticString = #filePath, line: UInt = #line) throws {
        let first = try stores[0].exportText()
        for store in stores.dropFirst() {
            XCTAssertEqual(try store.exportText(), first, "exports differ", file: file, line: line)
            XCTAssertEqual(try store.events(), try stores[0].events(), "event listings differ", file: file, line: line)
        }
    }

    func testConcurrentSignupAndUnsignupTheSignupWins() throws {
        let (a, b, _, _, event, member) = try pair()
        _ = try a.changePeople(event.id, .signups, add: false, members: [member.id])
        // B, not having seen the unsignup, signs the member up (again): the intent to have
        // them is what add-wins keeps.
        let again = try b.changePeople(event.id, .signups, add: true, members: [member.id])
        XCTAssertEqual(again.unchanged, [member.id], "B is told they were already signed up")
        XCTAssertEqual(try a.event(event.id).signups, [])
        try exchange(a, b)
        XCTAssertEqual(try a.event(event.id).signups, [member.id], "add wins over a concurrent remove")
        try assertConverged([a, b])

        // The same for attendance, with the add first on the other side.
        _ = try a.changePeople(event.id, .attendance, add: true, members: [member.id])
        try exchange(a, b)
        _ = try b.changePeople(event.id, .attendance, add: false, members: [member.id])
        _ = try a.changePeople(event.id, .attendance, add: true, members: [member.id])
        try exchange(a, b)
        XCTAssertEqual(try b.event(event.id).attendance, [member.id])
        try assertConverged([a, b])

        // A remove that has seen every add does take the member off.
        _ = try b.changePeople(event.id, .attendance, add: false, members: [member.id])
        try exchange(a, b)
        XCTAssertEqual(try a.event(event.id).attendance, [])
    }

    func testConcurrentUnsignupAndFreshSignupAddWins() throws {
        let (a, b, _, _, event, member) = try pair()
        // B takes the member off and signs them up again (a fresh add A has not seen), while
        // A takes them off.
        _ = try b.changePeople(event.id, .signups, add: false, members: [member.id])
        _ = try b.changePeople(event.id, .signups, add: true, members: [member.id])
        _ = try a.changePeople(event.id, .signups, add: false, members: [member.id])
        try exchange(a, b)
        XCTAssertEqual(try a.event(event.id).signups, [member.id])
        try assertConverged([a, b])
    }

    func testConcurrentRetrospectiveLinesAreAllKept() throws {
        let (a, b, _, _, event, _) = try pair()
        for phase in [Event.Phase.prep, .live, .done] { try a.moveEvent(event.id, to: phase) }
        try exchange(a, b)
        _ = try a.review(event.id, lines: [(.achieved, "到场 46 人"), (.keep, "提前一周提醒")])
        _ = try b.review(event.id, lines: [(.achieved, "新人 12 位"), (.missed, "签到拥堵")], markReviewed: true)
        try exchange(a, b)
        let lines = try a.retrospective(event.id)
        XCTAssertEqual(Set(lines.map(\.text)), ["到场 46 人", "提前一周提醒", "新人 12 位", "签到拥堵"])
        XCTAssertEqual(Set(lines.map(\.operatorName)), ["林晓", "王芳"])
        XCTAssertEqual(lines.map(\.text), try b.retrospective(event.id).map(\.text), "same order everywhere")
        XCTAssertEqual(try a.event(event.id).phase, .reviewed)
        try assertConverged([a, b])
    }

    func testEditsToDifferentFieldsBothSurviveAndDeleteWins() throws {
        let (a, b, _, clockB, event, _) = try pair()
        var placeEdit = EventEdit()
        placeEdit.fields[.place] = "晓书馆"
        var targetEdit = EventEdit()
        targetEdit.fields[.target] = "60"
        _ = try a.editEvent(event.id, placeEdit)
        _ = try b.editEvent(event.id, targetEdit)
        try exchange(a, b)
        let merged = try a.event(event.id)
        XCTAssertEqual(merged.place, "晓书馆")
        XCTAssertEqual(merged.target, 60)

        try a.removeEvent(event.id)
        clockB.advance(by: 5000)
        var cityEdit = EventEdit()
        cityEdit.fields[.city] = "上海"
        _ = try b.editEvent(event.id, cityEdit)
        try exchange(a, b)
        XCTAssertEqual(try b.events().count, 0, "the delete wins over a concurrent edit")
        let restored = try b.restoreEvent(event.id)
        XCTAssertEqual(restored.city, "上海", "a restore brings the edit back")
        try exchange(a, b)
        try assertConverged([a, b])
    }

    func testConcurrentPhaseStepsConvergeToTheLaterOne() throws {
        let (a, b, clockA, _, event, _) = try pair()
        try a.moveEvent(event.id, to: .prep)
        try b.moveEvent(event.id, to: .prep)
        try exchange(a, b)
        clockA.advance(by: 5000)
        try a.moveEvent(event.id, to: .live)
        try b.moveEvent(event.id, to: .draft)
        try exchange(a, b)
        XCTAssertEqual(try a.event(event.id).phase, .live, "the later step wins (LWW register)")
        try assertConverged([a, b])
    }
}
