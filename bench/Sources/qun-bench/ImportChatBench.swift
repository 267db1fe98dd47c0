import Foundation
import QunStore

// `qun-bench import-chat [--messages N] [--runs N]`: `qun import chat` of an N-message QQ
// text export into a fresh store, against two floors measured in the same run: reading the
// export alone (`ChatExportReader`), and reading it and inserting one plain row per message
// (sender, time, length) by the C API in one transaction with one prepared statement.
//
// Each run is a fresh child process (`import-chat-run MODE FILE`) that times its own work and
// reports its peak resident memory (VmHWM).

enum ImportChatBench {
    enum Mode: String, CaseIterable {
        case parse, raw, qun
    }

    static let surnames = Array("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗")
    static let given = Array("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂")
    static let texts = ["大家好", "今天读到第三章了，感觉很有意思", "[图片]", "哈哈哈", "👍👍", "明天的活动几点开始？",
                        "收到", "打卡 第 12 天 🎉", "这本书推荐给大家\n作者是老舍\n\n值得一读", "[表情]"]

    /// A QQ export as QQ writes it: preamble, then one header and body per message, 300
    /// senders (Chinese nicknames, some with emoji or parentheses), a message every ~20 s
    /// from 2024-01-01, every 500th line a join or a recall.
    static func makeFile(messages: Int, at url: URL) throws {
        guard let handle = FileHandle(forWritingAtPath: { FileManager.default.createFile(atPath: url.path, contents: nil); return url.path }()) else {
            throw BenchError("cannot write \(url.path)")
        }
        defer { try? handle.close() }
        var text = "消息记录（此消息记录为文本格式，不支持重新导入）\n\n================================================================\n消息分组:我的群聊\n================================================================\n消息对象:读书会\n================================================================\n\n"
        let start = ChatTime(year: 2024, month: 1, day: 1, hour: 0, minute: 0, second: 0)!.seconds
        for index in 0..<messages {
            let time = ChatTime(seconds: start + Int64(index) * 20 + Int64(index % 7))
            let sender = index % 300
            let nickname = "\(surnames[sender % surnames.count])\(given[sender / surnames.count % given.count])" + (sender % 17 == 0 ? "🎉" : "") + (sender % 23 == 0 ? "(读书会)" : "")
            if index % 500 == 499 {
                text += "\(time) 系统消息(10000)\n\(index % 1000 == 999 ? "\(nickname)撤回了一条消息" : "新人\(index)加入本群。")\n\n"
            } else {
                text += "\(time) \(nickname)(\(100_000 + sender))\n\(texts[index % texts.count])\n\n"
            }
            if text.utf8.count > 1 << 20 {
                handle.write(Data(text.utf8))
                text.removeAll(keepingCapacity: true)
            }
        }
        handle.write(Data(text.utf8))
    }

    /// One run in this (fresh) process; prints `seconds peak-MiB lines`.
    static func runOnce(_ mode: Mode, file: URL) throws {
        let directory = temporaryDirectory("chat-\(mode.rawValue)")
        defer { try? FileManager.default.removeItem(at: directory) }
        var store: Store?
        var raw: RawSQLite?
        switch mode {
        case .parse: break
        case .qun: store = try Store.create(at: directory.appendingPathComponent("store"), operatorName: "bench")
        case .raw:
            raw = try RawSQLite(path: directory.appendingPathComponent("raw.sqlite").path)
            try raw!.execute("CREATE TABLE message (sender TEXT, at INTEGER, length INTEGER)")
        }
        let start = DispatchTime.now().uptimeNanoseconds
        var lines = 0
        switch mode {
        case .parse:
            _ = try ChatExportReader(format: .qq).read(contentsOf: file) { _ in lines += 1 }
        case .raw:
            try raw!.execute("BEGIN IMMEDIATE")
            var batch: [[RawValue]] = []
            _ = try ChatExportReader(format: .qq).read(contentsOf: file) { line in
                guard line.kind == .message || line.kind == .join else { return }
                batch.append([.text(line.sender.key), .int(line.time.seconds), .int(Int64(line.text.unicodeScalars.count))])
                if batch.count == 10_000 {
                    try raw!.insert(into: "message", columns: 3, rows: batch)
                    batch.removeAll(keepingCapacity: true)
                }
                lines += 1
            }
            try raw!.insert(into: "message", columns: 3, rows: batch)
            try raw!.execute("COMMIT")
        case .qun:
            let report = try store!.importChat(file, options: ChatImportOptions())
            guard !report.rejected else { throw BenchError("import rejected: \(report.problems.prefix(3))") }
            lines = report.added
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        print(String(format: "%.6f %.1f %d", seconds, peakRSSMiB(), lines))
    }

    /// Runs `mode` `runs` times, each in a child process; median time and the largest peak.
    static func measure(_ mode: Mode, file: URL, runs: Int) throws -> (seconds: Double, peakMiB: Double, lines: Int) {
        let result = try measureInChildren(["import-chat-run", mode.rawValue, file.path], runs: runs)
        return (result.seconds, result.peakMiB, result.count)
    }

    static func run(messages: Int, runs: Int) throws {
        let directory = temporaryDirectory("chat")
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("读书会.txt")
        try makeFile(messages: messages, at: file)
        let bytes = (try FileManager.default.attributesOfItem(atPath: file.path)[.size] as? Int) ?? 0
        print("qun-bench import-chat — \(machine()) — median of \(runs) runs, each in a fresh process")
        print("")
        print(String(format: "import chat: %d lines, %.1f MB QQ text export (300 senders, Chinese nicknames, emoji, multi-line messages, joins and recalls)", messages, Double(bytes) / 1e6))
        let parse = try measure(.parse, file: file, runs: runs)
        let raw = try measure(.raw, file: file, runs: runs)
        let qun = try measure(.qun, file: file, runs: runs)
        func line(_ label: String, _ result: (seconds: Double, peakMiB: Double, lines: Int)) -> String {
            label.padding(toLength: 50, withPad: " ", startingAt: 0)
                + "\(format(result.seconds))  \(rate(result.lines, result.seconds).padding(toLength: 10, withPad: " ", startingAt: 0)) lines  peak \(String(format: "%.0f", result.peakMiB)) MiB"
        }
        print(line("  read only (ChatExportReader)", parse))
        print(line("  raw SQLite, read + one plain row per line", raw))
        print(line("  qun import chat (Store.importChat)", qun) + String(format: "  ratio %.2fx", qun.seconds / raw.seconds))
        print("  stored lines: \(qun.lines) (messages and joins; recalls are read, not stored)")
    }
}
