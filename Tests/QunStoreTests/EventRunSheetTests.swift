import Foundation
import QunCore
import QunStore
import XCTest

final class EventRunSheetTests: StoreTestCase {
    private func event(_ store: Store, start: String? = "2026-12-12T14:00") throws -> Event {
        var draft = EventDraft(title: "读书会线下见面")
        draft.start = start
        return try store.addEvent(draft)
    }

    private func line(_ title: String, due: String, owner: String? = "林") -> RunSheetDraft {
        var draft = RunSheetDraft(title: title, due: due)
        draft.owner = owner
        return draft
    }

    func testTasksAreBackScheduledFromTheStartDay() throws {
        let store = try makeStore()
        let plan = try event(store)
        let venue = try store.addRunSheetTask(plan.id, line("订场地", due: "-14d"))
        XCTAssertEqual(venue.due, "2026-11-28", "a day: the event's time of day is not copied")
        XCTAssertEqual(venue.offset, -14)
        XCTAssertEqual(venue.event, plan.id)
        XCTAssertEqual(venue.assignee, "林")
        XCTAssertEqual(venue.status, .todo)
        let reminder = try store.addRunSheetTask(plan.id, line("群内提醒", due: "-1dT18:00", owner: "王"))
        XCTAssertEqual(reminder.due, "2026-12-11T18:00")
        XCTAssertEqual(reminder.offset, -1)
        let weeks = try store.addRunSheetTask(plan.title, line("海报", due: "-2w"))
        XCTAssertEqual(weeks.due, "2026-11-28")
        let absolute = try store.addRunSheetTask(plan.id, line("复盘会", due: "2026-12-14"))
        XCTAssertEqual(absolute.offset, 2, "a date is turned into its offset")
        var tagged = line("买茶歇", due: "0d")
        tagged.priority = "H"
        tagged.tags = ["采购"]
        let snacks = try store.addRunSheetTask(plan.id, tagged)
        XCTAssertEqual(snacks.priority, .high)
        XCTAssertEqual(snacks.tags, ["采购"])
        XCTAssertEqual(snacks.due, "2026-12-12")

        // By due, then title (UTF-8 order: 海 before 订).
        XCTAssertEqual(try store.runSheet(plan.id).map(\.title), ["海报", "订场地", "群内提醒", "买茶歇", "复盘会"])
        let export = try store.exportSection(.taskCollection)
        XCTAssertTrue(export.contains("\"offset\":-14"), export)
        XCTAssertTrue(export.contains("\"event\":\"\(plan.id)\""), export)
    }

    func testAnEventWithoutStartRefusesARunSheetAndChangesNothing() throws {
        let store = try makeStore()
        let plan = try event(store, start: nil)
        let before = try store.fingerprint()
        XCTAssertThrowsError(try store.addRunSheetTask(plan.id, line("订场地", due: "-7d"))) { error in
            XCTAssertEqual(error as? EventError, .noStart(id: plan.id, purpose: "the run-sheet is scheduled from it"))
        }
        XCTAssertThrowsError(try store.addRunSheetTask(plan.id, line("订场地", due: "someday")))
        XCTAssertEqual(try store.fingerprint(), before)
    }

    func testMovingTheEventMovesOnlyUnfinishedTasks() throws {
        let store = try makeStore()
        let plan = try event(store)
        let venue = try store.addRunSheetTask(plan.id, line("订场地", due: "-14d"))
        let reminder = try store.addRunSheetTask(plan.id, line("群内提醒", due: "-1dT18:00"))
        let poster = try store.addRunSheetTask(plan.id, line("海报", due: "-7d"))
        let budget = try store.addRunSheetTask(plan.id, line("申请预算", due: "-10d"))
        let removed = try store.addRunSheetTask(plan.id, line("废弃的任务", due: "-3d"))
        try store.setTaskStatus(poster.id, .done)
        try store.setTaskStatus(budget.id, .dropped)
        try store.setTaskStatus(reminder.id, .doing)
        try store.removeTask(removed.id)
        let unrelated = try store.addTask(TaskDraft(title: "早安帖", due: "2026-11-30"))

        var edit = EventEdit()
        edit.fields[.start] = "2026-12-19T14:00"
        let moved = try store.editEvent(plan.id, edit)
        XCTAssertEqual(moved.start, "2026-12-19T14:00")
        XCTAssertEqual(try store.task(venue.id).due, "2026-12-05", "undone: moved by a week")
        XCTAssertEqual(try store.task(reminder.id).due, "2026-12-18T18:00", "doing is unfinished: moved, time kept")
        XCTAssertEqual(try store.task(poster.id).due, "2026-12-05", "done: keeps the day it was due")
        XCTAssertEqual(try store.task(budget.id).due, "2026-12-02", "dropped: unchanged")
        XCTAssertEqual(try store.task(removed.id, includeDeleted: true).due, "2026-12-16",
                       "deleted: still follows the event, so a restore puts it back on schedule")
        XCTAssertEqual(try store.task(unrelated.id).due, "2026-11-30")

        // One command: undoing the move takes the task dates back with it.
        _ = try store.undoLastCommand()
        XCTAssertEqual(try store.event(plan.id).start, "2026-12-12T14:00")
        XCTAssertEqual(try store.task(venue.id).due, "2026-11-28")
        XCTAssertEqual(try store.task(reminder.id).due, "2026-12-11T18:00")
    }

    func testATeammateSeesTheMovedRunSheet() throws {
        let stores = try makeTeam(["林晓", "王芳"])
        let (a, b) = (stores[0], stores[1])
        let plan = try event(a)
        let venue = try a.addRunSheetTask(plan.id, line("订场地", due: "-14d"))
        try exchange(a, b)
        var edit = EventEdit()
        edit.fields[.start] = "2026-12-26"
        try b.editEvent(plan.id, edit)
        try exchange(a, b)
        XCTAssertEqual(try a.task(venue.id).due, "2026-12-12")
        XCTAssertEqual(try a.exportText(), try b.exportText())
    }

    func testATaskWithoutItsOwnDueFollowsTheEventOnEveryLaptop() throws {
        let stores = try makeTeam(["林晓", "王芳"])
        let (a, b) = (stores[0], stores[1])
        let plan = try event(a)
        // Linked by offset only: the task table derives the due from the event's start.
        let linked = try a.addTask(TaskDraft(title: "物料清点", event: plan.id, offset: -3))
        XCTAssertEqual(linked.due, "2026-12-09")
        try exchange(a, b)
        var edit = EventEdit()
        edit.fields[.start] = "2026-12-20"
        try b.editEvent(plan.id, edit)
        XCTAssertEqual(try b.task(linked.id).due, "2026-12-17", "refreshed when the event moved here")
        try exchange(a, b)
        XCTAssertEqual(try a.task(linked.id).due, "2026-12-17", "refreshed when the move arrived")
    }

    /// A teammate adds a run-sheet task offline while the event is moved on another laptop:
    /// after the sync the task is on the moved schedule, on both laptops.
    func testATaskAddedWhileTheEventMovesElsewhereLandsOnTheMovedSchedule() throws {
        let stores = try makeTeam(["林晓", "王芳"])
        let (a, b) = (stores[0], stores[1])
        let plan = try event(a)
        try exchange(a, b)
        let poster = try a.addRunSheetTask(plan.id, line("海报", due: "-7d"))
        XCTAssertEqual(poster.due, "2026-12-05")
        var edit = EventEdit()
        edit.fields[.start] = "2026-12-19T14:00"
        try b.editEvent(plan.id, edit)
        try exchange(a, b)
        XCTAssertEqual(try a.task(poster.id).due, "2026-12-12")
        XCTAssertEqual(try b.task(poster.id).due, "2026-12-12")
        XCTAssertEqual(try a.exportText(), try b.exportText())
    }

    /// Done while a teammate moves the event: the task keeps the day it was due when it was
    /// done, on both laptops.
    func testATaskDoneWhileTheEventMovesKeepsItsDay() throws {
        let stores = try makeTeam(["林晓", "王芳"])
        let (a, b) = (stores[0], stores[1])
        let plan = try event(a)
        let venue = try a.addRunSheetTask(plan.id, line("订场地", due: "-14d"))
        try exchange(a, b)
        try a.setTaskStatus(venue.id, .done)
        var edit = EventEdit()
        edit.fields[.start] = "2026-12-19T14:00"
        try b.editEvent(plan.id, edit)
        try exchange(a, b)
        XCTAssertEqual(try a.task(venue.id).due, "2026-11-28")
        XCTAssertEqual(try b.task(venue.id).due, "2026-11-28")
        XCTAssertEqual(try a.exportText(), try b.exportText())
    }

    /// An offset no qun writes, from a peer with a bug or a hostile one, must not crash the
    /// apply path (day arithmetic would overflow): it is ignored.
    func testAnAbsurdOffsetFromAPeerIsIgnored() throws {
        let store = try makeStore()
        let plan = try event(store)
        try store.write { tx in
            try tx.set(.taskCollection, "00112233445566778899aabbccddeeff", "title", .text("坏数据"))
            try tx.set(.taskCollection, "00112233445566778899aabbccddeeff", "event", .text(plan.id))
            try tx.set(.taskCollection, "00112233445566778899aabbccddeeff", "offset", .int(Int64.max))
        }
        let task = try store.task("00112233445566778899aabbccddeeff")
        XCTAssertNil(task.offset)
        XCTAssertNil(task.due)
        var edit = EventEdit()
        edit.fields[.start] = "2026-12-19"
        XCTAssertNoThrow(try store.editEvent(plan.id, edit))
    }
}

