import Foundation
import GRDB
import GRDBSQLite
import QunCore
import QunSchema
import QunStore
import QunSync

// qun-bench: figures for BENCHMARKS.md, each next to a raw-SQLite baseline in the same run.
//
//     swift run -c release qun-bench [--members N] [--changes N] [--runs N] [--summary FILE]
//
// `--summary FILE` appends one tab-separated line per figure (what, qun seconds, baseline
// seconds, baseline, unit) for the closing table of `scripts/bench.sh`.
//
// bulk-add   N members through Store.addMembers (one transaction) vs the C API inserting
//            (a) the same N members as plain rows of one table, and (b) exactly the rows
//            qun wrote (change log + derived tables), read back from qun's store.
// bundle     a bundle of ~N changes applied into an empty store (decode + verify + apply)
//            vs the C API inserting the same rows the apply produced.
// import-csv `qun import members` of a CSV vs raw SQLite (see ImportCSVBench.swift).
// import-chat `qun import chat` of a QQ export vs raw SQLite (see ImportChatBench.swift).
// seal       what sealing adds to a full sync, in process (see SealBench.swift).

let arguments = Array(CommandLine.arguments.dropFirst())
func option(_ name: String, _ fallback: Int) -> Int {
    guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count, let value = Int(arguments[index + 1]) else { return fallback }
    return value
}
let memberCount = option("--members", 100_000)
let changeCount = option("--changes", 100_000)
let runs = option("--runs", 3)
let summaryPath = arguments.firstIndex(of: "--summary").flatMap { $0 + 1 < arguments.count ? arguments[$0 + 1] : nil }

/// Appends a figure to the summary file, if one was asked for.
func summarise(_ what: String, qun: Double, baseline: Double, _ baselineName: String) {
    guard let summaryPath else { return }
    let line = "\(what)\t\(qun)\t\(baseline)\t\(baselineName)\ts\n"
    if let handle = FileHandle(forWritingAtPath: summaryPath) {
        handle.seekToEndOfFile()
        handle.write(Data(line.utf8))
        handle.closeFile()
    } else {
        _ = FileManager.default.createFile(atPath: summaryPath, contents: Data(line.utf8))
    }
}

let cities = ["杭州", "上海", "北京", "深圳", "成都", "广州", "南京", "武汉"]
let tagPool = ["读书会", "志愿者", "vip", "新人", "线下", "付费", "核心", "摄影"]
let roles: [Member.Role] = [.member, .member, .member, .core, .kol]

func drafts(_ count: Int) -> [MemberDraft] {
    (0..<count).map { index in
        var draft = MemberDraft(name: "成员\(index)")
        draft.role = roles[index % roles.count]
        draft.city = cities[index % cities.count]
        draft.joined = "2026-0\(1 + index % 9)-1\(index % 10)"
        draft.tags = [tagPool[index % tagPool.count]] + (index % 3 == 0 ? [tagPool[(index + 3) % tagPool.count]] : [])
        return draft
    }
}

let derivedTables = ["replica", "name", "record", "change", "field_value", "set_tag", "member", "meta"]

/// The C API writing exactly the rows a qun store holds, into the same schema.
func rawReplay(of storeDirectory: URL) throws -> (seconds: Double, rows: Int) {
    let source = try RawSQLite(path: storeDirectory.appendingPathComponent(Store.databaseFileName).path)
    var tables: [(String, Int, [[RawValue]])] = []
    for table in derivedTables {
        let (columns, rows) = try source.rows(of: table)
        tables.append((table, columns, rows))
    }
    let migrations = try Schema.migrations()
    var total = 0
    let seconds = try median(runs: runs) {
        let directory = temporaryDirectory("raw")
        defer { try? FileManager.default.removeItem(at: directory) }
        let raw = try RawSQLite(path: directory.appendingPathComponent("raw.sqlite").path)
        for migration in migrations { try raw.execute(migration.sql) }
        try raw.execute("BEGIN IMMEDIATE")
        total = 0
        for (table, columns, rows) in tables {
            try raw.insert(into: table, columns: columns, rows: rows)
            total += rows.count
        }
        try raw.execute("COMMIT")
    }
    return (seconds, total)
}

func plainMembers(_ drafts: [MemberDraft]) throws -> Double {
    let rows: [[RawValue]] = drafts.enumerated().map { index, draft in
        [.text(RecordID.random()), .text("BNCH-\(index + 1)"), .text(draft.name), .text(draft.role.rawValue),
         .text("active"), .text(draft.joined ?? ""), .text(draft.city ?? ""), .text(draft.tags.joined(separator: ","))]
    }
    return try median(runs: runs) {
        let directory = temporaryDirectory("plain")
        defer { try? FileManager.default.removeItem(at: directory) }
        let raw = try RawSQLite(path: directory.appendingPathComponent("plain.sqlite").path)
        try raw.execute("CREATE TABLE member (uid TEXT PRIMARY KEY, number TEXT, name TEXT, role TEXT, status TEXT, joined TEXT, city TEXT, tags TEXT)")
        try raw.execute("BEGIN IMMEDIATE")
        try raw.insert(into: "member", columns: 8, rows: rows)
        try raw.execute("COMMIT")
    }
}

extension Store {
    static func open(at directory: URL, orCreateAs name: String, team: Team?) throws -> Store {
        if FileManager.default.fileExists(atPath: directory.appendingPathComponent(databaseFileName).path) {
            return try open(at: directory)
        }
        return try create(at: directory, operatorName: name, team: team)
    }
}

func machine() -> String {
    let cpu = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8))?
        .split(separator: "\n").first { $0.hasPrefix("model name") }?
        .split(separator: ":").last.map { $0.trimmingCharacters(in: .whitespaces) } ?? "unknown cpu"
    return "\(ProcessInfo.processInfo.activeProcessorCount) cores, \(cpu)"
}

// `qun-bench make-store DIR --changes N [--team-of STORE]`: a store of about N changes
// (members, ~7 changes each) for the sync benchmark script. With `--members N` instead:
// exactly N members, for the command-line latency figures.
if arguments.first == "make-store", arguments.count >= 2, arguments.contains("--members") {
    let directory = URL(fileURLWithPath: arguments[1])
    let store = try Store.open(at: directory, orCreateAs: "bench", team: nil)
    var made = 0
    while made < memberCount {
        let want = min(20_000, memberCount - made)
        _ = try store.addMembers(drafts(want).map { var d = $0; d.name += "-\(made)"; return d })
        made += want
    }
    print("\(directory.path): \(made) members, \(try store.status().changes) changes")
    exit(0)
}

// `qun-bench versions`: the SQLite library qun links, for the machine notes.
// `qun-bench seal STORE [--runs N]`: what sealing adds to a full sync of STORE (SealBench).
if arguments.first == "seal", arguments.count >= 2 {
    try SealBench.run(store: URL(fileURLWithPath: arguments[1]), runs: runs)
    exit(0)
}

if arguments.first == "versions" {
    print("SQLite \(String(cString: sqlite3_libversion()))")
    exit(0)
}

// `qun-bench checkpoint DIR`: folds the store's write-ahead log back into the database file
// and truncates it, so latency can be measured with and without a long log to recover.
if arguments.first == "checkpoint", arguments.count >= 2 {
    let path = URL(fileURLWithPath: arguments[1]).appendingPathComponent(Store.databaseFileName).path
    let walBytes = { ((try? FileManager.default.attributesOfItem(atPath: path + "-wal"))?[.size] as? Int) ?? 0 }
    let before = walBytes()
    let queue = try DatabaseQueue(path: path)
    try queue.writeWithoutTransaction { db in _ = try db.checkpoint(.truncate) }
    try queue.close()
    print("\(arguments[1]): write-ahead log \(before) -> \(walBytes()) bytes")
    exit(0)
}

// `qun-bench storage DIR`: what the change log of a store costs on disk, per change.
if arguments.first == "storage", arguments.count >= 2 {
    let path = URL(fileURLWithPath: arguments[1]).appendingPathComponent(Store.databaseFileName).path
    let report = try changeLogStorage(path: path)
    print(report.description)
    print("result \(report.changes) \(report.logBytes) \(report.payloadBytes)")
    exit(0)
}

if arguments.first == "make-store", arguments.count >= 2 {
    let directory = URL(fileURLWithPath: arguments[1])
    let team: Store.Team? = try arguments.firstIndex(of: "--team-of").map {
        try Store.open(at: URL(fileURLWithPath: arguments[$0 + 1])).identity.team!
    }
    let store = try Store.open(at: directory, orCreateAs: "bench", team: team)
    let start = try store.status().changes
    var made = start
    var batch = 0
    while made - start < changeCount {
        let want = min(20_000, max(1, (changeCount - (made - start)) / 7))
        _ = try store.addMembers(drafts(want).map { var d = $0; d.name += "-\(batch)"; return d })
        batch += 1
        made = try store.status().changes
    }
    print("\(directory.path): \(made) changes")
    exit(0)
}

// `qun-bench import-chat [--messages N] [--runs N]`: chat import against raw SQLite (ImportChatBench).
if arguments.first == "import-chat" {
    try ImportChatBench.run(messages: option("--messages", 1_000_000), runs: option("--runs", 3))
    exit(0)
}
if arguments.first == "import-chat-run", arguments.count == 3, let mode = ImportChatBench.Mode(rawValue: arguments[1]) {
    try ImportChatBench.runOnce(mode, file: URL(fileURLWithPath: arguments[2]))
    exit(0)
}

// `qun-bench import-csv [--rows N] [--runs N]`: CSV import against raw SQLite (ImportCSVBench).
if arguments.first == "import-csv" {
    try ImportCSVBench.run(rows: option("--rows", 100_000), runs: option("--runs", 5))
    exit(0)
}
if arguments.first == "import-csv-run", arguments.count == 3, let mode = ImportCSVBench.Mode(rawValue: arguments[1]) {
    try ImportCSVBench.runOnce(mode, file: URL(fileURLWithPath: arguments[2]))
    exit(0)
}

print("qun-bench — \(machine()) — median of \(runs) runs")
print("")

// MARK: bulk add
do {
    let input = drafts(memberCount)
    var lastStore: URL?
    let qun = try median(runs: runs) {
        if let lastStore { try? FileManager.default.removeItem(at: lastStore.deletingLastPathComponent()) }
        let directory = temporaryDirectory("bulk")
        let store = try Store.create(at: directory.appendingPathComponent("store"), operatorName: "bench")
        _ = try store.addMembers(input)
        lastStore = directory.appendingPathComponent("store")
    }
    let changes = try Store.open(at: lastStore!).status().changes
    let replay = try rawReplay(of: lastStore!)
    let plain = try plainMembers(input)
    print("bulk add: \(memberCount) members (\(changes) changes) in one transaction")
    print("  qun Store.addMembers            \(format(qun))  \(rate(memberCount, qun)) members")
    print("  raw SQLite, same rows (\(replay.rows))  \(format(replay.seconds))  ratio \(String(format: "%.2f", qun / replay.seconds))x")
    print("  raw SQLite, one plain row each  \(format(plain))  ratio \(String(format: "%.2f", qun / plain))x")
    summarise("bulk add \(memberCount) members (\(changes) changes)", qun: qun, baseline: replay.seconds, "raw SQLite, same rows")
    summarise("bulk add \(memberCount) members", qun: qun, baseline: plain, "raw SQLite, one plain row each")
    try? FileManager.default.removeItem(at: lastStore!.deletingLastPathComponent())
}
print("")

// MARK: bundle apply
do {
    let sourceDirectory = temporaryDirectory("source")
    let source = try Store.create(at: sourceDirectory.appendingPathComponent("store"), operatorName: "bench")
    // About seven changes per member (number, name, role, status, joined, city, tags).
    var made = try source.status().changes
    var batch = 0
    while made < changeCount {
        let want = min(5_000, max(1, (changeCount - made) / 7))
        _ = try source.addMembers(drafts(want).map { var d = $0; d.name += "-\(batch)"; return d })
        batch += 1
        made = try source.status().changes
    }
    let bundle = sourceDirectory.appendingPathComponent("all.qunbundle")
    let export = try source.exportBundle(to: bundle)
    var lastStore: URL?
    let apply = try median(runs: runs) {
        if let lastStore { try? FileManager.default.removeItem(at: lastStore.deletingLastPathComponent()) }
        let directory = temporaryDirectory("target")
        let target = try Store.create(at: directory.appendingPathComponent("store"), operatorName: "target", team: source.identity.team)
        let report = try target.importBundle(from: bundle)
        precondition(report.apply.applied == export.changes, "applied \(report.apply.applied) of \(export.changes)")
        lastStore = directory.appendingPathComponent("store")
    }
    let replay = try rawReplay(of: lastStore!)
    print("bundle apply: \(export.changes) changes, \(export.bytes) bytes (\(String(format: "%.1f", Double(export.bytes) / Double(export.changes))) bytes/change on the wire), into an empty store")
    print("  qun importBundle                \(format(apply))  \(rate(export.changes, apply)) changes")
    print("  raw SQLite, same rows (\(replay.rows))  \(format(replay.seconds))  ratio \(String(format: "%.2f", apply / replay.seconds))x")

    summarise("bundle apply \(export.changes) changes", qun: apply, baseline: replay.seconds, "raw SQLite, same rows")
    let storage = try changeLogStorage(path: lastStore!.appendingPathComponent(Store.databaseFileName).path)
    print("  \(storage.description)")
    try? FileManager.default.removeItem(at: lastStore!.deletingLastPathComponent())
    try? FileManager.default.removeItem(at: sourceDirectory)
}
print("")
print(String(format: "peak RSS: %.0f MiB", peakRSSMiB()))
