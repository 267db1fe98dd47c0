import Foundation
import QunCore
import QunStore
import QunSync
import XCTest

/// Base class: every store and bundle made here lives in a fresh temporary directory,
/// removed in `tearDown`.
class SyncTestCase: XCTestCase {
    private var temporaryDirectories: [URL] = []

    override func tearDown() {
        for directory in temporaryDirectories {
            try? FileManager.default.removeItem(at: directory)
        }
        temporaryDirectories.removeAll()
        super.tearDown()
    }

    /// A fresh, empty directory that is removed after the test.
    func makeTemporaryDirectory() throws -> URL {
        let base = FileManager.default.temporaryDirectory
            .appendingPathComponent("qun-sync-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        temporaryDirectories.append(base)
        return base
    }

    /// Creates a store whose operator is `name` in a fresh temporary directory.
    func makeStore(
        _ name: String, team: Store.Team? = nil, now: @escaping @Sendable () -> Int64 = Store.systemClock
    ) throws -> Store {
        let directory = try makeTemporaryDirectory().appendingPathComponent("store", isDirectory: true)
        return try Store.create(at: directory, operatorName: name, team: team, now: now)
    }

    /// A path for a bundle file in a fresh temporary directory (the file does not exist yet).
    func bundleURL(_ name: String = "changes.qunb") throws -> URL {
        try makeTemporaryDirectory().appendingPathComponent(name)
    }

    /// Reads a file's bytes.
    func bytes(of url: URL) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: url))
    }

    /// Writes bytes to a fresh file and returns its URL.
    func write(_ bytes: [UInt8], name: String = "written.qunb") throws -> URL {
        let url = try bundleURL(name)
        try Data(bytes).write(to: url)
        return url
    }
}

extension Store {
    /// A member with only a name (and optionally more), added.
    @discardableResult
    func add(_ name: String, configure: (inout MemberDraft) -> Void = { _ in }) throws -> Member {
        var draft = MemberDraft(name: name)
        configure(&draft)
        return try addMember(draft)
    }

    /// The canonical export as one line.
    func exportText() throws -> String { try export().compact }

    /// One collection of the export as one line (`[]` when absent).
    func exportSection(_ collection: String) throws -> String {
        guard case .object(let members) = try export() else { return "[]" }
        return members.first { $0.0 == collection }?.1.compact ?? "[]"
    }

    /// Everything an import could change, as one string.
    func fingerprint() throws -> String {
        try exportText() + "|" + versionVector().description + "|\(try changes().count)|\(try heldChanges().count)"
    }

    /// The team, which every store made by these tests has.
    var team: Store.Team { identity.team! }

    var replica: ReplicaID { identity.replica }
}

/// Runs `body` and returns the `BundleError` it threw, failing if it threw nothing or
/// something else.
func bundleError<T>(
    _ message: @autoclosure () -> String = "", file: StaticString = #filePath, line: UInt = #line,
    _ body: () throws -> T
) -> BundleError? {
    do {
        _ = try body()
        XCTFail("expected a BundleError, got success. \(message())", file: file, line: line)
    } catch let error as BundleError {
        return error
    } catch {
        XCTFail("expected a BundleError, got \(type(of: error)): \(error). \(message())", file: file, line: line)
    }
    return nil
}

/// Asserts that `body` throws exactly `expected`.
func XCTAssertThrowsBundleError<T>(
    _ expected: BundleError, _ message: @autoclosure () -> String = "",
    file: StaticString = #filePath, line: UInt = #line, _ body: () throws -> T
) {
    guard let error = bundleError(message(), file: file, line: line, body) else { return }
    XCTAssertEqual(error, expected, message(), file: file, line: line)
}

extension BundleError {
    var isCorrupted: Bool {
        if case .corrupted = self { return true }
        return false
    }
}
