import XCTest
import QunCore

final class ReplicaIDTests: XCTestCase {
    func testHexAndBytesRoundTrip() {
        let id = ReplicaID(high: 0x0123_4567_89AB_CDEF, low: 0xFEDC_BA98_7654_3210)
        XCTAssertEqual(id.hex, "0123456789abcdeffedcba9876543210")
        XCTAssertEqual(ReplicaID(hex: id.hex), id)
        XCTAssertEqual(ReplicaID(hex: id.hex.uppercased()), id)
        XCTAssertEqual(id.bytes, [0x01, 0x23, 0x45, 0x67, 0x89, 0xAB, 0xCD, 0xEF,
                                  0xFE, 0xDC, 0xBA, 0x98, 0x76, 0x54, 0x32, 0x10])
        XCTAssertEqual(ReplicaID(bytes: id.bytes), id)
        XCTAssertNil(ReplicaID(bytes: id.bytes.dropLast()))
        XCTAssertEqual(ReplicaID(high: 0, low: 1).hex, String(repeating: "0", count: 31) + "1")
        let random = ReplicaID.random()
        XCTAssertEqual(ReplicaID(hex: random.hex), random)
        XCTAssertNotEqual(random, ReplicaID.random())
    }

    func testHexParsingRejectsAnythingButThirtyTwoHexDigits() {
        let zeros = String(repeating: "0", count: 31)
        for input in ["", zeros, zeros + "00", zeros + "g", "+" + zeros, "-" + zeros,
                      String(repeating: "0", count: 15) + "+" + String(repeating: "0", count: 16),
                      " " + zeros, zeros + "é"] {
            XCTAssertNil(ReplicaID(hex: input), "accepted \(input)")
        }
    }

    func testOrderComparesHighThenLow() {
        XCTAssertLessThan(ReplicaID(high: 1, low: .max), ReplicaID(high: 2, low: 0))
        XCTAssertLessThan(ReplicaID(high: 1, low: 1), ReplicaID(high: 1, low: 2))
        XCTAssertLessThan(Replicas.a, Replicas.b)
        XCTAssertLessThan(Replicas.c, Replicas.d)
    }

    func testNumberPrefixIsFourCrockfordCharactersFromTheTopBits() {
        XCTAssertEqual(ReplicaID(high: 0, low: 0).numberPrefix, "0000")
        XCTAssertEqual(ReplicaID(high: .max, low: 0).numberPrefix, "ZZZZ")
        XCTAssertEqual(ReplicaID(high: 1 << 44, low: 0).numberPrefix, "0001")
        let prefix = ReplicaID.random().numberPrefix
        XCTAssertEqual(prefix.count, 4)
        XCTAssertTrue(prefix.allSatisfy { "0123456789ABCDEFGHJKMNPQRSTVWXYZ".contains($0) })
    }
}
