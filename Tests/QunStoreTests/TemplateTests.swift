import Foundation
import QunCore
import QunStore
import XCTest
import QunStoreTestSupport
import QunTestSupport

/// Message templates, the fourth kind of record: added by describing it (`RecordKind`), it
/// gets the same look-ups, delete, restore and errors as members, tasks and events.
final class TemplateTests: StoreTestCase {
    func testRenderFillsMemberFieldsAndGivenValues() throws {
        let store = try makeStore()
        let kol = try store.add("王芳")
        let member = try store.add("张三") {
            $0.city = "杭州"
            $0.kol = kol.id
            $0.tags = ["读书会", "新人"]
        }
        _ = try store.addTemplate(name: "欢迎语", body: "欢迎 {name} 加入{group}！你是第 {number} 号成员，来自{city}，有事找 {kol}。标签：{tags} {{不是占位}}")
        let rendered = try store.render("欢迎语", for: [member.number!], values: ["group": "周末读书会"])
        XCTAssertEqual(rendered.map(\.member?.id), [member.id])
        XCTAssertEqual(rendered[0].text, "欢迎 张三 加入周末读书会！你是第 \(member.number!) 号成员，来自杭州，有事找 王芳。标签：新人、读书会 {不是占位}")
        // A given value wins over the member's own.
        XCTAssertEqual(try store.render("欢迎语", for: ["张三"], values: ["group": "群", "city": "上海"])[0].text.contains("来自上海"), true)
        // Several members: one message each, in the order given.
        let both = try store.render("欢迎语", for: ["张三", "王芳"], values: ["group": "群", "city": "远方", "kol": "我", "tags": "无"])
        XCTAssertEqual(both.map(\.member?.name), ["张三", "王芳"])
    }

    func testAPlaceholderWithoutAValueIsAnErrorThatNamesIt() throws {
        let store = try makeStore()
        _ = try store.add("李四")
        _ = try store.addTemplate(name: "欢迎语", body: "欢迎 {name} 加入{group}，来自{city}")
        XCTAssertThrowsError(try store.render("欢迎语", for: ["李四"])) { error in
            guard case TemplateError.unknownPlaceholder("欢迎语", "group", _)? = error as? TemplateError else { return XCTFail("\(error)") }
            XCTAssertTrue("\(error)".contains("{group}"), "\(error)")
        }
        XCTAssertThrowsError(try store.render("欢迎语", for: ["李四"], values: ["group": "群"])) { error in
            guard case TemplateError.missingValue("欢迎语", "city", let member)? = error as? TemplateError else { return XCTFail("\(error)") }
            XCTAssertTrue(member.contains("李四"), member)
        }
        XCTAssertThrowsError(try store.render("欢迎语", for: [], values: ["group": "群"])) { error in
            XCTAssertEqual(error as? TemplateError, .needsMember(template: "欢迎语", placeholders: ["name", "city"]))
        }
        _ = try store.addTemplate(name: "早安", body: "{today} 早安！今天由 {operator} 值班")
        XCTAssertEqual(try store.render("早安", for: [], today: CalendarDay(year: 2026, month: 12, day: 3)!)[0].text, "2026-12-03 早安！今天由 林晓 值班")
    }

    func testTeamSettingsFillPlaceholdersOnEveryLaptop() throws {
        let clocks = [TestClock(), TestClock()]
        let stores = try makeTeam(["林晓", "王芳"], clocks: clocks)
        let (a, b) = (stores[0], stores[1])
        _ = try a.add("张三")
        _ = try a.addTemplate(name: "欢迎语", body: "欢迎 {name} 加入{group}")
        try a.setTeamSetting("group", "读书会")
        clocks[1].advance(by: 1000)
        try b.setTeamSetting("group", "周末读书会")
        try exchange(a, b)
        XCTAssertEqual(try a.teamSettings(), ["group": "周末读书会"], "the later value wins")
        XCTAssertEqual(try b.teamSettings(), try a.teamSettings())
        XCTAssertEqual(try b.render("欢迎语", for: ["张三"])[0].text, "欢迎 张三 加入周末读书会")
        XCTAssertEqual(try b.render("欢迎语", for: ["张三"], values: ["group": "别的群"])[0].text, "欢迎 张三 加入别的群", "--set wins")
        XCTAssertNoThrow(try b.checkWelcome("欢迎语", for: MemberDraft(name: "新人")), "a team setting fills the welcome too")
        // A setting may not shadow what qun fills itself; an empty value clears.
        let before = try a.fingerprint()
        for key in ["name", "today", "a b", "{x}", ""] {
            XCTAssertThrowsError(try a.setTeamSetting(key, "x"), key)
        }
        XCTAssertEqual(try a.fingerprint(), before)
        try a.setTeamSetting("group", "")
        XCTAssertEqual(try a.teamSettings(), [:])
        XCTAssertThrowsError(try a.render("欢迎语", for: ["张三"]))
    }

    func testBadTextIsRefusedAndChangesNothing() throws {
        let store = try makeStore()
        let before = try store.fingerprint()
        for bad in ["欢迎 {name", "欢迎 name}", "欢迎 {}", "欢迎 {na me}", "   "] {
            XCTAssertThrowsError(try store.addTemplate(name: "坏", body: bad), bad)
        }
        XCTAssertThrowsError(try store.addTemplate(name: " ", body: "hi"))
        XCTAssertEqual(try store.fingerprint(), before)
        XCTAssertEqual(try TemplateText("a{{b}}{c}").pieces, [.literal("a{b}"), .placeholder("c")])
    }

    func testTheNameGivesTheIdSoTwoLaptopsAddingItOfflineHoldOneTemplate() throws {
        let clocks = [TestClock(), TestClock()]
        let stores = try makeTeam(["林晓", "王芳"], clocks: clocks)
        let (a, b) = (stores[0], stores[1])
        let mine = try a.addTemplate(name: "欢迎语", body: "欢迎 {name}（林晓版）")
        clocks[1].advance(by: 1000)
        let theirs = try b.addTemplate(name: "欢迎语", body: "欢迎 {name}（王芳版）")
        XCTAssertEqual(mine.id, theirs.id)
        try exchange(a, b)
        XCTAssertEqual(try a.templates(), try b.templates())
        XCTAssertEqual(try a.templates().map(\.body), ["欢迎 {name}（王芳版）"], "one template; the later text wins")
        XCTAssertEqual(try a.exportText(), try b.exportText())
        // Adding it again is refused; the way to change it is edit.
        XCTAssertThrowsError(try a.addTemplate(name: "欢迎语", body: "x")) { error in
            XCTAssertEqual(error as? TemplateError, .exists(name: "欢迎语", id: mine.id))
        }
    }

    func testRemoveRestoreAndAddAgainAfterDelete() throws {
        let store = try makeStore()
        let added = try store.addTemplate(name: "欢迎语", body: "v1 {name}")
        let removed = try store.remove(MessageTemplate.self, "欢迎语")
        XCTAssertTrue(removed.deleted)
        XCTAssertEqual(try store.templates(), [])
        XCTAssertThrowsError(try store.template("欢迎语")) { error in
            XCTAssertEqual(error as? StoreError, .deleted(collection: "template", id: added.id))
        }
        // Adding the name again brings that record back with the new text.
        let again = try store.addTemplate(name: "欢迎语", body: "v2 {name}")
        XCTAssertEqual(again.id, added.id)
        XCTAssertFalse(again.deleted)
        XCTAssertEqual(again.body, "v2 {name}")
        XCTAssertThrowsError(try store.restore(MessageTemplate.self, "欢迎语")) { error in
            XCTAssertEqual(error as? StoreError, .notDeleted(collection: "template", id: added.id))
        }
        // A rename keeps the id; the old name is then free for another template.
        let renamed = try store.editTemplate("欢迎语", name: "入群欢迎")
        XCTAssertEqual(renamed.id, added.id)
        let another = try store.addTemplate(name: "欢迎语", body: "v3")
        XCTAssertNotEqual(another.id, added.id)
        XCTAssertEqual(try store.templates().map(\.name), ["入群欢迎", "欢迎语"])
        XCTAssertThrowsError(try store.editTemplate("入群欢迎", name: "欢迎语")) { error in
            XCTAssertEqual(error as? TemplateError, .exists(name: "欢迎语", id: another.id))
        }
    }

    /// Two laptops edit, delete, restore and re-add a few templates offline, exchanging
    /// random partial batches; after a full exchange both list the same templates and print
    /// the same export.
    func testTemplatesConvergeUnderRandomEditsAndPartialExchange() throws {
        for seed in testSeeds([3, 0x7E3D, 20_261_203]) {
            let clocks = [TestClock(), TestClock(), TestClock()]
            let stores = try makeTeam(["林晓", "王芳", "陈晨"], clocks: clocks)
            var rng = SplitMix64(seed: seed)
            let names = ["欢迎语", "早安", "群规提醒"]
            for step in 0..<120 {
                let at = rng.below(stores.count)
                let store = stores[at]
                clocks[at].advance(by: Int64(rng.int(in: 1...500)))
                let name = rng.pick(names)
                do {
                    switch rng.below(6) {
                    case 0: _ = try store.addTemplate(name: name, body: "\(name) {name} v\(step)")
                    case 1: _ = try store.editTemplate(name, body: "改 {name} \(step)")
                    case 2: try store.remove(MessageTemplate.self, name)
                    case 3: try store.restore(MessageTemplate.self, MessageTemplate.id(forName: name))
                    default:
                        let to = (at + 1 + rng.below(stores.count - 1)) % stores.count
                        var batch = try store.changes(since: stores[to].versionVector(), limit: rng.int(in: 1...20))
                        batch += batch.filter { _ in rng.chance(20) }
                        rng.shuffle(&batch)
                        try stores[to].apply(batch)
                    }
                } catch is StoreError, is TemplateError {
                    // Refused on this laptop (not there, deleted, exists): nothing written.
                }
            }
            try exchangeAll(stores)
            var everything = TemplateFilter()
            everything.includeDeleted = true
            let listed = try stores[0].templates(everything)
            XCTAssertFalse(listed.isEmpty, "seed \(seed) (replay: QUN_SEED=\(seed))")
            for store in stores.dropFirst() {
                XCTAssertEqual(try store.templates(everything), listed, "seed \(seed) (replay: QUN_SEED=\(seed))")
                XCTAssertEqual(try store.exportText(), try stores[0].exportText(), "seed \(seed) (replay: QUN_SEED=\(seed))")
            }
            // No name was added twice as two records: ids come from names.
            XCTAssertEqual(Set(listed.map(\.id)).count, listed.count)
            XCTAssertTrue(listed.allSatisfy { $0.id == MessageTemplate.id(forName: $0.name) }, "seed \(seed): \(listed)")
        }
    }
}
