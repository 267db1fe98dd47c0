import Foundation
import QunTestSupport
import XCTest

/// A REPL stays open on a store while `qun serve` on the same store takes in a teammate's
/// sync: the next command sees the new members (no restart), a notice says where they came
/// from, and no command fails with "busy" or "locked".
final class ReplLiveViewTests: SyncTestCase {
    /// `qun repl` with a pipe for stdin that the test writes to over time; output in files.
    private final class PipedRepl {
        let process = Process()
        let input = Pipe()
        let outURL: URL
        let errURL: URL

        init(store: URL, home: URL) throws {
            outURL = home.appendingPathComponent("repl.out")
            errURL = home.appendingPathComponent("repl.err")
            _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
            _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
            process.executableURL = try QunProcess.binary.get()
            process.arguments = ["repl", "--store", store.path]
            process.environment = QunProcess.environment(home: home, extra: [:])
            process.currentDirectoryURL = home
            process.standardInput = input
            process.standardOutput = try FileHandle(forWritingTo: outURL)
            process.standardError = try FileHandle(forWritingTo: errURL)
            try process.run()
        }

        func send(_ line: String) {
            input.fileHandleForWriting.write(Data((line + "\n").utf8))
        }

        var stdout: String { String(decoding: (try? Data(contentsOf: outURL)) ?? Data(), as: UTF8.self) }
        var stderr: String { String(decoding: (try? Data(contentsOf: errURL)) ?? Data(), as: UTF8.self) }

        /// The JSON arrays printed so far (`member list --json` prints one pretty array each).
        var arrays: [String] {
            var result: [String] = []
            var current: [Substring]?
            for line in stdout.split(separator: "\n", omittingEmptySubsequences: false) {
                if line == "[]" { result.append("[]"); continue }
                if line == "[" { current = [line]; continue }
                current?.append(line)
                if line == "]", let lines = current {
                    result.append(lines.joined(separator: "\n"))
                    current = nil
                }
            }
            return result
        }

        /// Sends `member list --json` and waits for its answer; returns the member count.
        func listCount(_ test: QunTestCase, timeout: TimeInterval = 30) -> Int? {
            let before = arrays.count
            send("member list --json")
            // Stops waiting as soon as the answer is there, or the REPL has gone.
            eventually(timeout: timeout) { arrays.count > before || !process.isRunning }
            guard arrays.count > before else { return nil }
            return test.jsonArray(arrays[before])?.count
        }
    }

    func testReplSeesSyncedChangesWithoutRestart() throws {
        let a = initStore("a", operator: "林")
        let b = joinEmpty("b", operator: "王", inviter: a)
        addMember("本地", store: a)

        // B writes ≥ 1,000 changes (one batch REPL, one process).
        let adds = 170
        let script = (1...adds).map { "member add 远方\($0) --city 杭州 --tag 来自王 --notes 第\($0)位" }.joined(separator: "\n")
        let batch = runQun(["repl"], store: b, stdin: script)
        XCTAssertEqual(batch.status, 0, batch.stderr)
        let bReplica = try XCTUnwrap(status(b)["replica"] as? String)
        let bChanges = try XCTUnwrap(vectorEntry(status(b), bReplica))
        XCTAssertGreaterThanOrEqual(bChanges, 1000)

        let server = try serve(a)
        let repl = try PipedRepl(store: a, home: home)
        defer {
            if repl.process.isRunning { repl.process.terminate() }
            repl.process.waitUntilExit()
        }
        XCTAssertEqual(repl.listCount(self), 1)

        // Sync in the background while the REPL keeps listing.
        let home = try XCTUnwrap(self.home)
        let synced = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var syncOutput: QunOutput = (-1, "", "")
        Thread.detachNewThread {
            syncOutput = (try? QunProcess.run(["sync", server.url, "--json"], store: b, stdin: nil, env: [:], home: home))
                ?? (-1, "", "could not run qun sync")
            synced.signal()
        }
        var counts: [Int] = []
        while synced.wait(timeout: .now() + 0.15) == .timedOut {
            if let count = repl.listCount(self) { counts.append(count) }
        }
        XCTAssertEqual(syncOutput.status, 0, syncOutput.stderr)
        let final = repl.listCount(self)
        XCTAssertEqual(final, adds + 1, "the REPL sees every synced member without a restart")
        XCTAssertEqual(counts, counts.sorted(), "counts only grow: \(counts)")

        repl.send("quit")
        try? repl.input.fileHandleForWriting.close()
        repl.process.waitUntilExit()
        XCTAssertEqual(repl.process.terminationStatus, 0, repl.stderr)
        let stderr = repl.stderr
        XCTAssertTrue(stderr.range(of: #"\(\d+ changes arrived from 王\)"#, options: .regularExpression) != nil,
                      "the arrival notice names the teammate:\n\(stderr)")
        for word in ["busy", "locked"] {
            XCTAssertFalse(stderr.localizedCaseInsensitiveContains(word), "REPL stderr:\n\(stderr)")
        }
        // Every notice together accounts for exactly B's changes.
        let noticed = stderr.split(separator: "\n").compactMap { line -> Int? in
            guard line.hasPrefix("("), line.hasSuffix("arrived from 王)") else { return nil }
            return Int(line.dropFirst().prefix { $0.isNumber })
        }.reduce(0, +)
        XCTAssertEqual(noticed, bChanges, "notices: \(stderr)")
    }
}
