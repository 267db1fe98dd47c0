import XCTest
import QunCore

/// Fixed replica ids, ordered `a < b < c < d` so that tie-breaks are predictable.
enum Replicas {
    static let a = ReplicaID(high: 0x0A00_0000_0000_0000, low: 1)
    static let b = ReplicaID(high: 0x0B00_0000_0000_0000, low: 2)
    static let c = ReplicaID(high: 0x0C00_0000_0000_0000, low: 3)
    static let d = ReplicaID(high: 0x0D00_0000_0000_0000, low: 4)
}

/// A timestamp from milliseconds and counter.
func hlc(_ milliseconds: Int64, _ counter: Int = 0) -> HLC {
    HLC(milliseconds: milliseconds, counter: counter)
}

/// A hand-built change, for tests that need exact control over stamps.
func makeChange(
    _ replica: ReplicaID, _ seq: Int64, at stamp: HLC,
    _ collection: String = "members", _ record: String = "r1", _ field: String = "",
    _ operation: QunCore.Operation
) -> Change {
    Change(id: ChangeID(replica: replica, seq: seq), hlc: stamp,
           collection: collection, record: record, field: field, operation: operation)
}

/// Applies `changes` in order to a fresh document.
func document(_ changes: [Change]) -> Document {
    var document = Document()
    for change in changes { document.apply(change) }
    return document
}

/// A replica the way a real store behaves: its own document, hybrid logical clock and gap-free
/// seq counter. Removes and restores name exactly what this replica has observed.
struct SimulatedReplica {
    let id: ReplicaID
    private(set) var document = Document()
    private(set) var clock = HLC.zero
    private(set) var seq: Int64 = 0
    /// Every change this replica holds, own and received, in the order it got them.
    private(set) var held: [Change] = []
    /// The simulated wall clock in milliseconds.
    var wallClock: Int64

    init(_ id: ReplicaID, wallClock: Int64 = 1_700_000_000_000) {
        self.id = id
        self.wallClock = wallClock
    }

    @discardableResult
    mutating func make(_ collection: String, _ record: String, _ field: String, _ operation: QunCore.Operation) -> Change {
        seq += 1
        clock = HLC.next(after: clock, now: wallClock)
        let change = Change(id: ChangeID(replica: id, seq: seq), hlc: clock,
                            collection: collection, record: record, field: field, operation: operation)
        document.apply(change)
        held.append(change)
        return change
    }

    @discardableResult
    mutating func set(_ collection: String, _ record: String, _ field: String, _ value: Value) -> Change {
        make(collection, record, field, .set(value))
    }

    @discardableResult
    mutating func add(_ collection: String, _ record: String, _ field: String, _ element: String) -> Change {
        make(collection, record, field, .add(element))
    }

    /// Removes `element`, naming the add tags this replica currently sees.
    @discardableResult
    mutating func remove(_ collection: String, _ record: String, _ field: String, _ element: String) -> Change {
        let observed = document.record(collection, record)?.liveTags(field: field, element: element) ?? []
        return make(collection, record, field, .remove(element, observed: observed))
    }

    @discardableResult
    mutating func append(_ collection: String, _ record: String, _ field: String, _ text: String) -> Change {
        make(collection, record, field, .append(text))
    }

    @discardableResult
    mutating func delete(_ collection: String, _ record: String) -> Change {
        make(collection, record, "", .delete)
    }

    /// Restores, naming the delete tokens this replica currently sees.
    @discardableResult
    mutating func restore(_ collection: String, _ record: String) -> Change {
        let observed = document.record(collection, record)?.liveDeleteTokens ?? []
        return make(collection, record, "", .restore(observed: observed))
    }

    /// Receives changes as sync would: applies each (duplicates are no-ops) and moves the
    /// clock so that later local changes are stamped after everything seen.
    mutating func receive(_ changes: some Sequence<Change>) {
        for change in changes {
            if document.apply(change) { held.append(change) }
            clock = HLC.merged(local: clock, remote: change.hlc)
        }
    }

    mutating func receive(from other: SimulatedReplica) { receive(other.held) }
}

/// Byte equality of two strings. `String ==` is canonical equivalence ("caf\u{E9}" ==
/// "cafe\u{301}"), which is too weak for "byte-identical exports".
func sameBytes(_ a: String, _ b: String) -> Bool {
    a.utf8.elementsEqual(b.utf8)
}

/// Asserts that the document's compact export is exactly `expected`, byte for byte.
func assertExport(_ document: Document, _ expected: String, file: StaticString = #filePath, line: UInt = #line) {
    let got = document.export().compact
    XCTAssertTrue(sameBytes(got, expected), "export\n got      \(got)\n expected \(expected)", file: file, line: line)
}
