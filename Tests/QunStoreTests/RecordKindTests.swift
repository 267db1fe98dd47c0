import Foundation
import QunCore
import QunStore
import XCTest
import QunStoreTestSupport

/// Every kind of record is found, refused and worded the same way (`RecordKind`).
final class RecordKindTests: StoreTestCase {
    /// Two records of each kind under one name, and one id prefix they share.
    private func twins(_ store: Store) throws -> [(noun: String, name: String, ids: [String])] {
        let members = try ["abcd1111", "abcd2222"].map { prefix -> String in
            let id = prefix + String(repeating: "0", count: 24)
            try store.write { tx in try tx.set(.memberCollection, id, "name", .text("同名")) }
            return id
        }
        let tasks = try (0..<2).map { _ in try store.addTask(TaskDraft(title: "同名")).id }
        let events = try (0..<2).map { _ in try store.addEvent(EventDraft(title: "同名")).id }
        let first = try store.addTemplate(name: "同名", body: "a")
        try store.write { tx in
            try tx.set(.templateCollection, "f00d" + String(repeating: "1", count: 28), "name", .text("同名"))
            try tx.set(.templateCollection, "f00d" + String(repeating: "1", count: 28), "body", .text("b"))
        }
        return [("member", "同名", members), ("task", "同名", tasks), ("event", "同名", events),
                ("template", "同名", [first.id, "f00d" + String(repeating: "1", count: 28)])]
    }

    func testAmbiguousAndNotFoundReadTheSameForEveryKind() throws {
        let store = try makeStore()
        for (noun, name, ids) in try twins(store) {
            func look(_ reference: String) throws {
                switch noun {
                case "member": _ = try store.record(Member.self, reference)
                case "task": _ = try store.record(TaskItem.self, reference)
                case "event": _ = try store.record(Event.self, reference)
                default: _ = try store.record(MessageTemplate.self, reference)
                }
            }
            XCTAssertThrowsError(try look(name), noun) { error in
                guard case StoreError.ambiguous(noun, name, let candidates)? = error as? StoreError else { return XCTFail("\(noun): \(error)") }
                XCTAssertEqual(Set(candidates.map { String($0.prefix(8)) }), Set(ids.map { String($0.prefix(8)) }), noun)
                let message = "\(error)"
                XCTAssertTrue(message.hasPrefix("\(noun) '\(name)' is ambiguous: "), message)
                XCTAssertTrue(message.contains("— give more characters of the id"), message)
            }
            XCTAssertThrowsError(try look("没有这个"), noun) { error in
                XCTAssertEqual(error as? StoreError, .notFound(collection: noun, reference: "没有这个"))
                let message = "\(error)"
                XCTAssertTrue(message.hasPrefix("no \(noun) matches '没有这个': give an id prefix (4+ characters)"), message)
                XCTAssertFalse(message.contains("--"), "the command layer names flags, not the store: \(message)")
            }
        }
    }

    func testRemoveAndRestoreWorkTheSameForEveryKind() throws {
        let store = try makeStore()
        let member = try store.add("张三")
        let task = try store.addTask(TaskDraft(title: "订场地"))
        let event = try store.addEvent(EventDraft(title: "读书会"))
        let template = try store.addTemplate(name: "欢迎语", body: "hi")
        let reward = try store.addReward(member: member.id, gift: "书一本").reward
        func check<Kind: RecordKind>(_ kind: Kind.Type, _ id: String) throws {
            XCTAssertTrue(try store.remove(kind, String(id.prefix(6))).deleted)
            XCTAssertThrowsError(try store.remove(kind, id)) { error in
                XCTAssertEqual(error as? StoreError, .deleted(collection: Kind.noun, id: id))
            }
            XCTAssertTrue(try store.record(kind, id, includeDeleted: true).deleted)
            XCTAssertFalse(try store.restore(kind, String(id.prefix(6))).deleted)
            XCTAssertThrowsError(try store.restore(kind, id)) { error in
                XCTAssertEqual(error as? StoreError, .notDeleted(collection: Kind.noun, id: id))
            }
        }
        try check(Member.self, member.id)
        try check(TaskItem.self, task.id)
        try check(Event.self, event.id)
        try check(MessageTemplate.self, template.id)
        try check(Reward.self, reward.id)
    }
}
