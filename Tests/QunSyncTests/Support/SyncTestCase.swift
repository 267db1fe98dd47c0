import Foundation
import QunCore
import QunStore
import QunStoreTestSupport
import QunSync
import XCTest

/// Base class of the sync tests: the shared temporary stores, plus bundle files in fresh
/// temporary directories.
class SyncTestCase: TemporaryStoreTestCase {
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
