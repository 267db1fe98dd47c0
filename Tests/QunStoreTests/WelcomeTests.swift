import Foundation
import QunCore
import QunStore
import XCTest
import QunStoreTestSupport

/// The join ritual: a welcome rendered from a template and recorded on the member, and the
/// report of who still waits for one.
final class WelcomeTests: StoreTestCase {
    func testAWelcomeIsRecordedAndTheReportListsWhoWaits() throws {
        let store = try makeStore()
        _ = try store.addTemplate(name: "欢迎语", body: "欢迎 {name}！你是第 {number} 号成员")
        var early = MemberDraft(name: "先来")
        early.joined = "2026-11-01"
        let first = try store.addMember(early)
        var late = MemberDraft(name: "后到")
        late.joined = "2026-11-20"
        let second = try store.addMember(late)
        var gone = MemberDraft(name: "已退")
        gone.status = .left
        _ = try store.addMember(gone)
        let removed = try store.add("删了")
        try store.removeMember(removed.id)
        XCTAssertEqual(try store.unwelcomedMembers().map(\.name), ["先来", "后到"], "earliest joined first; left and deleted members are not waiting")

        let rendered = try store.welcome(second.id, template: "欢迎语")
        XCTAssertEqual(rendered.text, "欢迎 后到！你是第 \(second.number!) 号成员")
        XCTAssertEqual(try store.unwelcomedMembers().map(\.id), [first.id])
        // Welcoming again is no error: it is recorded again (a second message was prepared).
        _ = try store.welcome(second.id, template: "欢迎语")
        XCTAssertEqual(try store.unwelcomedMembers().map(\.id), [first.id])
    }

    func testAWelcomeThatCannotBeFilledIsRefusedBeforeTheMemberIsAdded() throws {
        let store = try makeStore()
        _ = try store.addTemplate(name: "欢迎语", body: "欢迎来自{city}的 {name} 加入{group}")
        let before = try store.fingerprint()
        XCTAssertThrowsError(try store.checkWelcome("欢迎语", for: MemberDraft(name: "无城"), values: ["group": "群"])) { error in
            XCTAssertEqual(error as? TemplateError, .missingValue(template: "欢迎语", placeholder: "city", member: "无城"))
        }
        var withCity = MemberDraft(name: "有城")
        withCity.city = "杭州"
        XCTAssertThrowsError(try store.checkWelcome("欢迎语", for: withCity)) { error in
            guard case TemplateError.unknownPlaceholder("欢迎语", "group", _)? = error as? TemplateError else { return XCTFail("\(error)") }
        }
        XCTAssertNoThrow(try store.checkWelcome("欢迎语", for: withCity, values: ["group": "群"]))
        XCTAssertNoThrow(try store.checkWelcome("欢迎语", for: nil, values: ["group": "群"]), "any member: only the placeholders are checked")
        XCTAssertThrowsError(try store.checkWelcome("没有这个模板", for: withCity))
        XCTAssertEqual(try store.fingerprint(), before, "checking writes nothing")
    }

    func testWelcomesFromTwoLaptopsAreBothKept() throws {
        let stores = try makeTeam(["林晓", "王芳"])
        let (a, b) = (stores[0], stores[1])
        let template = try a.addTemplate(name: "欢迎语", body: "欢迎 {name}")
        let member = try a.add("新人")
        try exchange(a, b)
        XCTAssertEqual(try b.unwelcomedMembers().map(\.id), [member.id])
        _ = try a.welcome(member.id, template: "欢迎语")
        _ = try b.welcome(member.id, template: "欢迎语")
        try exchange(a, b)
        XCTAssertEqual(try a.unwelcomedMembers(), [])
        XCTAssertEqual(try b.unwelcomedMembers(), [])
        XCTAssertEqual(try a.exportText(), try b.exportText())
        // Each welcome is a log entry naming the template: both laptops' entries are there.
        let members = try a.exportSection(.memberCollection)
        XCTAssertEqual(members.components(separatedBy: template.id).count - 1, 2, members)
    }
}
