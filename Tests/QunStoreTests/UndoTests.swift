import Foundation
import QunCore
import QunStore
import QunStoreTestSupport
import XCTest

/// `undoLastCommand()`: reverses this replica's latest command with new changes.
final class UndoTests: StoreTestCase {
    private func addMember(_ store: Store, _ name: String, city: String? = nil, tags: [String] = []) throws -> Member {
        var draft = MemberDraft(name: name)
        draft.city = city
        draft.tags = tags
        return try store.addMember(draft)
    }

    private func edit(_ store: Store, _ id: String, city: String? = nil, add: [String] = [], remove: [String] = []) throws {
        var edit = MemberEdit()
        if let city { edit.fields[.city] = city }
        edit.addTags = add
        edit.removeTags = remove
        _ = try store.editMember(id, edit)
    }

    func testNothingToUndoOnAFreshStore() throws {
        let store = try makeStore()
        XCTAssertThrowsError(try store.undoLastCommand()) { error in
            XCTAssertEqual(error as? StoreError, .nothingToUndo)
        }
    }

    func testEditIsUndoneToThePreviousValues() throws {
        let clock = TestClock()
        let store = try makeStore(now: clock.closure)
        let member = try addMember(store, "张三", city: "杭州")
        clock.advance(by: 1000)
        try edit(store, member.id, city: "上海")
        clock.advance(by: 1000)
        store.commandDescription = "member edit 张三 --city 北京"
        try edit(store, member.id, city: "北京")
        store.commandDescription = nil

        let result = try store.undoLastCommand()
        XCTAssertEqual(result.command, "member edit 张三 --city 北京")
        XCTAssertEqual(try store.member(member.id).city, "上海")
        _ = try store.undoLastCommand()
        XCTAssertEqual(try store.member(member.id).city, "杭州")
    }

    func testFieldThatWasUnsetGoesBackToNull() throws {
        let store = try makeStore()
        let member = try addMember(store, "张三")
        try edit(store, member.id, city: "杭州")
        _ = try store.undoLastCommand()
        XCTAssertNil(try store.member(member.id).city)
    }

    func testUndoingAnAddDeletesTheNewMember() throws {
        let store = try makeStore()
        let member = try addMember(store, "张三", tags: ["读书会"])
        let result = try store.undoLastCommand()
        XCTAssertEqual(result.writtenChanges, 1)
        XCTAssertTrue(try store.members().isEmpty)
        XCTAssertTrue(try store.member(member.id, includeDeleted: true).deleted)
        // Its number is not handed out again.
        let next = try addMember(store, "李四")
        XCTAssertNotEqual(next.number, member.number)
    }

    func testTagAddAndRemoveAreUndone() throws {
        let store = try makeStore()
        let member = try addMember(store, "张三", tags: ["读书会"])
        try edit(store, member.id, add: ["新"], remove: ["读书会"])
        XCTAssertEqual(try store.member(member.id).tags, ["新"])
        _ = try store.undoLastCommand()
        XCTAssertEqual(try store.member(member.id).tags, ["读书会"])
    }

    func testDeleteAndRestoreAreUndone() throws {
        let store = try makeStore()
        let member = try addMember(store, "张三", city: "杭州")
        try store.removeMember(member.id)
        _ = try store.undoLastCommand()
        XCTAssertEqual(try store.member(member.id).city, "杭州")

        try store.removeMember(member.id)
        try store.restoreMember(member.id)
        _ = try store.undoLastCommand()
        XCTAssertTrue(try store.member(member.id, includeDeleted: true).deleted)
    }

    func testLogEntryIsUndone() throws {
        let store = try makeStore()
        let member = try addMember(store, "张三")
        try store.logInteraction(member.id, "聊了读书会")
        try store.logInteraction(member.id, "约了周末")
        XCTAssertEqual(try store.member(member.id).logCount, 2)
        _ = try store.undoLastCommand()
        XCTAssertEqual(try store.member(member.id).logCount, 1)
        XCTAssertTrue(try store.exportText().contains("聊了读书会"))
        XCTAssertFalse(try store.exportText().contains("约了周末"))
    }

    func testUndoTwiceWalksBackTwoCommandsAndNeverUndoesAnUndo() throws {
        let store = try makeStore()
        let member = try addMember(store, "张三", city: "杭州")
        try edit(store, member.id, city: "上海")
        try edit(store, member.id, add: ["新"])
        _ = try store.undoLastCommand()
        XCTAssertEqual(try store.member(member.id).tags, [])
        XCTAssertEqual(try store.member(member.id).city, "上海")
        _ = try store.undoLastCommand()
        XCTAssertEqual(try store.member(member.id).city, "杭州")
        _ = try store.undoLastCommand()
        XCTAssertTrue(try store.members().isEmpty)
        XCTAssertThrowsError(try store.undoLastCommand())
    }

    func testSeveralSetsOfOneFieldInOneCommandAreUndoneTogether() throws {
        let store = try makeStore()
        let member = try addMember(store, "张三", city: "杭州")
        try store.write { tx in
            try tx.set(.memberCollection, member.id, "city", .text("上海"))
            try tx.set(.memberCollection, member.id, "city", .text("北京"))
        }
        _ = try store.undoLastCommand()
        XCTAssertEqual(try store.member(member.id).city, "杭州")
    }

    func testUndoSyncsAndConverges() throws {
        let clocks = [TestClock(), TestClock()]
        let stores = try makeTeam(["林", "王"], clocks: clocks)
        let (a, b) = (stores[0], stores[1])
        let member = try addMember(a, "张三", city: "杭州", tags: ["读书会"])
        try exchange(a, b)
        clocks[0].advance(by: 1000)
        try edit(a, member.id, city: "上海", add: ["新"])
        try exchange(a, b)
        XCTAssertEqual(try b.member(member.id).city, "上海")
        clocks[0].advance(by: 1000)
        _ = try a.undoLastCommand()
        try exchange(a, b)
        XCTAssertEqual(try b.member(member.id).city, "杭州")
        XCTAssertEqual(try b.member(member.id).tags, ["读书会"])
        XCTAssertEqual(try a.exportText(), try b.exportText())
    }

    func testTeammatesLaterValueIsKept() throws {
        let clocks = [TestClock(), TestClock()]
        let stores = try makeTeam(["林", "王"], clocks: clocks)
        let (a, b) = (stores[0], stores[1])
        let member = try addMember(a, "张三", city: "杭州")
        clocks[0].advance(by: 1000)
        try edit(a, member.id, city: "上海")
        try exchange(a, b)
        clocks[1].advance(by: 5000)
        try edit(b, member.id, city: "北京")
        try exchange(a, b)
        let result = try a.undoLastCommand()
        XCTAssertEqual(result.skipped.count, 1)
        XCTAssertEqual(try a.member(member.id).city, "北京")
        // The next undo takes a's previous command (the add), never b's edit.
        _ = try a.undoLastCommand()
        XCTAssertTrue(try a.members().isEmpty)
        XCTAssertThrowsError(try a.undoLastCommand())
    }

    func testRemoteChangesAreNotCommands() throws {
        let stores = try makeTeam(["林", "王"])
        _ = try addMember(stores[1], "李四")
        try exchange(stores[0], stores[1])
        XCTAssertThrowsError(try stores[0].undoLastCommand())
    }
}
