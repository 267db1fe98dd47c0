import Foundation
#if canImport(Glibc)
import Glibc
#endif
import QunTestSupport
import XCTest

/// `qun repl` on a real terminal: a tmux pane (120×40) runs it, the test types into it with
/// `send-keys` and reads the screen with `capture-pane`.
final class ReplTerminalTests: QunTestCase {
    private var socket = ""

    override func tearDownWithError() throws {
        if !socket.isEmpty { _ = try? tmux(["kill-server"]) }
        try super.tearDownWithError()
    }

    /// Runs tmux and returns its stdout. Started with posix_spawn and reaped with waitpid:
    /// Foundation's Process notices a child's exit through a descriptor the child inherits,
    /// and the tmux server that `new-session` forks keeps it open, so `waitUntilExit` would
    /// never return.
    @discardableResult
    private func tmux(_ arguments: [String]) throws -> String {
        let outURL = home.appendingPathComponent("tmux-\(UUID().uuidString).out")
        defer { try? FileManager.default.removeItem(at: outURL) }
        let command = (["tmux", "-L", socket, "-f", "/dev/null"] + arguments).map(shellQuote).joined(separator: " ")
            + " </dev/null >\(shellQuote(outURL.path)) 2>/dev/null"
        let argv: [UnsafeMutablePointer<CChar>?] = ["/bin/sh", "-c", command].map { (word: String) in strdup(word) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, "/bin/sh", nil, nil, argv, environ)
        guard spawned == 0 else { throw QunProcess.BinaryMissing(description: "could not start tmux: \(spawned)") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        return String(decoding: (try? Data(contentsOf: outURL)) ?? Data(), as: UTF8.self)
    }

    private func screen() -> String {
        (try? tmux(["capture-pane", "-p", "-N", "-t", "repl"])) ?? ""
    }

    /// Waits until the screen satisfies `condition`; fails with the screen when it never does.
    @discardableResult
    private func waitFor(_ what: String, timeout: TimeInterval = 15, file: StaticString = #filePath, line: UInt = #line,
                         _ condition: (String) -> Bool) -> String {
        var text = screen()
        let appeared = eventually(timeout: timeout, every: 0.05) {
            text = screen()
            return condition(text)
        }
        if !appeared {
            XCTFail("timed out waiting for \(what); prompt line: [\(promptLine(text))] screen:\n\(text)", file: file, line: line)
        }
        return text
    }

    /// The last line of the screen that starts with the prompt.
    private func promptLine(_ text: String) -> String {
        let line = text.split(separator: "\n").last { $0.hasPrefix("qun>") }.map(String.init) ?? ""
        return String(line.reversed().drop { $0 == " " }.reversed())
    }

    private func type(_ text: String) throws { try tmux(["send-keys", "-t", "repl", "-l", text]) }
    private func key(_ name: String) throws { try tmux(["send-keys", "-t", "repl", name]) }

    /// Terminal columns a string takes (CJK and full-width forms are two).
    private func displayWidth(_ text: Substring) -> Int {
        text.unicodeScalars.reduce(0) { width, scalar in
            let v = scalar.value
            let wide = (0x1100...0x115F).contains(v) || (0x2E80...0xA4CF).contains(v) || (0xAC00...0xD7A3).contains(v)
                || (0xF900...0xFAFF).contains(v) || (0xFE30...0xFE4F).contains(v) || (0xFF00...0xFF60).contains(v)
                || (0xFFE0...0xFFE6).contains(v) || (0x20000...0x3FFFD).contains(v)
            return width + (wide ? 2 : 1)
        }
    }

    private func shellQuote(_ text: String) -> String { "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'" }

    func testInteractiveSession() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/tmux") else {
            throw XCTSkip("tmux is not installed")
        }
        socket = "qun-repl-\(UUID().uuidString.prefix(8))"
        let store = initStore("s", operator: "林")
        let binary = try QunProcess.binary.get()
        let environment = QunProcess.environment(home: home, extra: [:])
        let assignments = ["HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME", "LANG", "PATH"]
            .compactMap { key in environment[key].map { "\(key)=\(shellQuote($0))" } }
            .joined(separator: " ")
        // The shell stays after qun exits, so that its exit status can be read off the screen.
        let command = "env -u QUN_STORE \(assignments) TERM=xterm \(shellQuote(binary.path)) repl --store \(shellQuote(store.path)); echo \"EXITED $?\"; sleep 60"
        try tmux(["new-session", "-d", "-s", "repl", "-x", "120", "-y", "40", command])

        waitFor("the prompt") { $0.contains("qun> ") }

        try type("member add 张三 --city 杭州")
        try key("Enter")
        waitFor("the new id") { $0.range(of: "\n[0-9a-f]{32}\n", options: .regularExpression) != nil }

        // History: Up brings the last command back.
        try key("Up")
        waitFor("the recalled command") { self.promptLine($0) == "qun> member add 张三 --city 杭州" }
        try key("C-u")
        waitFor("an empty prompt") { self.promptLine($0) == "qun>" }

        // Completion of a command word, a subcommand and a member name.
        try type("mem")
        try key("Tab")
        waitFor("`member` completed") { self.promptLine($0) == "qun> member" }
        try type("sh")
        try key("Tab")
        waitFor("`show` completed") { self.promptLine($0) == "qun> member show" }
        try type("张")
        try key("Tab")
        waitFor("the member name completed") { self.promptLine($0) == "qun> member show 张三" }
        try key("Enter")
        waitFor("member show's output") { $0.contains("city       杭州") && $0.contains("activity") }

        // The table lines up by display width.
        try type("member list")
        try key("Enter")
        let text = waitFor("the member table") { $0.contains("1 member") }
        let lines = text.split(separator: "\n")
        let header = try XCTUnwrap(lines.last { $0.hasPrefix("ID ") }, text)
        let row = try XCTUnwrap(lines.last { $0.contains("张三") && !$0.hasPrefix("qun>") }, text)
        let headerCity = try XCTUnwrap(header.range(of: "CITY"))
        let rowCity = try XCTUnwrap(row.range(of: "杭州"))
        XCTAssertEqual(displayWidth(header[..<headerCity.lowerBound]), displayWidth(row[..<rowCity.lowerBound]),
                       "CITY and 杭州 start in the same column:\n\(header)\n\(row)")
        let headerStatus = try XCTUnwrap(header.range(of: "STATUS"))
        let rowStatus = try XCTUnwrap(row.range(of: "active"))
        XCTAssertEqual(displayWidth(header[..<headerStatus.lowerBound]), displayWidth(row[..<rowStatus.lowerBound]))

        try type("quit")
        try key("Enter")
        waitFor("qun to exit") { $0.contains("EXITED 0") }

        let history = try String(contentsOf: store.appendingPathComponent("repl_history"), encoding: .utf8)
        XCTAssertTrue(history.contains("张三"), "history is kept in the store:\n\(history)")
    }
}
