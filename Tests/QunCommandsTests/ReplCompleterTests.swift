import Foundation
@testable import QunCommands
import QunStore
import XCTest

/// What Tab offers at the REPL prompt, against a real store.
final class ReplCompleterTests: XCTestCase {
    private var directory: URL!
    private var completer: ReplCompleter!
    private var welcomeID = ""

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("qun-completer-\(UUID().uuidString)")
        let store = try Store.create(at: directory.appendingPathComponent("store"), operatorName: "林晓")
        var member = MemberDraft(name: "张三")
        member.tags = ["读书会"]
        _ = try store.addMember(member)
        _ = try store.addTask(TaskDraft(title: "订场地"))
        var event = EventDraft(title: "读书会线下见面")
        event.start = "2026-12-12T14:00"
        _ = try store.addEvent(event)
        welcomeID = try store.addTemplate(name: "欢迎语", body: "欢迎 {name}！").id
        _ = try store.addPost(PostDraft(title: "周六活动预告", at: "2026-12-05T20:00"))
        completer = ReplCompleter(store: { store })
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    func testCommandWords() {
        XCTAssertEqual(completer.complete(before: "", word: "ta"), ["task"])
        XCTAssertEqual(Set(completer.complete(before: "event ", word: "si")), ["signup"])
    }

    func testTaskCommandsCompleteTaskTitles() {
        XCTAssertEqual(completer.complete(before: "task done ", word: "订"), ["订场地"])
        XCTAssertEqual(completer.complete(before: "task done ", word: "张"), [], "members are not tasks")
    }

    func testTemplateCommandsCompleteTheTemplateThenMembers() {
        XCTAssertEqual(completer.complete(before: "template render ", word: "欢"), ["欢迎语"])
        XCTAssertEqual(completer.complete(before: "template render 欢迎语 ", word: "张"), ["张三"])
        XCTAssertEqual(completer.complete(before: "template show ", word: "张"), [], "members are not templates")
        XCTAssertEqual(completer.complete(before: "member add 李四 --welcome ", word: "欢"), ["欢迎语"])
        XCTAssertEqual(Set(completer.complete(before: "member welcome 张三 --template ", word: "")), ["欢迎语", String(welcomeID.prefix(8))])
    }

    func testPostCommandsCompletePostTitlesAndTemplates() {
        XCTAssertEqual(completer.complete(before: "post done ", word: "周"), ["周六活动预告"])
        XCTAssertEqual(completer.complete(before: "post show ", word: "张"), [], "members are not posts")
        XCTAssertEqual(completer.complete(before: "post add 早安 --template ", word: "欢"), ["欢迎语"])
    }

    func testRewardCommandsCompleteRewardIdsAndAddCompletesMembers() throws {
        let store = try XCTUnwrap(completer.store())
        let reward = try store.addReward(member: "张三", gift: "书一本").reward
        XCTAssertEqual(completer.complete(before: "reward sent ", word: String(reward.id.prefix(2))), [reward.shortID])
        XCTAssertEqual(completer.complete(before: "reward show ", word: "张"), [], "members are not rewards")
        XCTAssertEqual(completer.complete(before: "reward add ", word: "张"), ["张三"])
    }

    func testEventCommandsCompleteTheEventThenMembers() {
        XCTAssertEqual(completer.complete(before: "event signup ", word: "读书会"), ["读书会线下见面"])
        XCTAssertEqual(completer.complete(before: "event signup 读书会线下见面 ", word: "张"), ["张三"])
        XCTAssertEqual(completer.complete(before: "task add 写推文 --event ", word: "读"), ["读书会线下见面"])
    }

    func testOperatorsAndMembers() {
        XCTAssertEqual(completer.complete(before: "task add 写推文 --assignee ", word: "林"), ["林晓"])
        XCTAssertEqual(completer.complete(before: "member show ", word: "张"), ["张三"])
        XCTAssertEqual(completer.complete(before: "member list ", word: "+读"), ["+读书会"])
    }
}
