import Foundation
import GRDB
import QunStore
import QunTestSupport
import XCTest

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A `qun` child that runs in the background (`qun serve`, or a `qun sync` the test kills
/// mid-way). Output goes to files, never pipes, so the child can never block on a full pipe
/// and a killed child leaves what it wrote readable.
final class BackgroundQun: @unchecked Sendable {
    let arguments: [String]
    let process = Process()
    private let outURL: URL
    private let errURL: URL
    private let outHandle: FileHandle
    private let errHandle: FileHandle
    private let exited = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    private var exitedFlag = false

    /// Starts `qun [--store STORE] ARGS...` with the environment `QunProcess` gives every child.
    init(_ arguments: [String], store: URL?, env: [String: String], home: URL) throws {
        self.arguments = arguments
        let scratch = home.appendingPathComponent(".qun-background", isDirectory: true)
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        let token = UUID().uuidString
        outURL = scratch.appendingPathComponent("\(token).out")
        errURL = scratch.appendingPathComponent("\(token).err")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        outHandle = try FileHandle(forWritingTo: outURL)
        errHandle = try FileHandle(forWritingTo: errURL)
        process.executableURL = try QunProcess.binary.get()
        process.arguments = (store.map { ["--store", $0.path] } ?? []) + arguments
        process.environment = QunProcess.environment(home: home, extra: env)
        process.currentDirectoryURL = home
        process.standardOutput = outHandle
        process.standardError = errHandle
        process.standardInput = FileHandle.nullDevice
        process.terminationHandler = { [weak self] _ in
            guard let self else { return }
            self.lock.lock()
            self.exitedFlag = true
            self.lock.unlock()
            self.exited.signal()
        }
        try process.run()
    }

    var pid: Int32 { process.processIdentifier }

    var hasExited: Bool {
        lock.lock()
        defer { lock.unlock() }
        return exitedFlag
    }

    var stdout: String { String(decoding: (try? Data(contentsOf: outURL)) ?? Data(), as: UTF8.self) }
    var stderr: String { String(decoding: (try? Data(contentsOf: errURL)) ?? Data(), as: UTF8.self) }

    /// Waits for the child to exit; returns its status, or nil on timeout.
    @discardableResult
    func wait(timeout: TimeInterval) -> Int32? {
        if !hasExited, exited.wait(timeout: .now() + timeout) == .timedOut { return nil }
        exited.signal()  // Let a later wait return at once too.
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// Sends `signal` to the child (if it still runs).
    func send(_ signal: Int32) {
        guard !hasExited else { return }
        _ = kill(pid, signal)
    }

    /// kill -9, and waits until it is gone.
    func killHard() {
        send(SIGKILL)
        _ = wait(timeout: 10)
    }

    /// SIGTERM, then SIGKILL if it has not exited within `grace` seconds. Returns the exit
    /// status of a graceful stop, or nil when it had to be killed.
    @discardableResult
    func stop(grace: TimeInterval = 15) -> Int32? {
        send(SIGTERM)
        if let status = wait(timeout: grace) { return status }
        killHard()
        return nil
    }

    /// Kills the child if needed and closes the output files.
    func cleanUp() {
        if !hasExited { killHard() }
        try? outHandle.close()
        try? errHandle.close()
    }

    var processDescription: String { "qun \(arguments.joined(separator: " "))" }
}

/// `qun serve --listen 127.0.0.1:0` on one store, with the URL from its one stdout line.
final class ServeProcess: @unchecked Sendable {
    let child: BackgroundQun
    let store: URL
    let url: String

    struct StartFailed: Error, CustomStringConvertible {
        var description: String
    }

    init(store: URL, env: [String: String], home: URL, arguments: [String] = [], timeout: TimeInterval = 30) throws {
        self.store = store
        child = try BackgroundQun(["serve", "--listen", "127.0.0.1:0"] + arguments, store: store, env: env, home: home)
        var found: String?
        let child = self.child
        // Its first line is its address; an exit before it is a failure to start.
        eventually(timeout: timeout, every: 0.01) {
            let out = child.stdout
            if let newline = out.firstIndex(of: "\n") { found = String(out[..<newline]) }
            return found != nil || child.hasExited
        }
        guard let line = found else {
            if child.hasExited {
                let status = child.wait(timeout: 5) ?? -1
                throw StartFailed(description: "qun serve exited (\(status)) before printing its address:\n\(child.stderr)")
            }
            child.cleanUp()
            throw StartFailed(description: "qun serve printed no address within \(Int(timeout)) s; stderr:\n\(child.stderr)")
        }
        // `serving STOREPATH on http://HOST:PORT` (https with --tls-cert)
        guard line.hasPrefix("serving "),
              let range = line.range(of: " on http://", options: .backwards) ?? line.range(of: " on https://", options: .backwards) else {
            child.cleanUp()
            throw StartFailed(description: "unexpected first line of qun serve: \(line)")
        }
        url = String(line[line.index(range.lowerBound, offsetBy: 4)...])
        let port = url.split(separator: ":").last.flatMap { Int($0) } ?? 0
        guard url.hasPrefix("http://127.0.0.1:") || url.hasPrefix("https://127.0.0.1:"), port > 0 else {
            child.cleanUp()
            throw StartFailed(description: "qun serve printed no usable URL: \(line)")
        }
    }

    /// The first line, as printed.
    var firstLine: String { child.stdout.split(separator: "\n", maxSplits: 1).first.map(String.init) ?? "" }
}

/// A `QunTestCase` that can start background `qun` processes; every one of them is killed
/// (kill -9 when still running) in tearDown, whatever the test did.
class SyncTestCase: QunTestCase {
    private var children: [BackgroundQun] = []
    private let childrenLock = NSLock()

    override func tearDownWithError() throws {
        childrenLock.lock()
        let running = children
        children = []
        childrenLock.unlock()
        for child in running { child.cleanUp() }
        try super.tearDownWithError()
    }

    private func track(_ child: BackgroundQun) {
        childrenLock.lock()
        children.append(child)
        childrenLock.unlock()
    }

    /// Starts `qun serve --listen 127.0.0.1:0 ARGUMENTS...` on `store` and waits for its address.
    func serve(_ store: URL, env: [String: String] = [:], arguments: [String] = [],
               file: StaticString = #filePath, line: UInt = #line) throws -> ServeProcess {
        do {
            let server = try ServeProcess(store: store, env: env, home: home, arguments: arguments)
            track(server.child)
            return server
        } catch {
            XCTFail("could not start qun serve: \(error)", file: file, line: line)
            throw error
        }
    }

    /// Starts `qun ARGS` in the background (e.g. a `qun sync` to kill mid-way).
    func startQun(_ arguments: [String], store: URL?, env: [String: String] = [:]) throws -> BackgroundQun {
        let child = try BackgroundQun(arguments, store: store, env: env, home: home)
        track(child)
        return child
    }

    /// `qun team invite --shared-secret [--url URL]` (an open team's invite), trimmed.
    func invite(_ store: URL, url: String? = nil, file: StaticString = #filePath, line: UInt = #line) -> String {
        let arguments = ["team", "invite", "--shared-secret"] + (url.map { ["--url", $0] } ?? [])
        return qun(arguments, store: store, file: file, line: line).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// A store of `inviter`'s team that starts empty (`init --join INVITE --no-snapshot`).
    @discardableResult
    func joinEmpty(_ name: String, operator operatorName: String, inviter: URL, env: [String: String] = [:],
                   file: StaticString = #filePath, line: UInt = #line) -> URL {
        let store = path(name)
        let code = invite(inviter, file: file, line: line)
        qun(["init", "--name", operatorName, "--join", code, "--no-snapshot"], store: store, env: env, file: file, line: line)
        return store
    }

    /// `qun sync TARGET --json`, expecting success; the parsed report.
    @discardableResult
    func sync(_ store: URL, with target: String, options: [String] = [], env: [String: String] = [:],
              file: StaticString = #filePath, line: UInt = #line) -> [String: Any] {
        let text = qun(["sync", target, "--json"] + options, store: store, env: env, file: file, line: line)
        return jsonObject(text, file: file, line: line) ?? [:]
    }

    /// The whole version vector of a parsed `status --json`.
    func vector(_ status: [String: Any]) -> [String: Int] {
        var result: [String: Int] = [:]
        for (key, value) in status["vector"] as? [String: Any] ?? [:] {
            if let seq = intValue(value) { result[key] = seq }
        }
        return result
    }

    /// `changes` of a parsed `status --json`.
    func changeCount(_ status: [String: Any]) -> Int {
        status["changes"].flatMap(intValue) ?? -1
    }

    /// `PRAGMA integrity_check` of a store's database, run in this process (no qun process
    /// may be using the store).
    func integrityCheck(_ store: URL, file: StaticString = #filePath, line: UInt = #line) -> String {
        do {
            let queue = try DatabaseQueue(path: store.appendingPathComponent(Store.databaseFileName).path)
            let rows = try queue.read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check") }
            try queue.close()
            return rows.joined(separator: "\n")
        } catch {
            XCTFail("integrity_check of \(store.path) failed: \(error)", file: file, line: line)
            return "\(error)"
        }
    }
}
