import Foundation
import QunCore
import QunStore
import QunStoreTestSupport
import XCTest

/// Recurring tasks: deterministic instances, idempotent generation, inheritance from the
/// template, and laptops generating offline without duplicates or lost edits.
final class TaskRecurrenceTests: StoreTestCase {
    let first = CalendarDay(year: 2024, month: 3, day: 1)!

    private func day(_ offset: Int) -> CalendarDay { first.adding(days: offset) }

    private func template(_ store: Store, _ configure: (inout TaskDraft) -> Void = { _ in }) throws -> TaskItem {
        var draft = TaskDraft(title: "早安推送", assignee: "林晓", due: "2024-03-01T08:00", priority: .medium,
                              tags: ["例行"], recur: .daily)
        configure(&draft)
        return try store.addTask(draft, today: first)
    }

    private func instances(_ store: Store, of template: TaskItem) throws -> [TaskItem] {
        var filter = TaskFilter.everything
        filter.template = template.id
        return try store.tasks(filter)
    }

    func testOccurrenceDays() {
        let jan31 = CalendarDay(year: 2024, month: 1, day: 31)!
        XCTAssertEqual(TaskRecurrence.days(first: jan31, recur: .monthly, until: nil, today: CalendarDay(year: 2024, month: 4, day: 15)!).map(\.description),
                       ["2024-01-31", "2024-02-29", "2024-03-31", "2024-04-30"], "the 31st clamps to each month's end; next one ahead included")
        XCTAssertEqual(TaskRecurrence.days(first: first, recur: .weekly, until: nil, today: day(15)).map(\.description),
                       ["2024-03-01", "2024-03-08", "2024-03-15", "2024-03-22"])
        XCTAssertEqual(TaskRecurrence.days(first: first, recur: .daily, until: day(2), today: day(10)).map(\.description),
                       ["2024-03-01", "2024-03-02", "2024-03-03"], "none after until")
        XCTAssertEqual(TaskRecurrence.days(first: day(5), recur: .daily, until: nil, today: first).map(\.description),
                       ["2024-03-06"], "a template starting later has only its first day")
        let long = TaskRecurrence.days(first: first, recur: .daily, until: nil, today: day(400))
        XCTAssertEqual(long.count, TaskRecurrence.window)
        XCTAssertEqual(long.last, day(401))
    }

    func testInstanceIDIsDeterministic() {
        let id = TaskRecurrence.instanceID(template: "0123456789abcdef0123456789abcdef", day: first)
        XCTAssertEqual(id, TaskRecurrence.instanceID(template: "0123456789abcdef0123456789abcdef", day: first))
        XCTAssertTrue(RecordID.isValid(id))
        XCTAssertNotEqual(id, TaskRecurrence.instanceID(template: "0123456789abcdef0123456789abcdef", day: day(1)))
    }

    func testGenerationIsIdempotentAndInherits() throws {
        let store = try makeStore(now: TestClock().closure)
        let template = try template(store)
        XCTAssertEqual(try instances(store, of: template).count, 2, "adding makes the first day and the next one ahead")
        XCTAssertEqual(try store.generateTaskInstances(today: day(2)), 2, "up to today and the next one: days 2 and 3")
        let changes = try store.changes().count
        XCTAssertEqual(try store.generateTaskInstances(today: day(2)), 0)
        XCTAssertEqual(try store.changes().count, changes, "a second run writes nothing")
        let made = try instances(store, of: template)
        XCTAssertEqual(made.map(\.id), (0...3).map { TaskRecurrence.instanceID(template: template.id, day: day($0)) })
        XCTAssertEqual(made.map(\.due), ["2024-03-01T08:00", "2024-03-02T08:00", "2024-03-03T08:00", "2024-03-04T08:00"])
        for instance in made {
            XCTAssertEqual(instance.title, "早安推送")
            XCTAssertEqual(instance.assignee, "林晓")
            XCTAssertEqual(instance.priority, .medium)
            XCTAssertEqual(instance.tags, ["例行"])
            XCTAssertEqual(instance.template, template.id)
            XCTAssertNil(instance.recur)
        }
        // The default list shows instances, not the template.
        XCTAssertEqual(try store.tasks().map(\.id), made.map(\.id))
        var templates = TaskFilter()
        templates.recurAny = true
        XCTAssertEqual(try store.tasks(templates).map(\.id), [template.id])
    }

    func testARoutinesTitleNamesTodaysInstance() throws {
        let store = try makeStore(now: TestClock().closure)
        let template = try template(store)
        try store.generateTaskInstances(today: day(3))
        let done = try store.setTaskStatus("早安推送", .done, today: day(2))
        XCTAssertEqual(done.id, TaskRecurrence.instanceID(template: template.id, day: day(2)))
        XCTAssertEqual(try store.task("早安推送", today: day(3)).date, "2024-03-04")
        XCTAssertThrowsError(try store.task("早安推送", today: day(30)), "no instance today: ambiguous") { error in
            guard case StoreError.ambiguous(collection: "task", _, _)? = error as? StoreError else { return XCTFail("\(error)") }
        }
    }

    func testUndoingTheAddOfATemplateTakesItsInstancesWithIt() throws {
        let store = try makeStore(now: TestClock().closure)
        let template = try template(store)
        XCTAssertEqual(try store.tasks().count, 2)
        _ = try store.undoLastCommand()
        XCTAssertTrue(try store.task(template.id, includeDeleted: true).deleted)
        XCTAssertEqual(try store.tasks(), [], "no orphan instances")
        XCTAssertEqual(try store.generateTaskInstances(today: day(3)), 0, "a deleted template makes nothing")
    }

    func testTemplateEditsReachInstancesWithoutTheirOwnValue() throws {
        let store = try makeStore(now: TestClock().closure)
        let template = try template(store)
        try store.generateTaskInstances(today: day(1))
        let own = TaskRecurrence.instanceID(template: template.id, day: day(1))
        var edit = TaskEdit()
        edit.fields[.assignee] = "王芳"
        _ = try store.editTask(own, edit)
        edit = TaskEdit()
        edit.fields = [.assignee: "小周", .title: "早安推送（新版）", .due: "2024-03-01T07:30"]
        _ = try store.editTask(template.id, edit)
        let other = try store.task(TaskRecurrence.instanceID(template: template.id, day: day(0)))
        XCTAssertEqual(other.assignee, "小周")
        XCTAssertEqual(other.title, "早安推送（新版）")
        XCTAssertEqual(other.due, "2024-03-01T07:30", "the template's new time of day")
        let overridden = try store.task(own)
        XCTAssertEqual(overridden.assignee, "王芳", "the instance's own value wins")
        XCTAssertEqual(overridden.title, "早安推送（新版）")
    }

    func testDroppedOrEndedTemplatesStopAndDeletedInstancesStayDeleted() throws {
        let store = try makeStore(now: TestClock().closure)
        let template = try template(store) { $0.until = "2024-03-03" }
        XCTAssertEqual(try store.generateTaskInstances(today: day(10)), 1, "day 2; none after until")
        let gone = TaskRecurrence.instanceID(template: template.id, day: day(1))
        try store.removeTask(gone)
        var edit = TaskEdit()
        edit.fields[.until] = ""
        try store.editTask(template.id, edit)
        XCTAssertEqual(try store.generateTaskInstances(today: day(4)), 3, "days 3, 4 and 5: the deleted day 1 is not made again")
        XCTAssertTrue(try store.task(gone, includeDeleted: true).deleted, "a deleted instance is never made again")
        try store.setTaskStatus(template.id, .dropped, today: day(4))
        XCTAssertEqual(try store.generateTaskInstances(today: day(20)), 0, "a dropped template stops")
    }

    func testTwoLaptopsGeneratingOfflineConverge() throws {
        let clockA = TestClock(), clockB = TestClock()
        let stores = try makeTeam(["林晓", "王芳"], clocks: [clockA, clockB])
        let (a, b) = (stores[0], stores[1])
        let template = try template(a)
        try exchange(a, b)
        clockA.advance(by: 60_000)
        clockB.advance(by: 120_000)
        // Both generate the same days offline; B marks one done and edits another.
        try a.generateTaskInstances(today: day(3))
        try b.generateTaskInstances(today: day(5))
        let doneID = TaskRecurrence.instanceID(template: template.id, day: day(2))
        try b.setTaskStatus(doneID, .done, today: day(5))
        var edit = TaskEdit()
        edit.fields[.title] = "早安推送（节日版）"
        try b.editTask(TaskRecurrence.instanceID(template: template.id, day: day(1)), edit)
        clockA.advance(by: 600_000)
        // A generates again later (its clock is now ahead of B's edits).
        try a.generateTaskInstances(today: day(4))
        try exchange(a, b)
        XCTAssertEqual(try a.exportText(), try b.exportText())
        XCTAssertEqual(try a.tasks(.everything), try b.tasks(.everything))
        let made = try instances(a, of: template)
        XCTAssertEqual(made.count, 7, "days 0...6 once each, no duplicates")
        XCTAssertEqual(Set(made.map(\.id)).count, made.count)
        XCTAssertEqual(try a.task(doneID).status, .done, "B's done survives A's later generation")
        XCTAssertEqual(try a.task(TaskRecurrence.instanceID(template: template.id, day: day(1))).title, "早安推送（节日版）")
        // Nothing is missing on either side any more.
        XCTAssertEqual(try a.generateTaskInstances(today: day(5)), 0)
        XCTAssertEqual(try b.generateTaskInstances(today: day(5)), 0)
    }

    func testADeleteWinsOverAConcurrentRegeneration() throws {
        let clockA = TestClock(), clockB = TestClock()
        let stores = try makeTeam(["林晓", "王芳"], clocks: [clockA, clockB])
        let (a, b) = (stores[0], stores[1])
        let template = try template(a)
        try a.generateTaskInstances(today: day(0))
        try exchange(a, b)
        let id = TaskRecurrence.instanceID(template: template.id, day: day(0))
        clockA.advance(by: 1000)
        try a.removeTask(id)
        // B, not having seen the delete, writes the same instance again (as if generating).
        clockB.advance(by: 5000)
        try b.write { tx in
            try tx.set(.taskCollection, id, "template", .text(template.id))
            try tx.set(.taskCollection, id, "date", .text(day(0).description))
        }
        try exchange(a, b)
        XCTAssertTrue(try a.task(id, includeDeleted: true).deleted)
        XCTAssertTrue(try b.task(id, includeDeleted: true).deleted)
        XCTAssertEqual(try a.exportText(), try b.exportText())
    }

    func testInstanceArrivingBeforeItsTemplateInheritsOnceTheTemplateArrives() throws {
        let clocks = [TestClock(), TestClock(), TestClock()]
        let stores = try makeTeam(["林晓", "王芳", "小美"], clocks: clocks)
        let (a, b, c) = (stores[0], stores[1], stores[2])
        let template = try template(a)
        // A's template reaches B, B generates the instances; C hears from B before it hears
        // from A. (One laptop's changes arrive in order, so this is how an instance gets
        // ahead of its template: through another laptop.)
        try exchange(a, b)
        XCTAssertGreaterThan(try b.generateTaskInstances(today: day(1)), 0)
        let fromB = try b.changes(since: c.versionVector()).filter { $0.id.replica == b.identity.replica }
        XCTAssertTrue(fromB.contains { $0.collection == .taskCollection }, "instances were generated")
        XCTAssertFalse(fromB.contains { $0.record == template.id }, "generating does not touch the template")
        try c.apply(fromB)
        // Generation runs a day ahead: A made days 0 and 1 when adding the template, B day 2.
        let early = try c.task(TaskRecurrence.instanceID(template: template.id, day: day(2)))
        XCTAssertEqual(early.title, "", "no template yet")
        XCTAssertEqual(early.due, "2024-03-03", "the day alone")
        try c.apply(try a.changes(since: c.versionVector()))
        let late = try c.task(early.id)
        XCTAssertEqual(late.title, "早安推送")
        XCTAssertEqual(late.due, "2024-03-03T08:00")
        XCTAssertEqual(try b.tasks(.everything), try c.tasks(.everything))
    }

    /// An instance that a laptop, not yet knowing it was one, made a routine and generated
    /// from: its own instances follow its fields whichever arrives first, so every laptop
    /// shows them alike. (Found by the task property test: the laptop that heard of the
    /// routine's instances first never refreshed them when the routine's fields came.)
    func testInstancesOfAnInstanceFollowItWhicheverArrivesFirst() throws {
        let stores = try makeTeam(["林晓", "王芳", "小美"])
        let (a, b, c) = (stores[0], stores[1], stores[2])
        let routine = RecordID.random(), instance = RecordID.random()
        let before = try a.versionVector()
        try a.write { tx in
            try tx.set(.taskCollection, instance, "template", .text(routine))
            try tx.set(.taskCollection, instance, "date", .text("2024-03-08"))
        }
        let instanceChanges = try a.changes(since: before)
        let middle = try a.versionVector()
        try a.write { tx in
            // The routine is itself an instance of another one, with fields of its own.
            try tx.set(.taskCollection, routine, "template", .text(RecordID.random()))
            try tx.set(.taskCollection, routine, "date", .text("2024-03-01"))
            try tx.set(.taskCollection, routine, "assignee", .text("林晓"))
            try tx.set(.taskCollection, routine, "priority", .text("H"))
        }
        let routineChanges = try a.changes(since: middle)
        try b.apply(try a.changes(since: b.versionVector()))
        try c.apply(instanceChanges)
        XCTAssertNil(try c.task(instance).assignee, "nothing to inherit yet")
        try c.apply(routineChanges)
        XCTAssertEqual(try c.task(instance).assignee, "林晓")
        XCTAssertEqual(try c.task(instance).priority, .high)
        XCTAssertEqual(try c.tasks(.everything), try b.tasks(.everything))
    }

    /// Making a task without a due recurring gives it today as its first day, as `add
    /// --recur` does, so the routine starts instead of vanishing from every list.
    func testEditingATaskIntoARoutineGivesItAFirstDay() throws {
        let store = try makeStore()
        let task = try store.addTask(TaskDraft(title: "周报"))
        XCTAssertNil(task.due)
        var edit = TaskEdit()
        edit.fields[.recur] = "weekly"
        let routine = try store.editTask(task.id, edit)
        XCTAssertEqual(routine.recur, .weekly)
        XCTAssertNotNil(routine.due)
        try store.generateTaskInstances()
        XCTAssertFalse(try instances(store, of: routine).isEmpty)
    }
}

