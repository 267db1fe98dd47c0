import GRDB
import QunCore
@testable import QunStore
import XCTest

/// Upgrading a store whose log already holds records of a collection that later gained a
/// derived table.
final class MigrationTests: StoreTestCase {
    /// A teammate on a newer qun sent tasks and events to a store at schema 3, which kept
    /// them as unknown records. When the store learns tasks and events, their tables must
    /// show those records at once, not only after each is touched again.
    func testUpgradeFillsNewTablesFromRecordsAlreadyInTheLog() throws {
        let directory: URL
        do {
            let store = try makeStore()
            directory = store.directory
            try store.write { tx in
                try tx.set(.taskCollection, "a1b2c3d4e5f60718293a4b5c6d7e8f90", "title", .text("订场地"))
                try tx.set(.eventCollection, "0f1e2d3c4b5a69788796a5b4c3d2e1f0", "title", .text("读书会线下见面"))
                try tx.set(.eventCollection, "0f1e2d3c4b5a69788796a5b4c3d2e1f0", "start", .text("2026-12-12"))
                try tx.set(.templateCollection, MessageTemplate.id(forName: "欢迎语"), "name", .text("欢迎语"))
                try tx.set(.templateCollection, MessageTemplate.id(forName: "欢迎语"), "body", .text("欢迎 {name}！"))
                try tx.set(.postCollection, "5e1f2a3b4c5d6e7f8091a2b3c4d5e6f7", "title", .text("周六活动预告"))
                try tx.set(.postCollection, "5e1f2a3b4c5d6e7f8091a2b3c4d5e6f7", "at", .text("2026-12-05T20:00"))
                let reward = Reward.id(month: ReportMonth(year: 2026, month: 11)!, member: "0f1e2d3c4b5a69788796a5b4c3d2e1f0", origin: .leaderboard)
                try tx.set(.rewardCollection, reward, "member", .text("0f1e2d3c4b5a69788796a5b4c3d2e1f0"))
                try tx.set(.rewardCollection, reward, "month", .text("2026-11"))
                try tx.set(.rewardCollection, reward, "kind", .text("leaderboard"))
                try tx.set(.rewardCollection, reward, "gift", .text("书一本"))
                try tx.append(.rewardCollection, reward, Reward.sentField, "2026-12-01")
                // A chat chunk and a member's QQ number, from a teammate on the release with chat.
                let chunk = ChatChunk.encode([ChatRecordLine(id: 7, at: 1_704_139_200, kind: .message, sender: "qq:10001",
                                                             nickname: "张三", length: 3, inviter: nil, text: nil)])
                try tx.set(.chatCollection, ChatChunk.recordID(chunk), ChatMaterialiser.messagesField, .text(chunk))
                try tx.set(.memberCollection, "9f1e2d3c4b5a69788796a5b4c3d2e1f0", "name", .text("张三"))
                try tx.set(.memberCollection, "9f1e2d3c4b5a69788796a5b4c3d2e1f0", "qq", .text("10001"))
            }
            XCTAssertEqual(try store.tasks().map(\.title), ["订场地"])
        }
        // Take the store back to schema 3, as if these records had arrived before it knew them.
        let queue = try DatabaseQueue(path: directory.appendingPathComponent(Store.databaseFileName).path)
        try queue.writeWithoutTransaction { db in
            try db.execute(sql: """
                DROP TABLE task; DROP TABLE event; DROP TABLE history_fork; ALTER TABLE replica DROP COLUMN digest;
                DROP TABLE team_key; DROP TABLE invite; DROP TABLE void_change; DROP TABLE unverified_change;
                DROP TABLE template; DROP TABLE post; DROP TABLE reward;
                DROP TABLE chat_message; DROP TABLE chat_sender; DROP INDEX member_by_qq; DROP INDEX member_by_wechat; ALTER TABLE member DROP COLUMN qq;
                PRAGMA user_version = 3
                """)
        }
        try queue.close()

        let reopened = try Store.open(at: directory)
        XCTAssertEqual(try reopened.tasks().map(\.title), ["订场地"])
        XCTAssertEqual(try reopened.events().map(\.title), ["读书会线下见面"])
        XCTAssertEqual(try reopened.templates().map(\.body), ["欢迎 {name}！"])
        XCTAssertEqual(try reopened.posts().map(\.at), ["2026-12-05T20:00"])
        XCTAssertEqual(try reopened.rewards().map(\.gift), ["书一本"])
        XCTAssertEqual(try reopened.rewards().map(\.sent?.day), ["2026-12-01"])
        XCTAssertEqual(try reopened.members().map(\.qq), ["10001"])
        XCTAssertEqual(try reopened.hoursReport(days: 1, today: CalendarDay(year: 2024, month: 1, day: 1)!).messages, 1)
    }

    /// A store of the release before history digests: the upgrade computes each replica's
    /// digest from the log, the same as the one kept while applying.
    func testUpgradeComputesHistoryDigestsFromTheLog() throws {
        let directory: URL
        let digests: [ReplicaID: (seq: Int64, digest: String)]
        do {
            let store = try makeStore()
            directory = store.directory
            for name in ["张三", "李四", "王五"] { try store.add(name) { $0.tags = ["读书会"] } }
            let teammate = try makeStore(name: "teammate", team: store.identity.team)
            try teammate.add("赵六") { $0.city = "杭州" }
            try store.apply(try teammate.changes())
            digests = try store.historyDigests()
            XCTAssertEqual(digests.count, 2)
        }
        let queue = try DatabaseQueue(path: directory.appendingPathComponent(Store.databaseFileName).path)
        try queue.writeWithoutTransaction { db in
            try db.execute(sql: """
                DROP TABLE history_fork; ALTER TABLE replica DROP COLUMN digest;
                DROP TABLE team_key; DROP TABLE invite; DROP TABLE void_change; DROP TABLE unverified_change; DROP TABLE template; DROP TABLE post; DROP TABLE reward;
                DROP TABLE chat_message; DROP TABLE chat_sender; DROP INDEX member_by_qq; DROP INDEX member_by_wechat; ALTER TABLE member DROP COLUMN qq;
                PRAGMA user_version = 5
                """)
        }
        try queue.close()

        let reopened = try Store.open(at: directory)
        let rebuilt = try reopened.historyDigests()
        XCTAssertEqual(rebuilt.mapValues(\.digest), digests.mapValues(\.digest))
        XCTAssertEqual(rebuilt.mapValues(\.seq), digests.mapValues(\.seq))
    }
}
