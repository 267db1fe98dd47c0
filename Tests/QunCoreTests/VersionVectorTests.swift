import XCTest
import QunCore
import QunTestSupport

final class VersionVectorTests: XCTestCase {
    private let a = Replicas.a, b = Replicas.b, c = Replicas.c

    func testContains() {
        let vector = VersionVector([a: 3, b: 1])
        XCTAssertTrue(vector.contains(ChangeID(replica: a, seq: 1)))
        XCTAssertTrue(vector.contains(ChangeID(replica: a, seq: 3)))
        XCTAssertFalse(vector.contains(ChangeID(replica: a, seq: 4)))
        XCTAssertTrue(vector.contains(ChangeID(replica: b, seq: 1)))
        XCTAssertFalse(vector.contains(ChangeID(replica: b, seq: 2)))
        XCTAssertFalse(vector.contains(ChangeID(replica: c, seq: 1)))
        XCTAssertFalse(VersionVector().contains(ChangeID(replica: a, seq: 1)))
    }

    func testZeroEntriesAreDropped() {
        var vector = VersionVector([a: 0, b: 2, c: -1])
        XCTAssertEqual(vector.entries, [b: 2])
        XCTAssertEqual(vector, VersionVector([b: 2]))
        XCTAssertEqual(vector[a], 0)
        vector[a] = 5
        XCTAssertEqual(vector[a], 5)
        vector[a] = 0
        XCTAssertNil(vector.entries[a])
        XCTAssertEqual(vector, VersionVector([b: 2]))
        XCTAssertEqual(VersionVector([a: 3, b: 4]).count, 7)
        XCTAssertEqual(VersionVector().count, 0)
    }

    func testMergedIsThePointwiseMaximum() {
        let x = VersionVector([a: 3, b: 1])
        let y = VersionVector([b: 4, c: 2])
        let expected = VersionVector([a: 3, b: 4, c: 2])
        XCTAssertEqual(x.merged(with: y), expected)
        XCTAssertEqual(y.merged(with: x), expected)
        XCTAssertEqual(x.merged(with: x), x)
        XCTAssertEqual(x.merged(with: VersionVector()), x)
        XCTAssertEqual(x.merged(with: y).merged(with: expected), expected)
    }

    func testDominates() {
        let x = VersionVector([a: 3, b: 1])
        let y = VersionVector([a: 2])
        let z = VersionVector([a: 1, c: 1])
        XCTAssertTrue(x.dominates(x))
        XCTAssertTrue(x.dominates(y))
        XCTAssertFalse(y.dominates(x))
        XCTAssertTrue(x.dominates(VersionVector()))
        XCTAssertTrue(VersionVector().dominates(VersionVector()))
        XCTAssertFalse(VersionVector().dominates(y))
        // Concurrent vectors: neither dominates, their merge dominates both.
        XCTAssertFalse(x.dominates(z))
        XCTAssertFalse(z.dominates(x))
        XCTAssertTrue(x.merged(with: z).dominates(x))
        XCTAssertTrue(x.merged(with: z).dominates(z))
    }

    func testDescriptionIsSortedByReplicaAndParsesBack() {
        let vector = VersionVector([c: 12, a: 3, b: 1_000_000])
        XCTAssertEqual(vector.description, "\(a.hex):3,\(b.hex):1000000,\(c.hex):12")
        XCTAssertEqual(VersionVector(parsing: vector.description), vector)
        XCTAssertEqual(VersionVector(parsing: "")?.entries, [:])
        XCTAssertEqual(VersionVector().description, "")

        let big = VersionVector([a: Int64.max])
        XCTAssertEqual(VersionVector(parsing: big.description), big)

        var rng = SplitMix64(seed: 77)
        for _ in 0..<200 {
            var entries: [ReplicaID: Int64] = [:]
            for _ in 0..<rng.below(6) {
                entries[ReplicaID(high: rng.next(), low: rng.next())] = Int64(rng.below(1_000_000)) + 1
            }
            let random = VersionVector(entries)
            XCTAssertEqual(VersionVector(parsing: random.description), random, "seed 77")
        }
    }

    func testParsingIsLenientAboutSpacesUppercaseAndZeroes() {
        XCTAssertEqual(VersionVector(parsing: " \(a.hex):3 , \(b.hex.uppercased()):1 "), VersionVector([a: 3, b: 1]))
        XCTAssertEqual(VersionVector(parsing: "\(a.hex):0"), VersionVector())
        XCTAssertEqual(VersionVector(parsing: "\(a.hex):3,"), VersionVector([a: 3]))
    }

    func testBadInputsAreRejected() {
        let hex = a.hex
        let bad = [
            "nonsense",
            hex,                                 // no seq
            "\(hex):",                           // empty seq
            ":5",                                // no replica
            "\(hex):-1",                         // negative
            "\(hex):1:2",                        // too many parts
            "\(hex):abc",                        // not a number
            "\(hex):1.5",
            "\(hex):99999999999999999999",       // over Int64
            "\(hex.dropLast()):1",               // 31 hex digits
            "\(hex)0:1",                         // 33 hex digits
            "\(hex.dropLast())g:1",              // not hex
            "+\(hex.dropFirst()):1",             // sign inside the id
            "-\(hex.dropFirst()):1",
            "\(hex):1,\(hex):2",                 // duplicate replica
            "\(hex):1;\(b.hex):2",               // wrong separator
        ]
        for input in bad {
            XCTAssertNil(VersionVector(parsing: input), "accepted \(input)")
        }
    }

    func testJSONObjectKeyedByReplicaHex() {
        XCTAssertEqual(VersionVector([b: 2, a: 1]).json.compact, "{\"\(a.hex)\":1,\"\(b.hex)\":2}")
        XCTAssertEqual(VersionVector().json.compact, "{}")
    }
}
