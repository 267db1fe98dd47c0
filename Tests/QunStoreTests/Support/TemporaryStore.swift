import Foundation
import QunCore
import QunStore
import XCTest

/// A wall clock the test moves by hand. Shared by reference so that a store created with
/// `clock.closure` sees every later `advance`.
final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var milliseconds: Int64

    /// 2024-03-01T00:00:00Z: a fixed, readable start.
    static let start: Int64 = 1_709_251_200_000

    init(_ milliseconds: Int64 = TestClock.start) { self.milliseconds = milliseconds }

    var now: Int64 {
        lock.lock(); defer { lock.unlock() }
        return milliseconds
    }

    func advance(by delta: Int64) {
        lock.lock(); defer { lock.unlock() }
        milliseconds += delta
    }

    func set(_ value: Int64) {
        lock.lock(); defer { lock.unlock() }
        milliseconds = value
    }

    var closure: @Sendable () -> Int64 { { [self] in self.now } }
}

/// Base class: every store made here lives in its own fresh temporary directory, removed in
/// `tearDown`.
class StoreTestCase: XCTestCase {
    private var temporaryDirectories: [URL] = []

    override func tearDown() {
        for directory in temporaryDirectories {
            try? FileManager.default.removeItem(at: directory)
        }
        temporaryDirectories.removeAll()
        super.tearDown()
    }

    /// A fresh, empty directory that is removed after the test. The store itself goes one
    /// level below (`.../<name>`), so tests can also copy it next to the original.
    func makeTemporaryDirectory() throws -> URL {
        let base = FileManager.default.temporaryDirectory
            .appendingPathComponent("qun-store-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        temporaryDirectories.append(base)
        return base
    }

    /// Creates a store named `name` (the operator name too) in a fresh temporary directory.
    func makeStore(
        name: String = "林晓", now: (@Sendable () -> Int64)? = nil, team: Store.Team? = nil
    ) throws -> Store {
        let directory = try makeTemporaryDirectory().appendingPathComponent("store", isDirectory: true)
        return try Store.create(at: directory, operatorName: name, team: team, now: now ?? Store.systemClock)
    }

    /// Stores of one team, each with its own directory and operator.
    func makeTeam(_ names: [String], clocks: [TestClock]? = nil) throws -> [Store] {
        let team = Store.Team.random()
        return try names.enumerated().map { index, name in
            try makeStore(name: name, now: clocks?[index].closure, team: team)
        }
    }
}

// MARK: - Sync helpers

/// Sends `from` exactly what `to` lacks according to `to`'s version vector.
@discardableResult
func push(_ from: Store, _ to: Store) throws -> ApplyReport {
    try to.apply(from.changes(since: to.versionVector()))
}

/// Two-way exchange.
func exchange(_ a: Store, _ b: Store) throws {
    try push(a, b)
    try push(b, a)
}

/// Every store ends up with every change.
func exchangeAll(_ stores: [Store]) throws {
    for _ in 0..<2 {
        for a in stores {
            for b in stores where a !== b { try push(a, b) }
        }
    }
}

// MARK: - Export helpers

extension Store {
    /// The canonical export as one line.
    func exportText() throws -> String { try export().compact }

    /// One collection of the export as one line (`[]` when absent).
    func exportSection(_ collection: String) throws -> String {
        section(try export(), collection)
    }

    /// Member ids in the export (live members only).
    func liveMemberIDs() throws -> Set<String> {
        Set(try members().map(\.id))
    }

    /// A draft with only a name, added.
    @discardableResult
    func add(_ name: String, configure: (inout MemberDraft) -> Void = { _ in }) throws -> Member {
        var draft = MemberDraft(name: name)
        configure(&draft)
        return try addMember(draft)
    }

    /// `member edit` with the given fields.
    @discardableResult
    func edit(_ reference: String, _ fields: [Member.Field: String] = [:],
              tag: [String] = [], untag: [String] = []) throws -> Member {
        var edit = MemberEdit()
        edit.fields = fields
        edit.addTags = tag
        edit.removeTags = untag
        return try editMember(reference, edit)
    }

    /// Everything that can tell two states of a store apart.
    func fingerprint() throws -> String {
        let changes = try changes()
        return try exportText() + "|" + versionVector().description + "|\(changes.count)|"
            + members(MemberFilter.all).map { "\($0.id):\($0.number ?? "-"):\($0.deleted)" }.joined(separator: ",")
    }
}

extension MemberFilter {
    static var all: MemberFilter {
        var filter = MemberFilter()
        filter.includeDeleted = true
        return filter
    }
}

/// A Document holding `changes`, applied in the given order.
func document(of changes: [Change]) -> Document {
    var document = Document()
    for change in changes { document.apply(change) }
    return document
}

/// Asserts that `body` throws exactly `expected`.
func XCTAssertThrowsStoreError<T>(
    _ expected: StoreError, _ message: @autoclosure () -> String = "",
    file: StaticString = #filePath, line: UInt = #line, _ body: () throws -> T
) {
    do {
        _ = try body()
        XCTFail("expected \(expected), got no error. \(message())", file: file, line: line)
    } catch let error as StoreError {
        XCTAssertEqual(error, expected, message(), file: file, line: line)
    } catch {
        XCTFail("expected \(expected), got \(error). \(message())", file: file, line: line)
    }
}

/// Runs `body` and returns the StoreError it threw, failing if it did not throw one.
func storeError<T>(file: StaticString = #filePath, line: UInt = #line, _ body: () throws -> T) -> StoreError? {
    do {
        _ = try body()
        XCTFail("expected a StoreError, got none", file: file, line: line)
    } catch let error as StoreError {
        return error
    } catch {
        XCTFail("expected a StoreError, got \(error)", file: file, line: line)
    }
    return nil
}

/// A hand-made remote change from `replica`.
func remoteChange(
    _ replica: ReplicaID, _ seq: Int64, at milliseconds: Int64, counter: Int = 0,
    collection: String = .memberCollection, record: String, field: String = "name", _ operation: QunCore.Operation
) -> Change {
    Change(id: ChangeID(replica: replica, seq: seq), hlc: HLC(milliseconds: milliseconds, counter: counter),
           collection: collection, record: record, field: field, operation: operation)
}

/// One collection of an export document as one line (`[]` when absent).
func section(_ export: JSON, _ collection: String) -> String {
    guard case .object(let members) = export else { return "[]" }
    return members.first { $0.0 == collection }?.1.compact ?? "[]"
}

/// A value shared with worker threads.
final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value
    init(_ value: Value) { self.value = value }
    func update(_ body: (inout Value) -> Void) {
        lock.lock(); defer { lock.unlock() }
        body(&value)
    }
    var current: Value {
        lock.lock(); defer { lock.unlock() }
        return value
    }
}
