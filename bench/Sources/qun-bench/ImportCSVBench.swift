import Foundation
import QunStore

// `qun-bench import-csv [--rows N] [--runs N]`: `qun import members` of an N-row members CSV
// (Chinese names, cities, tags, roles; referrers and KOLs naming other rows) into a fresh
// store, against the floor: the same file parsed the same way (CSVTable) and its rows
// inserted by the C API into one plain table, in one transaction with one prepared
// statement. Parsing alone is timed too.
//
// Every run is a fresh child process (`import-csv-run MODE FILE`), so its peak resident
// memory (VmHWM) is that of one import and nothing else; the child times its own work,
// so process start-up is not counted.

enum ImportCSVBench {
    enum Mode: String, CaseIterable {
        case parse, raw, qun
    }

    static let surnames = Array("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗")
    static let given = Array("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂")
    static let cities = ["杭州", "上海", "北京", "深圳", "成都", "广州", "南京", "武汉", "西安", "苏州"]
    static let tags = ["读书会", "志愿者", "vip", "新人", "线下", "付费", "摄影", "跑步"]
    static let roles = ["成员", "成员", "普通", "核心", "member"]
    static let statuses = ["活跃", "活跃", "潜水", "active", "退群"]

    /// Unique names (a reference by name must not be ambiguous).
    static func name(_ index: Int) -> String {
        "\(surnames[index % surnames.count])\(given[(index / surnames.count) % given.count])\(index)"
    }

    /// Writes the CSV the way a spreadsheet saves it: BOM, CRLF, quoted notes.
    static func makeFile(rows: Int, at url: URL) throws {
        var text = "\u{FEFF}姓名,角色,城市,标签,推荐人,负责KOL,入群时间,状态,备注\r\n"
        text.reserveCapacity(rows * 110)
        for index in 0..<rows {
            let isKOL = index % 50 == 0
            let role = isKOL ? "意见领袖" : roles[index % roles.count]
            let rowTags = [tags[index % tags.count], tags[(index / 3) % tags.count]]
            let cell = rowTags[0] == rowTags[1] ? rowTags[0] : rowTags.joined(separator: "，")
            let referrer = index % 3 == 1 ? name(index / 2) : ""
            let kol = isKOL ? "" : name(index - index % 50)
            let joined = "2025/\(1 + index % 12)/\(1 + index % 28)"
            let notes = index % 10 == 0 ? "\"第\(index)位, 来自\(cities[index % cities.count])\"" : ""
            text += "\(name(index)),\(role),\(cities[index % cities.count]),\(cell),\(referrer),\(kol),\(joined),\(statuses[index % statuses.count]),\(notes)\r\n"
        }
        try Data(text.utf8).write(to: url)
    }

    /// One run in this (fresh) process; prints `seconds peak-MiB rows`.
    static func runOnce(_ mode: Mode, file: URL) throws {
        let directory = temporaryDirectory("import-\(mode.rawValue)")
        defer { try? FileManager.default.removeItem(at: directory) }
        var store: Store?
        var raw: RawSQLite?
        switch mode {
        case .parse: break
        case .qun: store = try Store.create(at: directory.appendingPathComponent("store"), operatorName: "bench")
        case .raw:
            raw = try RawSQLite(path: directory.appendingPathComponent("raw.sqlite").path)
        }
        let start = DispatchTime.now().uptimeNanoseconds
        var rows = 0
        switch mode {
        case .parse:
            rows = try CSVTable(contentsOf: file).records.count
        case .raw:
            let table = try CSVTable(contentsOf: file)
            let columns = table.header.count
            let values: [[RawValue]] = table.records.map { record in
                (0..<columns).map { $0 < record.fields.count ? .text(record.fields[$0]) : .null }
            }
            try raw!.execute("CREATE TABLE member (\((0..<columns).map { "c\($0) TEXT" }.joined(separator: ", ")))")
            try raw!.execute("BEGIN IMMEDIATE")
            try raw!.insert(into: "member", columns: columns, rows: values)
            try raw!.execute("COMMIT")
            rows = values.count
        case .qun:
            let report = try store!.importMembers(try CSVTable(contentsOf: file))
            guard !report.rejected else { throw BenchError("import rejected: \(report.problems.prefix(3))") }
            rows = report.imported
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        print(String(format: "%.6f %.1f %d", seconds, peakRSSMiB(), rows))
    }

    /// Runs `mode` `runs` times, each in a child process; median time and the largest peak.
    static func measure(_ mode: Mode, file: URL, runs: Int) throws -> (seconds: Double, peakMiB: Double, rows: Int) {
        let result = try measureInChildren(["import-csv-run", mode.rawValue, file.path], runs: runs)
        return (result.seconds, result.peakMiB, result.count)
    }

    static func run(rows: Int, runs: Int) throws {
        let directory = temporaryDirectory("csv")
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("members.csv")
        try makeFile(rows: rows, at: file)
        let bytes = (try FileManager.default.attributesOfItem(atPath: file.path)[.size] as? Int) ?? 0
        print("qun-bench import-csv — \(machine()) — median of \(runs) runs, each in a fresh process")
        print("")
        print(String(format: "import members: %d rows, %.1f MB CSV (BOM, CRLF, Chinese headers and values, referrers and KOLs by name)", rows, Double(bytes) / 1e6))
        let parse = try measure(.parse, file: file, runs: runs)
        let raw = try measure(.raw, file: file, runs: runs)
        let qun = try measure(.qun, file: file, runs: runs)
        precondition(qun.rows == rows && raw.rows == rows && parse.rows == rows, "rows: \(parse.rows) \(raw.rows) \(qun.rows)")
        func line(_ label: String, _ result: (seconds: Double, peakMiB: Double, rows: Int)) -> String {
            label.padding(toLength: 46, withPad: " ", startingAt: 0)
                + "\(format(result.seconds))  \(rate(rows, result.seconds).padding(toLength: 10, withPad: " ", startingAt: 0)) rows  peak \(String(format: "%.0f", result.peakMiB)) MiB"
        }
        print(line("  parse only (CSVTable)", parse))
        print(line("  raw SQLite, parse + one plain table", raw))
        print(line("  qun import members (Store.importMembers)", qun) + String(format: "  ratio %.2fx", qun.seconds / raw.seconds))
        print(String(format: "  qun minus parse: %.3f s for checks, references and writes (raw: %.3f s of inserts)",
                     qun.seconds - parse.seconds, raw.seconds - parse.seconds))
    }
}
