import Foundation
import QunCore
import QunStore
import XCTest
import QunStoreTestSupport
import QunTestSupport

/// The content calendar (内容规划表), the fifth kind of record: planned posts, single or
/// recurring, with the rule recurring tasks follow — one record per routine and day.
final class PostTests: StoreTestCase {
    let day1 = CalendarDay(year: 2026, month: 12, day: 1)!
    let day3 = CalendarDay(year: 2026, month: 12, day: 3)!

    func at(_ text: String) -> LocalDate { LocalDate(text)! }

    func testAddEditDoneAndTheDueRule() throws {
        let store = try makeStore()
        let template = try store.addTemplate(name: "活动预告", body: "周六读书会，{today} 报名")
        var draft = PostDraft(title: "周六活动预告", at: "2026-12-03T20:00")
        draft.template = "活动预告"
        draft.channel = "读书会1群"
        draft.owner = "林晓"
        let post = try store.addPost(draft, today: day1)
        XCTAssertEqual(post.message, template.id, "the template's id is stored, not its name")
        XCTAssertEqual([post.at, post.channel, post.owner, post.done], ["2026-12-03T20:00", "读书会1群", "林晓", nil])
        XCTAssertFalse(post.isRoutine)

        // Due: today, at or before now, not done.
        XCTAssertEqual(try store.duePosts(now: at("2026-12-03T19:59")).map(\.id), [])
        XCTAssertEqual(try store.duePosts(now: at("2026-12-03T20:00")).map(\.id), [post.id])
        XCTAssertEqual(try store.duePosts(now: at("2026-12-03T23:59")).map(\.id), [post.id])
        XCTAssertEqual(try store.duePosts(now: at("2026-12-04T09:00")).map(\.id), [], "a missed day is no longer due")
        XCTAssertEqual(try store.duePosts(now: at("2026-12-02T21:00")).map(\.id), [])

        let edited = try store.editPost("周六活动预告", PostEdit(at: "2026-12-03T19:00", channel: "", owner: "王芳"))
        XCTAssertEqual([edited.at, edited.channel, edited.owner], ["2026-12-03T19:00", nil, "王芳"])
        XCTAssertEqual(try store.duePosts(now: at("2026-12-03T19:30")).map(\.id), [post.id])

        let done = try store.markPostDone(String(post.id.prefix(6)), now: at("2026-12-03T19:05"))
        XCTAssertEqual(done.done, "2026-12-03T19:05")
        XCTAssertEqual(try store.duePosts(now: at("2026-12-03T19:30")), [])
        XCTAssertEqual(try store.posts(), [], "done posts leave the default list")
        var all = PostFilter()
        all.includeClosed = true
        XCTAssertEqual(try store.posts(all).map(\.id), [post.id])
        XCTAssertThrowsError(try store.markPostDone(post.id)) { error in
            XCTAssertEqual(error as? PostError, .alreadyDone(id: post.id, at: "2026-12-03T19:05"))
        }
    }

    func testBadInputIsRefusedAndChangesNothing() throws {
        let store = try makeStore()
        _ = try store.addPost(PostDraft(title: "早安", at: "2026-12-03T08:00"), today: day1)
        let before = try store.fingerprint()
        var unknown = PostDraft(title: "x", at: "2026-12-03T08:00")
        unknown.template = "没有的模板"
        XCTAssertThrowsStoreError(.notFound(collection: "template", reference: "没有的模板")) { try store.addPost(unknown, today: day1) }
        for bad in ["2026-12-03", "2026-13-03T08:00", "2026-12-03T25:00", "明早"] {
            XCTAssertThrowsError(try store.addPost(PostDraft(title: "x", at: bad), today: day1), bad) { error in
                guard case .invalidValue("at", _, _)? = error as? StoreError else { return XCTFail("\(bad): \(error)") }
            }
        }
        var until = PostDraft(title: "x", at: "2026-12-03T08:00")
        until.until = "2026-12-10"
        XCTAssertThrowsError(try store.addPost(until, today: day1)) { XCTAssertEqual($0 as? PostError, .untilWithoutRecur) }
        until.recur = .daily
        until.until = "2026-12-01"
        XCTAssertThrowsError(try store.addPost(until, today: day1)) {
            XCTAssertEqual($0 as? PostError, .untilBeforeFirst(until: "2026-12-01", first: "2026-12-03"))
        }
        XCTAssertThrowsError(try store.editPost("早安", PostEdit(at: ""))) { error in
            guard case .needsTime? = error as? PostError else { return XCTFail("\(error)") }
        }
        XCTAssertThrowsError(try store.editPost("早安", PostEdit(template: "没有的模板")))
        XCTAssertThrowsStoreError(.emptyEdit(what: "post")) { try store.editPost("早安", PostEdit()) }
        XCTAssertEqual(try store.fingerprint(), before)
    }

    func testARoutineMakesOnePostPerDayWithIdsFromRoutineAndDay() throws {
        let store = try makeStore()
        var draft = PostDraft(title: "早安", at: "2026-12-01T08:00", recur: .daily)
        draft.channel = "读书会1群"
        let routine = try store.addPost(draft, today: day3)
        XCTAssertTrue(routine.isRoutine)
        let days = ["2026-12-01", "2026-12-02", "2026-12-03", "2026-12-04"]
        let instances = try store.posts()
        XCTAssertEqual(instances.map(\.date), days, "from the first day up to tomorrow")
        XCTAssertEqual(instances.map(\.id), days.map { PostRecurrence.instanceID(template: routine.id, day: CalendarDay($0)!) })
        XCTAssertNotEqual(instances[0].id, TaskRecurrence.instanceID(template: routine.id, day: day1), "another prefix than tasks'")
        XCTAssertTrue(instances.allSatisfy { $0.title == "早安" && $0.channel == "读书会1群" && $0.at!.hasSuffix("T08:00") })
        XCTAssertEqual(try store.generatePostInstances(today: day3), 0, "nothing missing")
        XCTAssertEqual(try store.generatePostInstances(today: day3.adding(days: 2)), 2)

        // Instances inherit what they have no value of; their own values win.
        let today = PostRecurrence.instanceID(template: routine.id, day: day3)
        _ = try store.editPost(today, PostEdit(channel: "读书会2群"))
        _ = try store.editPost(routine.id, PostEdit(title: "早安推送", at: "2026-12-01T08:30", channel: "总群"))
        let after = try store.posts()
        XCTAssertTrue(after.allSatisfy { $0.title == "早安推送" && $0.at!.hasSuffix("T08:30") }, "\(after)")
        XCTAssertEqual(after.first { $0.id == today }?.channel, "读书会2群")
        XCTAssertEqual(Set(after.filter { $0.id != today }.map(\.channel)), ["总群"])
        // The routine's title names today's instance; a routine itself is never done.
        XCTAssertEqual(try store.markPostDone("早安推送", now: at("2026-12-03T08:31")).id, today)
        XCTAssertThrowsError(try store.markPostDone(routine.id)) { error in
            XCTAssertEqual(error as? PostError, .routineDone(id: routine.id, title: "早安推送"))
        }
        // Weekly: every seventh day from the first.
        _ = try store.addPost(PostDraft(title: "周报", at: "2026-11-10T20:00", recur: .weekly), today: day3)
        var weekly = PostFilter()
        weekly.words = ["周报"]
        XCTAssertEqual(try store.posts(weekly).map(\.date), ["2026-11-10", "2026-11-17", "2026-11-24", "2026-12-01"])
    }

    func testADeletedDayIsNeverMadeAgain() throws {
        let store = try makeStore()
        let routine = try store.addPost(PostDraft(title: "早安", at: "2026-12-01T08:00", recur: .daily), today: day3)
        let today = PostRecurrence.instanceID(template: routine.id, day: day3)
        try store.remove(Post.self, today)
        XCTAssertEqual(try store.generatePostInstances(today: day3), 0)
        XCTAssertEqual(try store.generatePostInstances(today: day3.adding(days: 1)), 1)
        XCTAssertTrue(try store.post(today, includeDeleted: true).deleted)
        XCTAssertFalse(try store.posts().map(\.id).contains(today))
        // Deleting the routine stops new days; those made stay.
        try store.remove(Post.self, routine.id)
        XCTAssertEqual(try store.generatePostInstances(today: day3.adding(days: 5)), 0)
        XCTAssertEqual(try store.posts().count, 4)
    }

    /// Two laptops both make today's post of a routine offline: after they sync they hold one,
    /// with one laptop's `done` and the other's edit both kept, and generation after the sync
    /// writes nothing.
    func testTwoLaptopsGeneratingTheSameDayOfflineHoldOnePost() throws {
        let clocks = [TestClock(), TestClock()]
        let stores = try makeTeam(["林晓", "王芳"], clocks: clocks)
        let (a, b) = (stores[0], stores[1])
        let routine = try a.addPost(PostDraft(title: "早安", at: "2026-12-01T08:00", recur: .daily), today: day1)
        try exchange(a, b)
        // Offline, two days later, each generates today and tomorrow.
        XCTAssertEqual(try a.generatePostInstances(today: day3), 2)
        clocks[1].advance(by: 5_000)
        XCTAssertEqual(try b.generatePostInstances(today: day3), 2)
        let today = PostRecurrence.instanceID(template: routine.id, day: day3)
        _ = try b.markPostDone("早安", now: at("2026-12-03T08:02"))
        clocks[0].advance(by: 9_000)
        _ = try a.editPost(today, PostEdit(owner: "林晓"))
        try exchange(a, b)
        XCTAssertEqual(try a.generatePostInstances(today: day3), 0)
        XCTAssertEqual(try b.generatePostInstances(today: day3), 0)
        let listed = try a.posts(.everything)
        XCTAssertEqual(listed, try b.posts(.everything))
        XCTAssertEqual(listed.filter { $0.date == day3.description }.count, 1, "one post for the day")
        let post = try XCTUnwrap(listed.first { $0.id == today })
        XCTAssertEqual([post.done, post.owner], ["2026-12-03T08:02", "林晓"])
        XCTAssertEqual(try a.exportText(), try b.exportText())
    }

    /// Four laptops, each on its own today, add, edit, tick off, delete, restore and generate
    /// posts while exchanging random partial batches (duplicated, shuffled). After a full
    /// exchange they list the same posts and print the same export; every instance's id comes
    /// from its routine and day; a `done` is never lost; and generating again on any laptop
    /// neither brings back a deleted day nor changes anything.
    func testPostsConvergeUnderRandomConcurrentEdits() throws {
        for seed in testSeeds([5, 0xC0FFEE, 20_261_203]) {
            let clocks = (0..<4).map { _ in TestClock() }
            let stores = try makeTeam(["林晓", "王芳", "陈晨", "赵敏"], clocks: clocks)
            var rng = SplitMix64(seed: seed)
            var todays = stores.map { _ in day1.adding(days: rng.below(3)) }
            var everDone: Set<String> = []
            let titles = ["早安", "晚安", "周报", "活动预告"]
            let note = "seed \(seed) (replay: QUN_SEED=\(seed))"
            for step in 0..<140 {
                let index = rng.below(stores.count)
                let store = stores[index]
                clocks[index].advance(by: Int64(rng.int(in: 1...400)))
                if rng.chance(8) { todays[index] = todays[index].adding(days: 1) }
                let today = todays[index]
                let known = try store.posts(.everything)
                func pick() -> String? { known.isEmpty ? nil : rng.pick(known).id }
                do {
                    switch rng.below(9) {
                    case 0:
                        let time = "\(today.adding(days: rng.int(in: -2...2)))T0\(rng.int(in: 7...9)):\(rng.pick(["00", "30"]))"
                        var draft = PostDraft(title: rng.pick(titles), at: time, recur: rng.chance(60) ? rng.pick(Post.Recurrence.allCases) : nil)
                        draft.channel = rng.pick(["1群", "2群", ""])
                        if draft.recur != nil, rng.chance(30) { draft.until = today.adding(days: rng.int(in: 2...6)).description }
                        _ = try store.addPost(draft, today: today)
                    case 1:
                        guard let id = pick() else { continue }
                        _ = try store.editPost(id, PostEdit(title: rng.chance(30) ? rng.pick(titles) + "\(step)" : nil,
                                                            at: rng.chance(30) ? "\(today)T1\(rng.below(10)):15" : nil,
                                                            channel: rng.chance(50) ? rng.pick(["1群", "3群", ""]) : nil,
                                                            owner: rng.pick(["林晓", "王芳", ""])), today: today)
                    case 2:
                        guard let id = pick() else { continue }
                        let done = try store.markPostDone(id, now: LocalDate(day: today, time: "21:00"))
                        everDone.insert(done.id)
                    case 3:
                        guard let id = pick() else { continue }
                        try store.remove(Post.self, id)
                    case 4:
                        guard let id = pick() else { continue }
                        try store.restore(Post.self, id)
                    case 5:
                        try store.generatePostInstances(today: today)
                    default:
                        let to = (index + 1 + rng.below(stores.count - 1)) % stores.count
                        var batch = try store.changes(since: stores[to].versionVector(), limit: rng.int(in: 1...25))
                        batch += batch.filter { _ in rng.chance(20) }
                        rng.shuffle(&batch)
                        try stores[to].apply(batch)
                    }
                } catch is StoreError, is PostError {
                    // Refused on this laptop (deleted, not deleted, a routine, done already): nothing written.
                }
            }
            try exchangeAll(stores)
            let listed = try stores[0].posts(.everything)
            XCTAssertFalse(listed.isEmpty, note)
            for store in stores.dropFirst() {
                XCTAssertEqual(try store.posts(.everything), listed, note)
                XCTAssertEqual(try store.exportText(), try stores[0].exportText(), note)
            }
            for post in listed where post.isInstance {
                XCTAssertEqual(post.id, PostRecurrence.instanceID(template: post.template!, day: CalendarDay(post.date!)!), note)
            }
            let done = Set(listed.filter(\.isDone).map(\.id))
            XCTAssertTrue(everDone.isSubset(of: done), "a done was lost: \(everDone.subtracting(done)) — \(note)")
            let deleted = Set(listed.filter(\.deleted).map(\.id))
            for (index, store) in stores.enumerated() { try store.generatePostInstances(today: todays[index]) }
            try exchangeAll(stores)
            let again = try stores[0].posts(.everything)
            XCTAssertTrue(deleted.isSubset(of: Set(again.filter(\.deleted).map(\.id))), "a deleted day came back — \(note)")
            XCTAssertEqual(Set(again.filter(\.isDone).map(\.id)), done, note)
            for store in stores.dropFirst() { XCTAssertEqual(try store.posts(.everything), again, note) }
        }
    }

    func testTheCalendarHasTheRoutineWithItsDaysAsOverrides() throws {
        let store = try makeStore()
        _ = try store.addTemplate(name: "早安", body: "早安！")
        var draft = PostDraft(title: "早安, 群友", at: "2026-12-01T08:00", recur: .daily, until: "2026-12-20")
        draft.template = "早安"
        draft.channel = "读书会1群"
        let routine = try store.addPost(draft, today: day3)
        _ = try store.addPost(PostDraft(title: "周六活动预告", at: "2026-12-05T20:00"), today: day3)
        try store.remove(Post.self, PostRecurrence.instanceID(template: routine.id, day: day1))
        let today = PostRecurrence.instanceID(template: routine.id, day: day3)
        _ = try store.editPost(today, PostEdit(at: "2026-12-03T09:15"))
        _ = try store.markPostDone(today, now: at("2026-12-03T09:16"))
        let utc = TimeZone(identifier: "UTC")!
        let ics = try store.postsCalendar(timeZone: utc)
        XCTAssertTrue(ics.hasPrefix("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"), ics)
        XCTAssertTrue(ics.hasSuffix("END:VCALENDAR\r\n"))
        let lines = ics.components(separatedBy: "\r\n")
        XCTAssertEqual(lines.filter { $0 == "BEGIN:VEVENT" }.count, 5, "the routine, its three live days and the single post")
        XCTAssertTrue(lines.contains("RRULE:FREQ=DAILY;UNTIL=20261220T080000Z"), ics)
        XCTAssertTrue(lines.contains("EXDATE:20261201T080000Z"), ics)
        XCTAssertTrue(lines.contains("RECURRENCE-ID:20261203T080000Z"), ics)
        XCTAssertTrue(lines.contains("DTSTART:20261203T091500Z"), ics)
        XCTAssertEqual(lines.filter { $0 == "UID:\(routine.id)@qun" }.count, 4)
        XCTAssertTrue(lines.contains("SUMMARY:早安\\, 群友"), "TEXT is escaped")
        XCTAssertTrue(lines.contains("LOCATION:读书会1群"))
        XCTAssertTrue(ics.contains("Posted 已发: 2026-12-03T09:16"))
        XCTAssertTrue(lines.allSatisfy { $0.utf8.count <= ICalendarWriter.maximumLineOctets })
    }
}
