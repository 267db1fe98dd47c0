import Foundation
import QunStore
import XCTest

/// Base class of the tests that work on real stores in this process: every store (and any
/// other file) made here lives in its own fresh temporary directory, removed in `tearDown`,
/// so that tests never see each other's data and leave nothing behind.
open class TemporaryStoreTestCase: XCTestCase {
    private var temporaryDirectories: [URL] = []

    override open func tearDown() {
        for directory in temporaryDirectories {
            try? FileManager.default.removeItem(at: directory)
        }
        temporaryDirectories.removeAll()
        super.tearDown()
    }

    /// A fresh, empty directory that is removed after the test. A store made by `makeStore`
    /// goes one level below (`.../store`), so tests can also copy it next to the original.
    public func makeTemporaryDirectory() throws -> URL {
        let base = FileManager.default.temporaryDirectory
            .appendingPathComponent("qun-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        temporaryDirectories.append(base)
        return base
    }

    /// Creates a store whose operator is `name` in a fresh temporary directory.
    public func makeStore(
        _ name: String, team: Store.Team? = nil, now: @escaping @Sendable () -> Int64 = Store.systemClock
    ) throws -> Store {
        let directory = try makeTemporaryDirectory().appendingPathComponent("store", isDirectory: true)
        return try Store.create(at: directory, operatorName: name, team: team, now: now)
    }
}
