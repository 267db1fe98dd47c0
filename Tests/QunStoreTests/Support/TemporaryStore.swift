import Foundation
import QunCore
import QunStore
import QunStoreTestSupport
import XCTest

/// Base class of the store tests: the shared temporary stores, with this module's way of
/// naming them (an operator by default, clocks per store for teams).
class StoreTestCase: TemporaryStoreTestCase {
    /// Creates a store named `name` (the operator name too) in a fresh temporary directory.
    func makeStore(
        name: String = "林晓", now: (@Sendable () -> Int64)? = nil, team: Store.Team? = nil
    ) throws -> Store {
        try makeStore(name, team: team, now: now ?? Store.systemClock)
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
    /// Member ids in the export (live members only).
    func liveMemberIDs() throws -> Set<String> {
        Set(try members().map(\.id))
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
