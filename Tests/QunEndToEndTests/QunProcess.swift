import Foundation
import XCTest

/// What one run of the `qun` binary produced.
typealias QunOutput = (status: Int32, stdout: String, stderr: String)

/// Finds and runs the real `qun` executable as a subprocess.
///
/// The binary is `$QUN_BINARY` when set, else the `qun` built next to this test bundle
/// (`.build/<triple>/debug/`), else `.build/debug/qun` above this source file. The tests never
/// build it themselves: run `swift build` (or `swift build --build-tests`) first.
enum QunProcess {
    /// The binary, or why it could not be found.
    static let binary: Result<URL, BinaryMissing> = locate()

    struct BinaryMissing: Error, CustomStringConvertible {
        var description: String
    }

    private static func locate() -> Result<URL, BinaryMissing> {
        let fileManager = FileManager.default
        if let path = ProcessInfo.processInfo.environment["QUN_BINARY"], !path.isEmpty {
            guard fileManager.isExecutableFile(atPath: path) else {
                return .failure(BinaryMissing(description: "QUN_BINARY=\(path) is not an executable file"))
            }
            return .success(URL(fileURLWithPath: path))
        }
        var candidates: [URL] = []
        // Next to the test bundle: on Linux the xctest runner is .build/<triple>/debug/<name>.xctest,
        // on macOS the bundle sits in the same directory.
        var directory = Bundle.main.bundleURL
        for _ in 0..<6 {
            candidates.append(directory.appendingPathComponent("qun"))
            candidates.append(directory.appendingPathComponent(".build/debug/qun"))
            directory.deleteLastPathComponent()
        }
        for bundle in Bundle.allBundles where bundle.bundleURL.pathExtension == "xctest" {
            candidates.append(bundle.bundleURL.deletingLastPathComponent().appendingPathComponent("qun"))
        }
        // Above this source file: <package>/Tests/QunEndToEndTests/QunProcess.swift.
        directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        for _ in 0..<4 {
            candidates.append(directory.appendingPathComponent(".build/debug/qun"))
            directory.deleteLastPathComponent()
        }
        var seen: Set<String> = []
        candidates = candidates.map(\.standardizedFileURL).filter { seen.insert($0.path).inserted }
        for candidate in candidates {
            var isDirectory: ObjCBool = false
            if fileManager.fileExists(atPath: candidate.path, isDirectory: &isDirectory), !isDirectory.boolValue,
               fileManager.isExecutableFile(atPath: candidate.path) {
                return .success(candidate)
            }
        }
        return .failure(BinaryMissing(description: """
            the qun executable was not found: run `swift build` first (or set QUN_BINARY to its path). \
            Looked in: \(candidates.map(\.path).joined(separator: ", "))
            """))
    }

    /// An environment for a child: the parent's, without anything that could point qun at a
    /// real store or fake its clock, and with HOME and XDG_DATA_HOME inside `home`.
    static func environment(home: URL, extra: [String: String]) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment.filter { key, _ in
            !key.hasPrefix("QUN_") && key != "COLUMNS"
        }
        environment["HOME"] = home.path
        environment["XDG_DATA_HOME"] = home.appendingPathComponent("xdg-data").path
        environment["XDG_CONFIG_HOME"] = home.appendingPathComponent("xdg-config").path
        environment["XDG_STATE_HOME"] = home.appendingPathComponent("xdg-state").path
        environment["XDG_CACHE_HOME"] = home.appendingPathComponent("xdg-cache").path
        if environment["LANG"] == nil { environment["LANG"] = "C.UTF-8" }
        for (key, value) in extra { environment[key] = value }
        return environment
    }

    /// Runs `qun [--store STORE] ARGS...` in `home` and waits (at most `timeout` seconds).
    /// Output goes through files, not pipes, so a chatty child can never block on a full pipe.
    static func run(
        _ arguments: [String], store: URL?, stdin: String?, env: [String: String], home: URL,
        timeout: TimeInterval = 60
    ) throws -> QunOutput {
        let binary = try QunProcess.binary.get()
        let scratch = home.appendingPathComponent(".qun-process", isDirectory: true)
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        let token = UUID().uuidString
        let outURL = scratch.appendingPathComponent("\(token).out")
        let errURL = scratch.appendingPathComponent("\(token).err")
        let inURL = scratch.appendingPathComponent("\(token).in")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        defer {
            for url in [outURL, errURL, inURL] { try? FileManager.default.removeItem(at: url) }
        }
        let outHandle = try FileHandle(forWritingTo: outURL)
        let errHandle = try FileHandle(forWritingTo: errURL)
        defer {
            try? outHandle.close()
            try? errHandle.close()
        }

        let process = Process()
        process.executableURL = binary
        process.arguments = (store.map { ["--store", $0.path] } ?? []) + arguments
        process.environment = environment(home: home, extra: env)
        process.currentDirectoryURL = home
        process.standardOutput = outHandle
        process.standardError = errHandle
        var inHandle: FileHandle?
        if let stdin {
            try Data(stdin.utf8).write(to: inURL)
            inHandle = try FileHandle(forReadingFrom: inURL)
            process.standardInput = inHandle
        } else {
            process.standardInput = FileHandle.nullDevice
        }
        defer { try? inHandle?.close() }

        let finished = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in finished.signal() }
        try process.run()
        if finished.wait(timeout: .now() + timeout) == .timedOut {
            process.terminate()
            _ = finished.wait(timeout: .now() + 5)
            throw BinaryMissing(description: "qun \(arguments.joined(separator: " ")) did not finish within \(Int(timeout)) s")
        }
        process.waitUntilExit()
        let stdout = String(decoding: (try? Data(contentsOf: outURL)) ?? Data(), as: UTF8.self)
        let stderr = String(decoding: (try? Data(contentsOf: errURL)) ?? Data(), as: UTF8.self)
        return (process.terminationStatus, stdout, stderr)
    }
}

/// A test case with its own temporary home directory; every `qun` it runs sees HOME and
/// XDG_DATA_HOME inside it, so no test can touch a real store.
class QunTestCase: XCTestCase {
    private(set) var home: URL!

    override func setUpWithError() throws {
        try super.setUpWithError()
        switch QunProcess.binary {
        case .success: break
        case .failure(let missing):
            XCTFail(missing.description)
            throw missing
        }
        home = FileManager.default.temporaryDirectory
            .appendingPathComponent("qun-e2e-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        if let home { try? FileManager.default.removeItem(at: home) }
        home = nil
        try super.tearDownWithError()
    }

    /// A path inside the temporary home (not created).
    func path(_ name: String) -> URL {
        home.appendingPathComponent(name)
    }

    /// Runs qun; a failure to launch it fails the test and returns status -1.
    @discardableResult
    func runQun(
        _ arguments: [String], store: URL? = nil, stdin: String? = nil, env: [String: String] = [:],
        file: StaticString = #filePath, line: UInt = #line
    ) -> QunOutput {
        do {
            return try QunProcess.run(arguments, store: store, stdin: stdin, env: env, home: home)
        } catch {
            XCTFail("could not run qun \(arguments): \(error)", file: file, line: line)
            return (-1, "", "\(error)")
        }
    }

    /// Runs qun and expects exit 0; returns stdout.
    @discardableResult
    func qun(
        _ arguments: [String], store: URL? = nil, stdin: String? = nil, env: [String: String] = [:],
        file: StaticString = #filePath, line: UInt = #line
    ) -> String {
        let result = runQun(arguments, store: store, stdin: stdin, env: env, file: file, line: line)
        XCTAssertEqual(result.status, 0, "qun \(arguments.joined(separator: " ")) failed:\n\(result.stderr)", file: file, line: line)
        return result.stdout
    }

    /// Runs qun and expects it to fail: non-zero exit, a message on stderr, nothing on stdout.
    @discardableResult
    func qunFails(
        _ arguments: [String], store: URL? = nil, stdin: String? = nil, env: [String: String] = [:],
        stderrContains needles: [String] = [],
        file: StaticString = #filePath, line: UInt = #line
    ) -> QunOutput {
        let result = runQun(arguments, store: store, stdin: stdin, env: env, file: file, line: line)
        let command = "qun \(arguments.joined(separator: " "))"
        XCTAssertNotEqual(result.status, 0, "\(command) should fail; stdout:\n\(result.stdout)", file: file, line: line)
        XCTAssertFalse(result.stderr.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty,
                       "\(command) failed without a message on stderr", file: file, line: line)
        XCTAssertEqual(result.stdout, "", "\(command) failed but wrote to stdout", file: file, line: line)
        for needle in needles {
            XCTAssertTrue(result.stderr.localizedCaseInsensitiveContains(needle),
                          "\(command): stderr should mention '\(needle)':\n\(result.stderr)", file: file, line: line)
        }
        return result
    }

    // MARK: Stores

    /// `qun init --open` a new team's store; returns its directory. Open, so that teammates
    /// join with the shared-secret invite, offline too (`joinStore`); the roster tests make
    /// locked teams with `initLockedStore`.
    @discardableResult
    func initStore(_ name: String, operator operatorName: String, env: [String: String] = [:],
                   file: StaticString = #filePath, line: UInt = #line) -> URL {
        let store = path(name)
        qun(["init", "--name", operatorName, "--open"], store: store, env: env, file: file, line: line)
        return store
    }

    /// `qun init`: a locked team, joined only by single-use invites.
    @discardableResult
    func initLockedStore(_ name: String, operator operatorName: String, env: [String: String] = [:],
                         file: StaticString = #filePath, line: UInt = #line) -> URL {
        let store = path(name)
        qun(["init", "--name", operatorName], store: store, env: env, file: file, line: line)
        return store
    }

    /// `qun init --join` with `inviter`'s invite; returns the new store's directory.
    @discardableResult
    func joinStore(_ name: String, operator operatorName: String, inviter: URL, env: [String: String] = [:],
                   file: StaticString = #filePath, line: UInt = #line) -> URL {
        let invite = qun(["team", "invite", "--shared-secret"], store: inviter, file: file, line: line)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        XCTAssertFalse(invite.isEmpty, "team invite printed nothing", file: file, line: line)
        XCTAssertFalse(invite.contains("\n"), "team invite must print one line: \(invite)", file: file, line: line)
        let store = path(name)
        qun(["init", "--name", operatorName, "--join", invite], store: store, env: env, file: file, line: line)
        return store
    }

    /// `member add` (plain output: the id); returns the id.
    @discardableResult
    func addMember(_ name: String, _ options: [String] = [], store: URL, env: [String: String] = [:],
                   file: StaticString = #filePath, line: UInt = #line) -> String {
        let id = qun(["member", "add", name] + options, store: store, env: env, file: file, line: line)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        XCTAssertFalse(id.isEmpty, "member add \(name) printed no id", file: file, line: line)
        return id
    }

    /// `export --format json`, byte for byte.
    func export(_ store: URL, env: [String: String] = [:], file: StaticString = #filePath, line: UInt = #line) -> String {
        let text = qun(["export", "--format", "json"], store: store, env: env, file: file, line: line)
        XCTAssertFalse(text.isEmpty, "export printed nothing", file: file, line: line)
        return text
    }

    /// Exports a bundle from `from` into a file and imports it into `to`; returns the file.
    @discardableResult
    func carry(from: URL, to: URL, named name: String, exportOptions: [String] = [],
               file: StaticString = #filePath, line: UInt = #line) -> URL {
        let bundle = path(name)
        qun(["bundle", "export", bundle.path] + exportOptions, store: from, file: file, line: line)
        qun(["bundle", "import", bundle.path], store: to, file: file, line: line)
        return bundle
    }

    /// `bundle import FILE --json`, parsed.
    func importBundle(_ bundle: URL, into store: URL, options: [String] = [],
                      file: StaticString = #filePath, line: UInt = #line) -> [String: Any] {
        let text = qun(["bundle", "import", bundle.path, "--json"] + options, store: store, file: file, line: line)
        return jsonObject(text, file: file, line: line) ?? [:]
    }

    /// `status --json`, parsed.
    func status(_ store: URL, env: [String: String] = [:], file: StaticString = #filePath, line: UInt = #line) -> [String: Any] {
        jsonObject(qun(["status", "--json"], store: store, env: env, file: file, line: line), file: file, line: line) ?? [:]
    }

    // MARK: JSON

    func parseJSON(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> Any? {
        do {
            return try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
        } catch {
            XCTFail("not JSON (\(error)):\n\(text)", file: file, line: line)
            return nil
        }
    }

    func jsonObject(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> [String: Any]? {
        guard let value = parseJSON(text, file: file, line: line) else { return nil }
        guard let object = value as? [String: Any] else {
            XCTFail("expected a JSON object:\n\(text)", file: file, line: line)
            return nil
        }
        return object
    }

    func jsonArray(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> [[String: Any]]? {
        guard let value = parseJSON(text, file: file, line: line) else { return nil }
        guard let array = value as? [Any] else {
            XCTFail("expected a JSON array:\n\(text)", file: file, line: line)
            return nil
        }
        let objects = array.compactMap { $0 as? [String: Any] }
        XCTAssertEqual(objects.count, array.count, "every element should be an object:\n\(text)", file: file, line: line)
        return objects
    }

    /// The member records of an `export --format json` dump, by id.
    func exportedMembers(_ exportText: String, file: StaticString = #filePath, line: UInt = #line) -> [String: [String: Any]] {
        guard let dump = jsonObject(exportText, file: file, line: line) else { return [:] }
        guard let members = dump["member"] else { return [:] }
        guard let array = members as? [[String: Any]] else {
            XCTFail("export's \"member\" is not an array of objects:\n\(exportText)", file: file, line: line)
            return [:]
        }
        var byID: [String: [String: Any]] = [:]
        for member in array {
            guard let id = member["id"] as? String else {
                XCTFail("exported member without an id: \(member)", file: file, line: line)
                continue
            }
            XCTAssertNil(byID[id], "member \(id) exported twice", file: file, line: line)
            byID[id] = member
        }
        return byID
    }

    /// The vector entry of `replica` in a parsed `status --json`.
    func vectorEntry(_ status: [String: Any], _ replica: String) -> Int? {
        (status["vector"] as? [String: Any])?[replica].flatMap(intValue)
    }
}

/// An integer out of a JSONSerialization value (NSNumber on Linux).
func intValue(_ value: Any) -> Int? {
    if let int = value as? Int { return int }
    if let number = value as? NSNumber { return number.intValue }
    return nil
}

/// A string field of a parsed record; nil for absent or JSON null.
func stringField(_ record: [String: Any]?, _ key: String) -> String? {
    record?[key] as? String
}

/// The tags of a parsed record, as a set.
func tagSet(_ record: [String: Any]?) -> Set<String> {
    Set((record?["tags"] as? [Any] ?? []).compactMap { $0 as? String })
}
