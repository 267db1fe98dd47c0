import Foundation
import XCTest

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Bad input of every kind through the real binary and the real server, as one table: each
/// row names the input, the exit code (or HTTP status) it must get, a fragment of the message
/// that must explain it, and the stores that must be exactly as before (export and version
/// vector). BadInputEndToEndTests holds single cases in detail; this table is the checklist.
final class BadInputTableTests: SyncTestCase {
    enum Expected {
        /// The command exits with this code.
        case exit(Int32)
        /// The HTTP request is answered with this status.
        case http(Int)
        /// The command succeeds, but the receiving store holds the changes instead of applying them.
        case held
    }

    struct Row {
        var name: String
        var expected: Expected
        /// Must appear in stderr (or in the HTTP body), case-insensitively.
        var fragment: String
        /// Stores whose export and version vector must not change.
        var unchanged: [URL]
        /// Runs the input; returns (exit code or HTTP status, stderr or body).
        var run: () throws -> (Int, String)
    }

    private struct Snapshot: Equatable {
        var export: String
        var vector: [String: Int]
        var held: Int
    }

    private func snapshot(_ store: URL) -> Snapshot {
        let status = status(store)
        return Snapshot(export: export(store), vector: vector(status), held: (status["held"] as? [Any])?.count ?? 0)
    }

    func testEveryKindOfBadInputIsRefusedAndChangesNothing() throws {
        // The fixture: A (two members, serving), B of A's team, O of another team, F with a
        // forged invite (A's team id, a wrong secret), S of A's team with a clock a day ahead.
        let a = initStore("A", operator: "林")
        addMember("张三", ["--tag", "读书会", "--city", "杭州"], store: a)
        addMember("李四", ["--role", "kol", "--notes", "很活跃"], store: a)
        let b = joinEmpty("B", operator: "王", inviter: a)
        addMember("王五", store: b)
        let other = initStore("O", operator: "外人")
        addMember("陌生人", store: other)
        let good = path("good.qunbundle")
        qun(["bundle", "export", good.path], store: a)
        let goodData = try Data(contentsOf: good)
        let truncated = path("truncated.qunbundle")
        try goodData.prefix(goodData.count / 2).write(to: truncated)
        let flipped = path("flipped.qunbundle")
        var flippedData = goodData
        flippedData[flippedData.count / 2] ^= 0x40
        try flippedData.write(to: flipped)
        let foreign = path("foreign.qunbundle")
        qun(["bundle", "export", foreign.path], store: other)

        let brokenCSV = path("broken.csv")
        try Data("name,city\n\"赵六,杭州\n钱七,上海\n".utf8).write(to: brokenCSV)
        let notUTF8CSV = path("gbk.csv")
        try Data([UInt8]("name,city\n".utf8) + [0xD5, 0xD4, 0xC1, 0xF9] + [UInt8](",杭州\n".utf8)).write(to: notUTF8CSV)

        let server = try serve(a)
        let realInvite = invite(a)
        let teamID = realInvite.split(separator: ":")[1]
        let forgedInvite = "qun1:\(teamID):\(String(repeating: "7e", count: 32))"
        let forged = path("F")
        qun(["init", "--name", "冒名", "--join", forgedInvite, "--no-snapshot"], store: forged)
        addMember("假成员", store: forged)
        let dayAhead = ["QUN_CLOCK_OFFSET_MS": String(24 * 3600 * 1000)]
        let skewed = path("S")
        qun(["init", "--name", "快钟", "--join", realInvite, "--no-snapshot"], store: skewed, env: dayAhead)
        addMember("明天的人", store: skewed, env: dayAhead)

        let cli = { (arguments: [String], store: URL, env: [String: String]) -> (Int, String) in
            let result = self.runQun(arguments, store: store, env: env)
            return (Int(result.status), result.stderr)
        }

        let rows: [Row] = [
            Row(name: "truncated bundle", expected: .exit(1), fragment: "nothing was imported", unchanged: [b]) {
                cli(["bundle", "import", truncated.path], b, [:])
            },
            Row(name: "bundle with one byte flipped", expected: .exit(1), fragment: "damaged", unchanged: [b]) {
                cli(["bundle", "import", flipped.path], b, [:])
            },
            Row(name: "bundle of another team", expected: .exit(1), fragment: "another team", unchanged: [b]) {
                cli(["bundle", "import", foreign.path], b, [:])
            },
            Row(name: "CSV with a quote never closed", expected: .exit(1), fragment: "nothing was imported", unchanged: [a]) {
                cli(["import", "members", brokenCSV.path], a, [:])
            },
            Row(name: "CSV that is not UTF-8 (GBK)", expected: .exit(1), fragment: "UTF-8", unchanged: [a]) {
                cli(["import", "members", notUTF8CSV.path], a, [:])
            },
            // Without the team's headers the body is not even read; with them (the team id is no
            // secret), one over the limit is refused by its announced length.
            Row(name: "push body over the size limit, no team headers", expected: .http(401), fragment: "unsigned request", unchanged: [a]) {
                try self.post(server.url + "/v2/push", bytes: 16 * 1024 * 1024 + 1)
            },
            Row(name: "push body over the size limit", expected: .http(413), fragment: "larger than", unchanged: [a]) {
                try self.post(server.url + "/v2/push", bytes: 16 * 1024 * 1024 + 1, headers: [
                    "X-Qun-Team": stringField(self.status(a), "team") ?? "", "X-Qun-Replica": String(repeating: "ab", count: 16),
                    "X-Qun-Time": String(Int64(Date().timeIntervalSince1970 * 1000)),
                    "Authorization": "Qun-HMAC-SHA256 " + String(repeating: "0f", count: 32),
                ])
            },
            Row(name: "sync with a forged invite (wrong team secret)", expected: .exit(1), fragment: "refused this laptop",
                unchanged: [a, forged]) {
                cli(["sync", server.url], forged, [:])
            },
            Row(name: "peer clock a day ahead", expected: .held, fragment: "held back", unchanged: [a]) {
                cli(["sync", server.url], skewed, dayAhead)
            },
            Row(name: "member add without a name", expected: .exit(64), fragment: "missing expected argument", unchanged: [a]) {
                cli(["member", "add"], a, [:])
            },
            Row(name: "unknown option", expected: .exit(64), fragment: "unknown option '--bogus'", unchanged: [a]) {
                cli(["member", "add", "赵六", "--bogus"], a, [:])
            },
            Row(name: "unknown role", expected: .exit(1), fragment: "invalid role", unchanged: [a]) {
                cli(["member", "add", "赵六", "--role", "boss"], a, [:])
            },
            Row(name: "--store without a value", expected: .exit(64), fragment: "missing value for '--store", unchanged: [a]) {
                let result = self.runQun(["--store"])
                return (Int(result.status), result.stderr)
            },
            Row(name: "bundle import without a file", expected: .exit(64), fragment: "missing expected argument", unchanged: [a]) {
                cli(["bundle", "import"], a, [:])
            },
            Row(name: "export in an unknown format", expected: .exit(64), fragment: "unknown format", unchanged: [a]) {
                cli(["export", "--format", "xml"], a, [:])
            },
            Row(name: "sync with an unknown peer name", expected: .exit(1), fragment: "no peer named", unchanged: [a]) {
                cli(["sync", "不存在的人"], a, [:])
            },
        ]

        for row in rows {
            for problem in try check(row) { XCTFail("\(row.name): \(problem)") }
        }
        XCTAssertFalse(server.child.hasExited, "qun serve survived every row: \(server.child.stderr)")
        XCTAssertEqual(server.child.stop(), 0)
        for store in [a, b, forged, skewed] {
            XCTAssertEqual(integrityCheck(store), "ok", store.lastPathComponent)
        }
    }

    /// A row of its own because the bytes cannot travel in a `[String]` argument list.
    func testArgumentThatIsNotUTF8IsRefused() throws {
        let store = initStore("A", operator: "林")
        addMember("张三", store: store)
        let row = Row(name: "argument that is not UTF-8", expected: .exit(64), fragment: "UTF-8", unchanged: [store]) {
            try self.runWithRawArgument(store: store, prefix: ["member", "add"], raw: [0x61, 0x62, 0xFF, 0xFE])
        }
        for problem in try check(row) { XCTFail("\(row.name): \(problem)") }
    }

    /// Runs one row; returns what went wrong (nothing when the row holds).
    private func check(_ row: Row) throws -> [String] {
        let before = row.unchanged.map(snapshot)
        let (code, message) = try row.run()
        let after = row.unchanged.map(snapshot)
        var problems: [String] = []
        switch row.expected {
        case .exit(let status):
            if code != Int(status) { problems.append("exit \(code), expected \(status)") }
        case .http(let status):
            if code != status { problems.append("HTTP \(code), expected \(status)") }
        case .held:
            if code != 0 { problems.append("exit \(code), expected 0 with the changes held") }
        }
        if !message.localizedCaseInsensitiveContains(row.fragment) {
            problems.append("the message does not mention '\(row.fragment)': \(message)")
        }
        if message.contains("Fatal error") { problems.append("crashed: \(message)") }
        for (index, store) in row.unchanged.enumerated() {
            var expectedAfter = before[index]
            if case .held = row.expected {
                if after[index].held <= before[index].held { problems.append("\(store.lastPathComponent) holds nothing new") }
                expectedAfter.held = after[index].held
            }
            if after[index].export != expectedAfter.export { problems.append("\(store.lastPathComponent)'s export changed") }
            if after[index].vector != expectedAfter.vector {
                problems.append("\(store.lastPathComponent)'s version vector changed: \(before[index].vector) → \(after[index].vector)")
            }
            if after[index].held != expectedAfter.held { problems.append("\(store.lastPathComponent) holds changes now") }
        }
        return problems
    }

    // MARK: - Inputs that Foundation's Process cannot pass

    /// `qun --store STORE PREFIX... RAW` where RAW is arbitrary bytes: a Swift String cannot
    /// hold invalid UTF-8, so the argument goes through the shell's printf.
    private func runWithRawArgument(store: URL, prefix: [String], raw: [UInt8]) throws -> (Int, String) {
        let binary = try QunProcess.binary.get()
        let escaped = raw.map { String(format: "\\%03o", $0) }.joined()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "exec \"$0\" --store \"$1\" \(prefix.joined(separator: " ")) \"$(printf '\(escaped)')\"", binary.path, store.path]
        process.environment = QunProcess.environment(home: home, extra: [:])
        let errURL = path("raw-argument.err")
        FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let err = try FileHandle(forWritingTo: errURL)
        defer { try? err.close() }
        process.standardError = err
        process.standardOutput = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return (Int(process.terminationStatus), String(decoding: (try? Data(contentsOf: errURL)) ?? Data(), as: UTF8.self))
    }

    /// An unsigned POST of `bytes` zero bytes; returns the status and body.
    private func post(_ url: String, bytes: Int, headers: [String: String] = [:]) throws -> (Int, String) {
        final class Answer: @unchecked Sendable {
            var status = -1
            var body = ""
        }
        let answer = Answer()
        var request = URLRequest(url: URL(string: url)!)
        request.httpMethod = "POST"
        request.setValue(SealedMediaType.value, forHTTPHeaderField: "Content-Type")
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        request.timeoutInterval = 60
        let done = DispatchSemaphore(value: 0)
        let task = URLSession.shared.uploadTask(with: request, from: Data(count: bytes)) { data, response, error in
            answer.status = (response as? HTTPURLResponse)?.statusCode ?? -1
            answer.body = data.map { String(decoding: $0, as: UTF8.self) } ?? "\(error.map { "\($0)" } ?? "no answer")"
            done.signal()
        }
        task.resume()
        if done.wait(timeout: .now() + 90) == .timedOut {
            task.cancel()
            return (-1, "no answer within 90 s")
        }
        return (answer.status, answer.body)
    }
}

/// The media type of a sealed sync body (the end-to-end tests do not link QunSync).
private enum SealedMediaType {
    static let value = "application/x-qun-sealed"
}
