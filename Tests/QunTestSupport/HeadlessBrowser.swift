import Foundation

/// A real browser (Chromium, headless) for tests of pages qun writes: what a team lead sees
/// is what the browser makes of the file, not what a string comparison says about it.
///
/// Each run gets a fresh profile in a temporary directory (no state carried between tests, no
/// first-run dialogs, no lock on a shared profile), a deadline after which the browser is
/// killed, and its stderr kept for the failure message, since a browser that cannot start
/// says why only there.
public struct HeadlessBrowser: Sendable {
    public let executable: String

    public init(executable: String) {
        self.executable = executable
    }

    /// Where Chromium is usually installed; `QUN_CHROMIUM` names another.
    public static let candidates = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome",
                                    "/snap/bin/chromium"]

    /// The installed browser, or nil with the reason (for a skip message).
    public static func find(environment: [String: String] = ProcessInfo.processInfo.environment) -> (browser: HeadlessBrowser?, reason: String) {
        let named = environment["QUN_CHROMIUM"].flatMap { $0.isEmpty ? nil : $0 }
        for path in named.map({ [$0] }) ?? candidates where FileManager.default.isExecutableFile(atPath: path) {
            return (HeadlessBrowser(executable: path), "found \(path)")
        }
        return (nil, "no Chromium at \((named.map { [$0] } ?? candidates).joined(separator: ", ")) (scripts/install-deps.sh installs it; QUN_CHROMIUM names another)")
    }

    public struct Failure: Error, CustomStringConvertible {
        public var arguments: [String]
        public var status: Int32?
        public var timedOut: Bool
        public var stderr: String

        public var description: String {
            let what = timedOut ? "timed out" : "exited with status \(status.map(String.init) ?? "?")"
            return "\(arguments.joined(separator: " ")) \(what); stderr:\n\(stderr)"
        }
    }

    /// What one run printed.
    public struct Output: Sendable {
        public var stdout: Data
        public var stderr: String
    }

    /// The flags every run needs: headless, no sandbox (tests may run as root in a
    /// container, where Chromium's sandbox refuses to start), no GPU, and `/dev/shm` left
    /// alone (small in containers).
    static let baseArguments = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                                "--no-first-run", "--no-default-browser-check", "--hide-scrollbars"]

    /// A PNG of `page` in a window of `width` × `height` CSS pixels, written to `png`.
    @discardableResult
    public func screenshot(of page: URL, to png: URL, width: Int = 1200, height: Int = 2400,
                           timeout: TimeInterval = 60) throws -> Output {
        try run(["--screenshot=\(png.path)", "--window-size=\(width),\(height)", page.absoluteString], timeout: timeout)
    }

    /// The page's DOM after the browser parsed it, serialized as HTML.
    public func dumpDOM(of page: URL, timeout: TimeInterval = 60) throws -> String {
        String(decoding: try run(["--dump-dom", page.absoluteString], timeout: timeout).stdout, as: UTF8.self)
    }

    /// Runs the browser with `arguments` after the base flags and a fresh profile; throws
    /// `Failure` when it does not exit 0 within `timeout` seconds.
    public func run(_ arguments: [String], timeout: TimeInterval) throws -> Output {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("qun-browser-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        // Output goes to files, not pipes: a DOM larger than a pipe's buffer would block the
        // browser until someone reads, and nobody reads until it exits.
        let outURL = scratch.appendingPathComponent("stdout"), errURL = scratch.appendingPathComponent("stderr")
        FileManager.default.createFile(atPath: outURL.path, contents: nil)
        FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let out = try FileHandle(forWritingTo: outURL), err = try FileHandle(forWritingTo: errURL)
        defer {
            try? out.close()
            try? err.close()
        }

        let all = Self.baseArguments + ["--user-data-dir=\(scratch.appendingPathComponent("profile").path)"] + arguments
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = all
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        var environment = ProcessInfo.processInfo.environment
        // No crash reporter or desktop session to talk to.
        environment["HOME"] = scratch.path
        process.environment = environment
        try process.run()
        let exited = eventually(timeout: timeout, every: 0.05) { !process.isRunning }
        if !exited {
            process.terminate()
            if !eventually(timeout: 5, every: 0.05, { !process.isRunning }) {
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
            }
        }
        let stderr = String(decoding: (try? Data(contentsOf: errURL)) ?? Data(), as: UTF8.self)
        guard exited, process.terminationStatus == 0 else {
            throw Failure(arguments: [executable] + all, status: exited ? process.terminationStatus : nil,
                          timedOut: !exited, stderr: stderr)
        }
        return Output(stdout: (try? Data(contentsOf: outURL)) ?? Data(), stderr: stderr)
    }

    /// The font families fontconfig has for `language` (`zh`), or nil when there is no
    /// `fc-list` to ask. Without one, the browser draws Chinese as boxes and a screenshot
    /// looks fine by size alone.
    public static func fontFamilies(forLanguage language: String) -> [String]? {
        guard let fcList = ["/usr/bin/fc-list", "/usr/local/bin/fc-list"].first(where: FileManager.default.isExecutableFile) else {
            return nil
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: fcList)
        process.arguments = [":lang=\(language)", "family"]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return nil }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
    }

    /// Width and height from a PNG's IHDR chunk, or nil when `data` is not a PNG.
    public static func pngSize(_ data: Data) -> (width: Int, height: Int)? {
        let bytes = [UInt8](data.prefix(24))
        let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        guard bytes.count == 24, Array(bytes[0..<8]) == signature, Array(bytes[12..<16]) == Array("IHDR".utf8) else { return nil }
        func big(_ at: Int) -> Int { bytes[at..<at + 4].reduce(0) { $0 << 8 | Int($1) } }
        return (big(16), big(20))
    }
}
