import Foundation
import QunCore
import QunStore
import QunStoreTestSupport
import XCTest

/// Tasks on a real store: every verb, filters, resolution and urgency order.
final class TaskTests: StoreTestCase {
    /// The day of `TestClock.start`.
    let today = CalendarDay(year: 2024, month: 3, day: 1)!

    private func store() throws -> (Store, TestClock) {
        let clock = TestClock()
        return (try makeStore(now: clock.closure), clock)
    }

    private func add(_ store: Store, _ title: String, _ configure: (inout TaskDraft) -> Void = { _ in }) throws -> TaskItem {
        var draft = TaskDraft(title: title)
        configure(&draft)
        return try store.addTask(draft, today: today)
    }

    func testAddStoresEveryFieldAndRoundTripsUnicode() throws {
        let (store, _) = try store()
        let task = try add(store, "发活动预告 📣") {
            $0.assignee = "林晓"
            $0.due = "2024-03-03T20:00"
            $0.priority = .high
            $0.tags = ["内容", "next", "内容"]
            $0.note = "先发群公告"
        }
        XCTAssertEqual(task.title, "发活动预告 📣")
        XCTAssertEqual(task.assignee, "林晓")
        XCTAssertEqual(task.due, "2024-03-03T20:00")
        XCTAssertEqual(task.status, .todo, "absent status reads as todo")
        XCTAssertEqual(task.priority, .high)
        XCTAssertEqual(task.tags, ["next", "内容"])
        XCTAssertEqual(task.notesCount, 1)
        XCTAssertEqual(task.created, TestClock.start)
        XCTAssertFalse(task.deleted)
        XCTAssertEqual(try store.task(task.id), task)
        let exported = try store.exportSection(.taskCollection)
        XCTAssertTrue(exported.contains("发活动预告 📣"), exported)
        XCTAssertFalse(exported.contains("\"status\""), "add writes no status: absent means todo")
    }

    func testBadInputIsRefusedAndChangesNothing() throws {
        let (store, _) = try store()
        let before = try store.exportText()
        XCTAssertThrowsStoreError(.missingValue(field: "title")) { try self.add(store, "  ") }
        XCTAssertThrowsError(try add(store, "x") { $0.due = "fri" }, "unresolved words are refused by the store")
        XCTAssertThrowsError(try add(store, "x") { $0.due = "2024-02-30" })
        XCTAssertThrowsError(try add(store, "x") { $0.until = "2024-04-01" }, "until without recur")
        XCTAssertThrowsError(try add(store, "x") { $0.recur = .daily; $0.due = "2024-03-05"; $0.until = "2024-03-01" }, "until before the first day")
        XCTAssertThrowsError(try add(store, "x") { $0.tags = ["two words"] })
        XCTAssertThrowsError(try add(store, "x") { $0.event = "zz" })
        XCTAssertEqual(try store.exportText(), before, "nothing was written")
        XCTAssertEqual(try store.tasks(.everything), [])
    }

    func testEditChangesOnlyTheGivenFields() throws {
        let (store, _) = try store()
        let task = try add(store, "写复盘") { $0.assignee = "林晓"; $0.due = "2024-03-05"; $0.tags = ["复盘"] }
        var edit = TaskEdit()
        edit.fields[.assignee] = "王芳"
        edit.fields[.priority] = "m"
        edit.addTags = ["紧急"]
        edit.removeTags = ["复盘"]
        let edited = try store.editTask(String(task.id.prefix(6)), edit)
        XCTAssertEqual(edited.assignee, "王芳")
        XCTAssertEqual(edited.priority, .medium)
        XCTAssertEqual(edited.due, "2024-03-05", "untouched")
        XCTAssertEqual(edited.title, "写复盘")
        XCTAssertEqual(edited.tags, ["紧急"])

        var clear = TaskEdit()
        clear.fields[.due] = ""
        XCTAssertNil(try store.editTask("写复盘", clear).due)

        var bad = TaskEdit()
        bad.fields[.title] = ""
        XCTAssertThrowsStoreError(.missingValue(field: "title")) { try store.editTask(task.id, bad) }
        bad.fields = [.template: "abcd"]
        XCTAssertThrowsError(try store.editTask(task.id, bad))
        XCTAssertThrowsError(try store.editTask(task.id, TaskEdit()), "an empty edit is refused")
    }

    func testStatusVerbsAndCompletedDay() throws {
        let (store, _) = try store()
        let task = try add(store, "招募志愿者")
        XCTAssertEqual(try store.setTaskStatus(task.id, .doing, today: today).status, .doing)
        let done = try store.setTaskStatus(task.id, .done, today: CalendarDay(year: 2024, month: 3, day: 2)!)
        XCTAssertEqual(done.status, .done)
        XCTAssertEqual(done.completed, "2024-03-02")
        let reopened = try store.setTaskStatus(task.id, .todo, today: today)
        XCTAssertNil(reopened.completed, "reopening clears the completed day")
        XCTAssertEqual(try store.setTaskStatus(task.id, .dropped, today: today).status, .dropped)
    }

    func testRemoveRestoreAndAnnotations() throws {
        let (store, clock) = try store()
        let task = try add(store, "场地确认")
        try store.annotateTask(task.id, "联系了书店")
        clock.advance(by: 1000)
        try store.annotateTask(task.id, "周五回复")
        XCTAssertEqual(try store.taskNotes(task.id).map(\.text), ["联系了书店", "周五回复"])
        XCTAssertEqual(try store.taskNotes(task.id).first?.operatorName, "林晓")
        XCTAssertThrowsStoreError(.missingValue(field: "annotation")) { try store.annotateTask(task.id, " ") }

        let removed = try store.removeTask("场地确认")
        XCTAssertTrue(removed.deleted)
        XCTAssertEqual(try store.tasks(), [])
        XCTAssertThrowsStoreError(.deleted(collection: "task", id: task.id)) { try store.task(task.id) }
        XCTAssertThrowsStoreError(.deleted(collection: "task", id: task.id)) { try store.annotateTask("场地确认", "x") }
        let restored = try store.restoreTask(String(task.id.prefix(8)))
        XCTAssertFalse(restored.deleted)
        XCTAssertEqual(restored.notesCount, 2, "comes back with its annotations")
        XCTAssertThrowsStoreError(.notDeleted(collection: "task", id: task.id)) { try store.restoreTask(task.id) }
    }

    func testResolutionByPrefixAndTitle() throws {
        let (store, _) = try store()
        let a = try add(store, "发海报")
        _ = try add(store, "发海报")
        XCTAssertThrowsError(try store.task("发海报")) { error in
            XCTAssertTrue("\(error)".contains("ambiguous"), "\(error)")
        }
        XCTAssertEqual(try store.task(a.id).id, a.id)
        XCTAssertEqual(try store.task(String(a.id.prefix(12)).uppercased()).id, a.id)
        XCTAssertThrowsError(try store.task("没有")) { error in
            XCTAssertEqual(error as? StoreError, .notFound(collection: "task", reference: "没有"))
            XCTAssertTrue("\(error)".contains("exact title"), "says what a task is named by: \(error)")
        }
        XCTAssertThrowsError(try store.task("abc"), "three characters are not a prefix")
    }

    func testFilters() throws {
        let (store, _) = try store()
        let content = try add(store, "写推文 Weekly") { $0.assignee = "林晓"; $0.due = "2024-03-01T18:00"; $0.tags = ["内容"]; $0.priority = .high }
        let late = try add(store, "补发红包") { $0.assignee = "王芳"; $0.due = "2024-02-27"; $0.tags = ["福利"] }
        let later = try add(store, "订场地") { $0.assignee = "林晓"; $0.due = "2024-03-08" }
        let undated = try add(store, "整理群规") { $0.tags = ["内容", "规则"] }
        let closed = try add(store, "旧任务") { $0.due = "2024-02-01" }
        try store.setTaskStatus(closed.id, .done, today: today)

        func ids(_ configure: (inout TaskFilter) -> Void) throws -> [String] {
            var filter = TaskFilter()
            filter.today = today
            configure(&filter)
            return try store.tasks(filter).map(\.id)
        }
        XCTAssertEqual(try ids { _ in }, [late.id, content.id, later.id, undated.id], "open tasks by due, undated last")
        XCTAssertEqual(try ids { $0.assignee = "林晓" }, [content.id, later.id])
        XCTAssertEqual(try ids { $0.dueOn = today }, [content.id], "a timed due counts for its day")
        XCTAssertEqual(try ids { $0.dueBefore = today }, [late.id])
        XCTAssertEqual(try ids { $0.dueAfter = today }, [later.id])
        XCTAssertEqual(try ids { $0.overdue = true }, [late.id])
        XCTAssertEqual(try ids { $0.withTags = ["内容"] }, [content.id, undated.id])
        XCTAssertEqual(try ids { $0.withoutTags = ["内容"] }, [late.id, later.id])
        XCTAssertEqual(try ids { $0.priority = .high }, [content.id])
        XCTAssertEqual(try ids { $0.words = ["weekly"] }, [content.id], "title words, case-insensitive")
        XCTAssertEqual(try ids { $0.statuses = [.done] }, [closed.id])
        XCTAssertEqual(try ids { $0.includeClosed = true }.count, 5)
    }

    func testEventLinkAndOffsetDerivesDueFromTheEventStart() throws {
        let (store, _) = try store()
        let event = RecordID.random()
        try store.write { tx in
            try tx.set(.eventCollection, event, "title", .text("读书会线下场"))
            try tx.set(.eventCollection, event, "start", .text("2024-03-16T14:00"))
        }
        let task = try add(store, "发报名链接") { $0.event = String(event.prefix(6)); $0.offset = -7 }
        XCTAssertEqual(task.event, event, "a prefix is resolved to the event id")
        XCTAssertEqual(task.due, "2024-03-09")
        var filter = TaskFilter()
        filter.event = String(event.prefix(5))
        XCTAssertEqual(try store.tasks(filter).map(\.id), [task.id])
        // A task given by a run-sheet in the same transaction as its event.
        let other = RecordID.random()
        let id = try store.write { tx -> String in
            try tx.set(.eventCollection, other, "start", .text("2024-04-01"))
            return try tx.addTask(TaskDraft(title: "借投影仪", event: other, offset: -1))
        }
        XCTAssertEqual(try store.task(id).due, "2024-03-31")
    }

    func testUrgencyOrderOfNext() throws {
        let (store, _) = try store()
        let plain = try add(store, "普通")
        let low = try add(store, "低优先") { $0.priority = .low }
        let high = try add(store, "高优先") { $0.priority = .high }
        let overdue = try add(store, "逾期") { $0.due = "2024-02-20" }
        let soon = try add(store, "明天到期") { $0.due = "2024-03-02" }
        let far = try add(store, "下月") { $0.due = "2024-04-30" }
        let next = try add(store, "标了next") { $0.tags = ["next"] }
        let doing = try add(store, "进行中")
        try store.setTaskStatus(doing.id, .doing, today: today)
        let done = try add(store, "已完成") { $0.priority = .high; $0.tags = ["next"] }
        try store.setTaskStatus(done.id, .done, today: today)

        let ranked = try store.nextTasks(today: today)
        XCTAssertEqual(ranked.map(\.task.id), [next.id, overdue.id, soon.id, high.id, doing.id, far.id, low.id, plain.id])
        XCTAssertEqual(ranked.first?.urgency, 15)
        XCTAssertEqual(ranked.first { $0.task.id == overdue.id }?.urgency, 12, "a week or more overdue: full due weight")
        XCTAssertEqual(ranked.last?.urgency, 0)
        XCTAssertEqual(try store.nextTasks(today: today, limit: 2).map(\.task.id), [next.id, overdue.id])
        XCTAssertEqual(TaskUrgency.score(try store.task(done.id), today: today), 0, "closed tasks have nothing left to do")

        // Age adds up to 2 over a year; annotations count.
        let aYearOn = CalendarDay(year: 2025, month: 3, day: 1)!
        XCTAssertEqual(TaskUrgency.score(try store.task(plain.id), today: aYearOn), 2)
        try store.annotateTask(plain.id, "备注")
        XCTAssertEqual(TaskUrgency.score(try store.task(plain.id), today: today), 0.8)
    }
}
