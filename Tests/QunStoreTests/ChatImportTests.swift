import Foundation
import GRDB
import QunCore
@testable import QunStore
import QunStoreTestSupport
import QunTestSupport
import XCTest

/// A QQ group's export, as QQ writes it: the figures below are worked out by hand from it.
enum ChatFixtures {
    static let preamble = QQExportText.preamble

    static func message(_ time: String, _ sender: String, _ body: String) -> String {
        QQExportText.message(time, sender, body)
    }

    /// 2024-01-01 is a Monday.
    /// - 张三(10001): 3 messages (Mon 20h ×2, Tue 21h), one two lines long
    /// - 小王🎉(10002): 2 messages (Mon 20h, Wed 08h)
    /// - 路人(10003): 1 message (Sun 07 Jan 22h), matches no member
    /// - 李四 joins on Tue 02 Jan (system), 张三 recalls a message (system)
    static let qq = preamble
        + message("2024-01-01 20:01:05", "张三(10001)", "大家好")
        + message("2024-01-01 20:15:00", "小王🎉(10002)", "晚上好 🎉")
        + message("2024-01-01 20:30:00", "张三(10001)", "今天读到第三章\n\n明天继续")
        + message("2024-01-02 21:00:00", "张三(10001)", "[图片]")
        + message("2024-01-02 21:05:00", "系统消息(10000)", "李四加入本群。")
        + message("2024-01-02 21:06:00", "系统消息(10000)", "张三撤回了一条消息")
        + message("2024-01-03 8:00:00", "小王🎉(10002)", "早")
        + message("2024-01-07 22:00:00", "路人(10003)", "有人吗")
}

final class ChatImportTests: StoreTestCase {
    func write(_ text: String, name: String = "chat.txt") throws -> URL {
        let url = try makeTemporaryDirectory().appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url
    }

    func count(_ store: Store, _ sql: String = "SELECT count(*) FROM chat_message") throws -> Int {
        try store.database.read { db in try Int.fetchOne(db, sql: sql) ?? -1 }
    }

    func testAQQExportBecomesMessagesJoinsAndMatchedSenders() throws {
        let store = try makeStore()
        let zhang = try store.add("张三") { $0.qq = "10001" }
        let wang = try store.add("小王🎉")
        let report = try store.importChat(try write(ChatFixtures.qq))
        XCTAssertEqual(report.format, .qq)
        XCTAssertEqual(report.group, "读书会")
        XCTAssertEqual([report.messages, report.joins, report.leaves, report.recalls], [6, 1, 0, 1])
        XCTAssertEqual(report.added, 7)
        XCTAssertEqual(report.alreadyHeld, 0)
        XCTAssertEqual(report.first?.description, "2024-01-01 20:01:05")
        XCTAssertEqual(report.last?.description, "2024-01-07 22:00:00")
        XCTAssertFalse(report.rejected)
        XCTAssertEqual(report.senders.map(\.key), ["qq:10001", "qq:10002", "qq:10003"])
        XCTAssertEqual(report.senders.map(\.messages), [3, 2, 1])
        XCTAssertEqual(report.senders[0].member, zhang.id)
        XCTAssertEqual(report.senders[0].match, .handle)
        XCTAssertEqual(report.senders[1].member, wang.id)
        XCTAssertEqual(report.senders[1].match, .name)
        XCTAssertEqual(report.unmatched.map(\.nickname), ["路人"])
        XCTAssertEqual(try count(store), 7)
        XCTAssertEqual(try count(store, "SELECT count(*) FROM chat_message WHERE kind = 1 AND sender = 'name:李四'"), 1)
        // Text is not kept unless asked for; the length is.
        XCTAssertEqual(try count(store, "SELECT count(*) FROM chat_message WHERE text IS NOT NULL"), 0)
        XCTAssertEqual(try count(store, "SELECT length FROM chat_message WHERE at = \(ChatTime(year: 2024, month: 1, day: 1, hour: 20, minute: 30, second: 0)!.seconds)"),
                       "今天读到第三章\n\n明天继续".unicodeScalars.count)
    }

    func testImportingTheSameFileTwiceStoresEachMessageOnce() throws {
        let store = try makeStore()
        let file = try write(ChatFixtures.qq)
        _ = try store.importChat(file)
        let before = try store.exportText()
        let again = try store.importChat(file)
        XCTAssertEqual(again.added, 0)
        XCTAssertEqual(again.alreadyHeld, 7)
        XCTAssertEqual(try count(store), 7)
        XCTAssertEqual(try store.exportText(), before, "a second import writes nothing")
    }

    func testOverlappingExportsOnTwoLaptopsConvergeToEachMessageOnce() throws {
        let team = try makeTeam(["林晓", "王芳"])
        let (a, b) = (team[0], team[1])
        let blocks = ChatFixtures.qq.components(separatedBy: "\n\n2024").count
        XCTAssertEqual(blocks, 9)
        // Laptop A exports up to Tuesday, laptop B from Monday evening on.
        let first = ChatFixtures.preamble
            + ChatFixtures.message("2024-01-01 20:01:05", "张三(10001)", "大家好")
            + ChatFixtures.message("2024-01-01 20:15:00", "小王🎉(10002)", "晚上好 🎉")
            + ChatFixtures.message("2024-01-01 20:30:00", "张三(10001)", "今天读到第三章\n\n明天继续")
            + ChatFixtures.message("2024-01-02 21:00:00", "张三(10001)", "[图片]")
        let second = ChatFixtures.preamble
            + ChatFixtures.message("2024-01-01 20:30:00", "张三(10001)", "今天读到第三章\n\n明天继续")
            + ChatFixtures.message("2024-01-02 21:00:00", "张三(10001)", "[图片]")
            + ChatFixtures.message("2024-01-02 21:05:00", "系统消息(10000)", "李四加入本群。")
            + ChatFixtures.message("2024-01-03 8:00:00", "小王🎉(10002)", "早")
            + ChatFixtures.message("2024-01-07 22:00:00", "路人(10003)", "有人吗")
        XCTAssertEqual(try a.importChat(try write(first)).added, 4)
        XCTAssertEqual(try b.importChat(try write(second)).added, 5)
        try exchangeAll(team)
        XCTAssertEqual(try count(a), 7)
        XCTAssertEqual(try count(b), 7)
        XCTAssertEqual(try a.exportText(), try b.exportText())
        XCTAssertEqual(try a.hoursReport(days: 30, today: CalendarDay(year: 2024, month: 1, day: 10)!),
                       try b.hoursReport(days: 30, today: CalendarDay(year: 2024, month: 1, day: 10)!))
        // The whole export after the exchange adds nothing on either laptop.
        XCTAssertEqual(try a.importChat(try write(ChatFixtures.qq)).added, 0)
    }

    func testABadLineRejectsTheWholeImportUnlessSkipBad() throws {
        let store = try makeStore()
        let text = ChatFixtures.qq + ChatFixtures.message("2024-13-45 25:61:00", "张三(10001)", "坏的时间")
        let badLine = text.components(separatedBy: "\n").firstIndex { $0.hasPrefix("2024-13-45") }! + 1
        let before = try store.exportText()
        let report = try store.importChat(try write(text))
        XCTAssertTrue(report.rejected)
        XCTAssertEqual(report.problems.map(\.line), [badLine])
        XCTAssertEqual(try count(store), 0)
        XCTAssertEqual(try store.exportText(), before)
        var options = ChatImportOptions()
        options.skipBad = true
        let skipped = try store.importChat(try write(text), options: options)
        XCTAssertFalse(skipped.rejected)
        XCTAssertEqual(skipped.added, 7)
        XCTAssertEqual(try count(store), 7)
    }

    func testADryRunWritesNothingNotEvenItsLinks() throws {
        let store = try makeStore()
        _ = try store.add("陈路")
        let before = try store.exportText()
        var options = ChatImportOptions()
        options.dryRun = true
        options.links = [(sender: "路人", member: "陈路")]
        let report = try store.importChat(try write(ChatFixtures.qq), options: options)
        XCTAssertTrue(report.dryRun)
        XCTAssertEqual(report.added, 7)
        XCTAssertEqual(report.senders.first { $0.key == "qq:10003" }?.match, .link)
        XCTAssertEqual(try count(store), 0)
        XCTAssertEqual(try store.exportText(), before)
    }

    func testALinkIsRememberedAndMovesFromAWrongMember() throws {
        let store = try makeStore()
        let chen = try store.add("陈路")
        let wrong = try store.add("路人甲")
        var options = ChatImportOptions()
        options.links = [(sender: "路人", member: "路人甲")]
        let first = try store.importChat(try write(ChatFixtures.qq), options: options)
        XCTAssertEqual(first.linked.map(\.key), ["qq:10003"])
        XCTAssertEqual(first.senders.first { $0.key == "qq:10003" }?.member, wrong.id)
        // Corrected: the key moves to 陈路, and a later import without --link remembers it.
        options.links = [(sender: "qq:10003", member: "陈路")]
        _ = try store.importChat(try write(ChatFixtures.qq), options: options)
        let later = try store.importChat(try write(ChatFixtures.qq))
        XCTAssertEqual(later.senders.first { $0.key == "qq:10003" }?.member, chen.id)
        XCTAssertEqual(later.senders.first { $0.key == "qq:10003" }?.match, .link)
        // The message counts for 陈路's activity, dated by the chat's own day.
        let why = try store.activity("陈路", at: CalendarDay(year: 2024, month: 1, day: 7)!)
        XCTAssertEqual(why.contributions.map(\.kind), [.message])
        XCTAssertEqual(why.contributions.first?.day.description, "2024-01-07")
        XCTAssertEqual(why.score, 0.2, accuracy: 1e-9)
    }

    func testALinkThatNamesNoSenderRejectsTheImport() throws {
        let store = try makeStore()
        _ = try store.add("陈路")
        var options = ChatImportOptions()
        options.links = [(sender: "没有这个人", member: "陈路")]
        XCTAssertThrowsError(try store.importChat(try write(ChatFixtures.qq), options: options)) { error in
            XCTAssertEqual(error as? ChatLinkError, .unknownSender("没有这个人"))
        }
        XCTAssertEqual(try count(store), 0)
    }

    func testKeepTextStoresTheWordsAndAnImportWithoutItDoesNotEraseThem() throws {
        let store = try makeStore()
        var options = ChatImportOptions()
        options.keepText = true
        _ = try store.importChat(try write(ChatFixtures.qq), options: options)
        XCTAssertEqual(try count(store, "SELECT count(*) FROM chat_message WHERE text = '今天读到第三章\n\n明天继续'"), 1)
        XCTAssertEqual(try count(store, "SELECT count(*) FROM chat_message WHERE text IS NOT NULL"), 7)
    }

    func testUndoOfAnImportTakesItsMessagesBack() throws {
        let store = try makeStore()
        _ = try store.importChat(try write(ChatFixtures.qq))
        XCTAssertEqual(try count(store), 7)
        _ = try store.undoLastCommand()
        XCTAssertEqual(try count(store), 0)
        XCTAssertEqual(try count(store, "SELECT count(*) FROM chat_sender"), 0)
    }

    func testMessagesCountAtMostTenADayInTheScore() throws {
        let store = try makeStore()
        _ = try store.add("张三") { $0.qq = "10001" }
        var text = ChatFixtures.preamble
        for minute in 0..<25 {
            text += ChatFixtures.message("2024-01-05 20:\(minute < 10 ? "0" : "")\(minute):00", "张三(10001)", "刷屏 \(minute)")
        }
        _ = try store.importChat(try write(text))
        let why = try store.activity("张三", at: CalendarDay(year: 2024, month: 1, day: 5)!)
        XCTAssertEqual(why.contributions.map(\.count), [25])
        XCTAssertEqual(why.contributions.map(\.counted), [10])
        XCTAssertEqual(why.score, 2.0, accuracy: 1e-9)
    }

    func testChunkTextRoundTripsTabsLineBreaksAndBackslashes() {
        let lines = [
            ChatRecordLine(id: -5, at: 1_704_139_200, kind: .message, sender: "name:a\tb", nickname: "小\\王\n🎉",
                           length: 3, inviter: nil, text: "第一行\n\t第二行\\"),
            ChatRecordLine(id: 42, at: 1, kind: .join, sender: "name:李四", nickname: "李四", length: 0, inviter: "张三", text: nil),
        ]
        let text = ChatChunk.encode(lines)
        XCTAssertEqual(ChatChunk.decode(text), lines)
        XCTAssertNil(ChatChunk.decode("not a chunk"))
        XCTAssertEqual(ChatChunk.decode(text + "\nbroken\tline"), lines, "an undecodable line is skipped")
    }

    func testAnImportOfLongTextsIsSignedInBlocksOfAMegabyteAndPagedByBytes() throws {
        let store = try makeStore()
        var text = ChatFixtures.preamble
        let long = String(repeating: "很长的一段话 ", count: 300)
        for index in 0..<2_000 {
            let minute = index / 60, second = index % 60
            text += ChatFixtures.message("2024-01-01 \(10 + minute / 60):\(String(format: "%02d", minute % 60)):\(String(format: "%02d", second))",
                                         "张三(10001)", "\(index) \(long)")
        }
        var options = ChatImportOptions()
        options.keepText = true
        XCTAssertEqual(try store.importChat(try write(text), options: options).added, 2_000)
        let all = try store.changes()
        let payload = all.reduce(0) { $0 + $1.operation.payload.count }
        XCTAssertGreaterThan(payload, 8 << 20, "the import is big enough to need several pages")
        // Every commit block stays near a megabyte, so that a page of whole blocks fits a body.
        var block = 0, largestChange = 0
        for change in all {
            largestChange = max(largestChange, change.operation.payload.count)
            if case .signature = change.operation {
                XCTAssertLessThanOrEqual(block, CommitBlock.maximumBytes + largestChange)
                block = 0
            } else {
                block += change.operation.payload.count
            }
        }
        // Pages end at a block's end once past the byte budget, and together are the log.
        var pages: [[Change]] = []
        var cursor: ChangeID?
        while true {
            let page = try store.changes(after: cursor, limit: 5_000, wholeBlocks: true, maximumBytes: 4 << 20)
            guard let last = page.last else { break }
            pages.append(page)
            cursor = last.id
            if case .signature = last.operation {} else { XCTFail("a page ends inside a commit block") }
            XCTAssertLessThanOrEqual(page.reduce(0) { $0 + $1.operation.payload.count },
                                     (4 << 20) + CommitBlock.maximumBytes + 2 * largestChange)
        }
        XCTAssertGreaterThan(pages.count, 2)
        XCTAssertEqual(pages.flatMap { $0 }, all)
    }
}
