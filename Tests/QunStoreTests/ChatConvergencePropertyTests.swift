import Foundation
import GRDB
import QunCore
@testable import QunStore
import QunStoreTestSupport
import QunTestSupport
import XCTest

/// Three laptops import random overlapping slices of one group's chat — the same messages in
/// exports cut at different places, some with the text kept, some without, links made on
/// different laptops, imports undone — while random partial exchanges (pages, gaps, holes,
/// duplicates, shuffled order) carry the chunks between them. After a full exchange every
/// laptop must hold byte-identical exports and the same chat lines, each message of the
/// group once; when nothing was undone, exactly the union of the slices imported.
///
/// Every failure message carries the seed. Replay one with
/// `QUN_SEED=<seed> swift test --filter ChatConvergencePropertyTests`.
final class ChatConvergencePropertyTests: StoreTestCase {
    static let fixedSeeds: [UInt64] = [7, 0xC4A7, 20_261_203]
    static let operationsPerSeed = 60

    func testChatImportsConverge() throws {
        for (run, seed) in testSeeds(Self.fixedSeeds).enumerated() {
            // Every other run undoes nothing, so that its result can be checked against the
            // union of the slices it imported.
            let undoes = run % 2 == 1
            var rng = SplitMix64(seed: seed)
            let stores = try makeTeam(["林晓", "王芳", "陈路"])
            let universe = ChatUniverse(rng: &rng)
            func fail(_ message: String) { XCTFail("seed \(seed) (replay: QUN_SEED=\(seed)): \(message)") }
            _ = try stores[0].add("张三") { $0.qq = "20001" }
            _ = try stores[0].add("小王")
            _ = try stores[0].add("陈路")
            try exchangeAll(stores)
            var imported: Set<Int> = []
            var undone = false
            var lastImport: [Int?] = [nil, nil, nil]
            var step = 0
            do {
                for _ in 0..<Self.operationsPerSeed {
                    step += 1
                    let laptop = rng.below(stores.count)
                    switch rng.below(10) {
                    case 0..<4:
                        let start = rng.below(universe.lines.count)
                        let end = min(universe.lines.count, start + rng.int(in: 1...40))
                        var options = ChatImportOptions()
                        options.keepText = rng.chance(30)
                        if rng.chance(20) { options.links = [(sender: "路人", member: "陈路")] }
                        let url = try makeTemporaryDirectory().appendingPathComponent("slice.txt")
                        try Data(universe.export(start..<end).utf8).write(to: url)
                        do {
                            let before = try stores[laptop].versionVector()
                            let report = try stores[laptop].importChat(url, options: options)
                            if report.rejected { fail("step \(step): a good slice was rejected: \(report.problems)") }
                            imported.formUnion(universe.stored(start..<end))
                            // An import of nothing new (and no new link) is no command to undo.
                            if try stores[laptop].versionVector() != before { lastImport[laptop] = step }
                        } catch ChatLinkError.unknownSender {
                            // The slice has no message of 路人 and no laptop has seen one yet.
                        }
                    case 4:
                        guard undoes, lastImport[laptop] != nil else { continue }
                        _ = try stores[laptop].undoLastCommand()
                        lastImport[laptop] = nil
                        undone = true
                    default:
                        let exchange = try PartialExchange(stores, rng: &rng)
                        if exchange.held > 0 { fail("step \(step): a change within the skew bound was held") }
                    }
                }
                try exchangeAll(stores)
                let export = try stores[0].exportText()
                let lines = try chatLines(stores[0])
                for (index, store) in stores.enumerated().dropFirst() {
                    if try store.exportText() != export { fail("export of store \(index) differs from store 0") }
                    if try chatLines(store) != lines { fail("chat lines of store \(index) differ from store 0") }
                    let day = CalendarDay(year: 2024, month: 3, day: 31)!
                    if try store.hoursReport(days: 120, today: day) != stores[0].hoursReport(days: 120, today: day) {
                        fail("hours report of store \(index) differs")
                    }
                    if try store.growthReport(weeks: 8, today: day) != stores[0].growthReport(weeks: 8, today: day) {
                        fail("growth report of store \(index) differs")
                    }
                }
                let ids = lines.map(\.id)
                if Set(ids).count != ids.count { fail("a chat line is stored twice") }
                if !Set(ids).isSubset(of: universe.ids) { fail("a stored line is not a line of the group's chat") }
                if !undone, Set(ids) != Set(imported.map { universe.ids[$0] }) {
                    fail("stored lines (\(ids.count)) are not the union of the imported slices (\(imported.count))")
                }
                print("seed \(seed): \(lines.count) of \(universe.lines.count) lines stored, undone: \(undone)")
            } catch {
                fail("step \(step): unexpected error \(error)")
            }
        }
    }

    struct StoredLine: Equatable {
        var at: Int64
        var id: Int64
        var text: String?
    }

    func chatLines(_ store: Store) throws -> [StoredLine] {
        try store.database.read { db in
            try Row.fetchAll(db, sql: "SELECT at, id, text FROM chat_message ORDER BY at, id").map {
                StoredLine(at: $0[0], id: $0[1], text: $0[2])
            }
        }
    }
}

/// One group's chat, from which the laptops' exports are cut: messages of four senders (one
/// saying the same thing twice in a second), joins, and recalls.
struct ChatUniverse {
    struct Line {
        var time: String
        var sender: String
        var body: String
        /// Stored as a line (a message or join), not a recall.
        var stored: Bool
    }

    var lines: [Line] = []
    /// The stored id of each line (nil for a recall), by position.
    var idsByLine: [Int64?] = []
    var ids: [Int64] { idsByLine.compactMap { $0 } }

    init(rng: inout SplitMix64) {
        let senders = ["张三(20001)", "小王(20002)", "路人(20003)", "Chen 🎉(20004)"]
        let texts = ["早", "哈哈哈", "[图片]", "今天读第\(rng.below(9))章", "收到\n明天见"]
        var second = ChatTime(year: 2024, month: 2, day: 5, hour: 7, minute: 0, second: 0)!.seconds
        for _ in 0..<120 {
            second += Int64(rng.int(in: 0...4000))
            let time = ChatTime(seconds: second).description
            switch rng.below(12) {
            case 0: lines.append(Line(time: time, sender: "系统消息(10000)", body: "新人\(rng.below(5))加入本群。", stored: true))
            case 1: lines.append(Line(time: time, sender: "系统消息(10000)", body: "张三撤回了一条消息", stored: false))
            case 2:
                // The same words twice in one second: two messages.
                let sender = senders[rng.below(senders.count)]
                lines.append(Line(time: time, sender: sender, body: "哈哈哈", stored: true))
                lines.append(Line(time: time, sender: sender, body: "哈哈哈", stored: true))
            default:
                lines.append(Line(time: time, sender: senders[rng.below(senders.count)], body: texts[rng.below(texts.count)], stored: true))
            }
        }
        // The ids a store gives these lines: import the whole chat once into memory-free math.
        var occurrences: [String: Int] = [:]
        var previous: String?
        for line in lines {
            if previous != line.time { occurrences.removeAll() }
            previous = line.time
            guard line.stored else { idsByLine.append(nil); continue }
            let isJoin = line.sender.hasPrefix("系统消息")
            let key = isJoin ? "name:" + String(line.body.dropLast("加入本群。".count)) : "qq:" + String(line.sender.split(separator: "(").last!.dropLast())
            let kind: ChatLine.Kind = isJoin ? .join : .message
            let identity = "\(kind.rawValue)\u{0}\(key)\u{0}\(line.body)"
            let occurrence = occurrences[identity, default: 0]
            occurrences[identity] = occurrence + 1
            let at = ChatFixtures.seconds(line.time)
            idsByLine.append(ChatLineID.make(sender: key, at: at, kind: kind, text: line.body, occurrence: occurrence))
        }
    }

    /// A QQ export of `range` of the lines. A cut never falls between two identical lines of
    /// one second: an export tool cuts by day or by count, and a pair cut apart is two
    /// exports that disagree about the second one (see `ChatLineID`).
    func export(_ range: Range<Int>) -> String {
        let range = widened(range)
        return ChatFixtures.preamble + lines[range].map { ChatFixtures.message($0.time, $0.sender, $0.body) }.joined()
    }

    func stored(_ range: Range<Int>) -> [Int] {
        widened(range).filter { idsByLine[$0] != nil }.map { index in ids.firstIndex(of: idsByLine[index]!)! }
    }

    private func widened(_ range: Range<Int>) -> Range<Int> {
        var start = range.lowerBound, end = range.upperBound
        while start > 0, lines[start - 1].time == lines[start].time { start -= 1 }
        while end < lines.count, lines[end].time == lines[end - 1].time { end += 1 }
        return start..<end
    }
}

extension ChatFixtures {
    static func seconds(_ time: String) -> Int64 {
        let parts = time.split(whereSeparator: { $0 == "-" || $0 == " " || $0 == ":" }).compactMap { Int($0) }
        return ChatTime(year: parts[0], month: parts[1], day: parts[2], hour: parts[3], minute: parts[4], second: parts[5])!.seconds
    }
}
