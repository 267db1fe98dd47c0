import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How one `qun` process ended.
struct ProcessOutcome {
    var status: Int32
    /// Ended by a signal (ours, or a crash).
    var signaled: Bool
    var stdout: String
    var stderr: String

    var succeeded: Bool { !signaled && status == 0 }

    /// A crash, as opposed to a refusal: a signal nobody sent, or a Swift runtime trap.
    var crashed: Bool {
        stderr.contains("Fatal error") || stderr.contains("Segmentation fault") || (signaled && status != SIGKILL && status != SIGTERM)
    }
}

/// One `qun` child, running or finished. Output goes to files, never pipes, so a child
/// killed with -9 leaves what it wrote readable and a chatty one can never block.
final class ChildProcess: @unchecked Sendable {
    let arguments: [String]
    private let process = Process()
    private let outURL: URL
    private let errURL: URL
    private let outHandle: FileHandle
    private let errHandle: FileHandle
    private let exited = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    private var exitedFlag = false
    /// Set when this program sent the kill, so that it is not taken for a crash.
    private(set) var killedByUs = false

    init(binary: URL, arguments: [String], environment: [String: String], scratch: URL) throws {
        self.arguments = arguments
        let token = UUID().uuidString
        outURL = scratch.appendingPathComponent("\(token).out")
        errURL = scratch.appendingPathComponent("\(token).err")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        outHandle = try FileHandle(forWritingTo: outURL)
        errHandle = try FileHandle(forWritingTo: errURL)
        process.executableURL = binary
        process.arguments = arguments
        process.environment = environment
        process.currentDirectoryURL = scratch
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

    /// Waits at most `timeout` seconds; nil when the child is still running.
    func wait(timeout: TimeInterval) -> ProcessOutcome? {
        if !hasExited, exited.wait(timeout: .now() + timeout) == .timedOut { return nil }
        exited.signal()
        process.waitUntilExit()
        try? outHandle.close()
        try? errHandle.close()
        let outcome = ProcessOutcome(
            status: process.terminationStatus, signaled: process.terminationReason == .uncaughtSignal,
            stdout: stdout, stderr: stderr)
        try? FileManager.default.removeItem(at: outURL)
        try? FileManager.default.removeItem(at: errURL)
        return outcome
    }

    func send(_ signal: Int32) {
        guard !hasExited else { return }
        if signal == SIGKILL || signal == SIGTERM { killedByUs = true }
        _ = kill(pid, signal)
    }

    /// kill -9 and reap.
    @discardableResult
    func killHard() -> ProcessOutcome? {
        send(SIGKILL)
        return wait(timeout: 30)
    }
}

/// Runs `qun --store STORE ...` with a private HOME, so nothing here can touch a real store.
struct QunRunner {
    let binary: URL
    let home: URL
    let scratch: URL

    init(binary: URL, home: URL) throws {
        self.binary = binary
        self.home = home
        scratch = home.appendingPathComponent(".children", isDirectory: true)
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    }

    var environment: [String: String] {
        var environment = ProcessInfo.processInfo.environment.filter { key, _ in !key.hasPrefix("QUN_") && key != "COLUMNS" }
        environment["HOME"] = home.path
        environment["XDG_DATA_HOME"] = home.appendingPathComponent("xdg-data").path
        environment["XDG_CONFIG_HOME"] = home.appendingPathComponent("xdg-config").path
        environment["XDG_STATE_HOME"] = home.appendingPathComponent("xdg-state").path
        if environment["LANG"] == nil { environment["LANG"] = "C.UTF-8" }
        return environment
    }

    func start(_ arguments: [String], store: URL?) throws -> ChildProcess {
        try ChildProcess(
            binary: binary, arguments: (store.map { ["--store", $0.path] } ?? []) + arguments,
            environment: environment, scratch: scratch)
    }

    /// Runs to the end; a child that outlives `timeout` is killed and reported as hung.
    func run(_ arguments: [String], store: URL?, timeout: TimeInterval = 90) throws -> ProcessOutcome {
        let child = try start(arguments, store: store)
        if let outcome = child.wait(timeout: timeout) { return outcome }
        child.killHard()
        throw StressFailure("qun \(arguments.joined(separator: " ")) hung for more than \(Int(timeout)) s")
    }
}

/// Something that makes the run fail (as opposed to a command that was refused, which is
/// expected under faults).
struct StressFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
