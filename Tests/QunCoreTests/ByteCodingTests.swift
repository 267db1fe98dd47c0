import XCTest
import QunCore

final class ByteCodingTests: XCTestCase {
    func testVarintsRoundTripAtTheExtremes() throws {
        let unsigned: [UInt64] = [0, 1, 127, 128, 255, 16_383, 16_384, UInt64(UInt32.max), UInt64(Int64.max), .max]
        let signed: [Int64] = [0, 1, -1, 63, -64, 64, -65, Int64(Int32.min), .max, .min]
        var writer = ByteWriter()
        for value in unsigned { writer.uvarint(value) }
        for value in signed { writer.svarint(value) }
        writer.fixed64(0x0102_0304_0506_0708)
        writer.string("张三")
        writer.string("")
        var reader = ByteReader(writer.bytes)
        for value in unsigned { XCTAssertEqual(try reader.uvarint(), value) }
        for value in signed { XCTAssertEqual(try reader.svarint(), value) }
        XCTAssertEqual(try reader.fixed64(), 0x0102_0304_0506_0708)
        XCTAssertEqual(try reader.string(), "张三")
        XCTAssertEqual(try reader.string(), "")
        XCTAssertTrue(reader.isAtEnd)
        let end = reader.offset
        XCTAssertThrowsError(try reader.byte()) { XCTAssertEqual($0 as? DecodingError, .truncated(offset: end)) }
    }

    func testEncodedSizes() {
        func size(_ value: UInt64) -> Int { var writer = ByteWriter(); writer.uvarint(value); return writer.bytes.count }
        func ssize(_ value: Int64) -> Int { var writer = ByteWriter(); writer.svarint(value); return writer.bytes.count }
        XCTAssertEqual(size(0), 1)
        XCTAssertEqual(size(127), 1)
        XCTAssertEqual(size(128), 2)
        XCTAssertEqual(size(.max), 10)
        XCTAssertEqual(ssize(-1), 1)
        XCTAssertEqual(ssize(-64), 1)
        XCTAssertEqual(ssize(.min), 10)
    }

    func testMalformedVarintsAreRejected() {
        // Eleven continuation bytes: too long.
        var tooLong = ByteReader([UInt8](repeating: 0x80, count: 11) + [0])
        XCTAssertThrowsError(try tooLong.uvarint())
        // Ten bytes whose last carries more than the 64th bit.
        var overflow = ByteReader([UInt8](repeating: 0xFF, count: 9) + [0x02])
        XCTAssertThrowsError(try overflow.uvarint())
        var maximum = ByteReader([UInt8](repeating: 0xFF, count: 9) + [0x01])
        XCTAssertEqual(try maximum.uvarint(), .max)
        var truncated = ByteReader([0x80, 0x80])
        XCTAssertThrowsError(try truncated.uvarint()) { XCTAssertEqual($0 as? DecodingError, .truncated(offset: 2)) }
    }

    func testBoundsChecks() {
        var reader = ByteReader([1, 2, 3])
        XCTAssertThrowsError(try reader.raw(4))
        XCTAssertThrowsError(try reader.raw(-1))
        XCTAssertEqual(reader.offset, 0, "a failed read consumes nothing")
        XCTAssertEqual(Array(try reader.raw(3)), [1, 2, 3])

        var counted = ByteReader([200, 1])  // 200
        XCTAssertThrowsError(try counted.count(limit: 199))
        var ok = ByteReader([200, 1])
        XCTAssertEqual(try ok.count(limit: 200), 200)

        var longString = ByteReader([5, 0x61, 0x62])
        XCTAssertThrowsError(try longString.string())
        var badUTF8 = ByteReader([2, 0xC3, 0x28])
        XCTAssertThrowsError(try badUTF8.string())

        var fixed = ByteReader([1, 2, 3, 4, 5, 6, 7])
        XCTAssertThrowsError(try fixed.fixed64())

        // A reader over a window does not read past its end.
        var window = ByteReader([9, 9, 9, 9], from: 1, to: 2)
        XCTAssertEqual(try window.byte(), 9)
        XCTAssertThrowsError(try window.byte())
    }

    func testErrorDescriptions() {
        XCTAssertEqual(DecodingError.truncated(offset: 12).description, "data ends early (at byte 12)")
        XCTAssertEqual(DecodingError.malformed("bad thing", offset: 3).description, "bad thing (at byte 3)")
    }
}
