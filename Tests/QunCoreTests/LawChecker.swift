import XCTest
import QunCore
import QunTestSupport

/// Checks the algebraic laws the merge rules promise for a set of changes:
///
/// - commutativity: every order of application gives the same export and version vector
///   (every permutation when there are at most `exhaustiveLimit` changes, otherwise `orders`
///   random shuffles);
/// - idempotence: delivering changes again — interleaved duplicates, a full second pass, or
///   the same change twice in a row on a bare `RecordState` — changes nothing, and
///   `Document.apply` reports every duplicate as such.
///
/// Returns the document built from `changes` in the given order, so that the caller can check
/// the concrete outcome once it knows the outcome does not depend on order. Failure messages
/// carry the seed and the offending order, so that a failure can be replayed.
@discardableResult
func assertConverges(
    changes: [Change],
    orders: Int = 300,
    seed: UInt64 = 0x51_A7_E5,
    exhaustiveLimit: Int = 6,
    file: StaticString = #filePath,
    line: UInt = #line
) -> Document {
    precondition(Set(changes.map(\.id)).count == changes.count, "law checker needs distinct change ids")
    var rng = SplitMix64(seed: seed)
    let reference = document(changes)
    let expected = reference.export().compact
    let expectedVector = reference.vector

    func describe(_ order: [Change]) -> String {
        order.map { "\($0.id.replica.hex.prefix(2)):\($0.id.seq)" }.joined(separator: " ")
    }

    /// Applies `order` (which may contain duplicates) and checks the law; false on failure.
    func check(_ order: [Change], law: String) -> Bool {
        var doc = Document()
        var applied: Set<ChangeID> = []
        for change in order {
            let fresh = applied.insert(change.id).inserted
            if doc.apply(change) != fresh {
                XCTFail("seed \(seed): \(law): apply(\(change.id)) returned \(!fresh) in order [\(describe(order))]",
                        file: file, line: line)
                return false
            }
        }
        let got = doc.export().compact
        guard sameBytes(got, expected) else {
            XCTFail("seed \(seed): \(law) broken for order [\(describe(order))]:\n got      \(got)\n expected \(expected)",
                    file: file, line: line)
            return false
        }
        guard doc.vector == expectedVector else {
            XCTFail("seed \(seed): \(law): vector \(doc.vector) != \(expectedVector) for order [\(describe(order))]",
                    file: file, line: line)
            return false
        }
        return true
    }

    // Commutativity.
    var permutations: [[Change]] = []
    if changes.count <= exhaustiveLimit {
        permutations = allPermutations(changes)
    } else {
        permutations = (0..<orders).map { _ in rng.shuffled(changes) }
        permutations.append(changes.reversed())
    }
    for order in permutations {
        guard check(order, law: "commutativity") else { return reference }
    }

    // Idempotence with duplicates: interleaved re-deliveries, then a whole second pass.
    for order in permutations.prefix(max(orders, 50)) {
        var laced: [Change] = []
        for change in order {
            laced.append(change)
            if rng.chance(1, in: 2) { laced.append(laced[rng.below(laced.count)]) }
        }
        laced += rng.shuffled(changes)
        guard check(laced, law: "idempotence") else { return reference }
    }

    // Idempotence of the bare merge function, without Document's seen-set guard.
    var once = RecordStates()
    var twice = RecordStates()
    for change in changes {
        once.apply(change)
        twice.apply(change)
        twice.apply(change)
    }
    for (key, state) in once.states where twice.states[key] != state {
        XCTFail("seed \(seed): RecordState.apply is not idempotent for \(key): "
                + "\(state.export(id: key.id).compact) vs \(twice.states[key]!.export(id: key.id).compact)",
                file: file, line: line)
    }
    return reference
}

/// Record states without `Document`'s duplicate guard, to test `RecordState.apply` itself.
private struct RecordStates {
    struct Key: Hashable { var collection: String; var id: String }
    var states: [Key: RecordState] = [:]

    mutating func apply(_ change: Change) {
        let key = Key(collection: change.collection, id: change.record)
        states[key, default: RecordState(collection: change.collection)].apply(change)
    }
}

/// Every ordering of `items` (Heap's algorithm).
func allPermutations<T>(_ items: [T]) -> [[T]] {
    var result: [[T]] = []
    var items = items
    func generate(_ count: Int) {
        if count <= 1 {
            result.append(items)
            return
        }
        for index in 0..<count {
            generate(count - 1)
            if index < count - 1 {
                items.swapAt(count % 2 == 0 ? index : 0, count - 1)
            }
        }
    }
    generate(items.count)
    return result
}
