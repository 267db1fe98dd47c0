import XCTest
import QunCore
import QunTestSupport

final class ChangeBatchTests: XCTestCase {
    /// One change of every operation kind, with unicode, empty strings, extreme numbers and
    /// several replicas.
    static let allKinds: [Change] = {
        let a = Replicas.a, b = Replicas.b
        let big = ReplicaID(high: .max, low: .max)
        let t = hlc(1_700_000_000_000, 3)
        return [
            makeChange(a, 1, at: t, "members", "r1", "name", .set(.text("张三"))),
            makeChange(a, 2, at: t, "members", "r1", "city", .set(.text(""))),
            makeChange(a, 3, at: t, "members", "r1", "n", .set(.int(Int64.min))),
            makeChange(a, 4, at: t, "members", "r1", "n", .set(.int(Int64.max))),
            makeChange(a, 5, at: t, "members", "r1", "n", .set(.int(-1))),
            makeChange(a, 6, at: t, "members", "r1", "score", .set(.real(-2.75))),
            makeChange(a, 7, at: t, "members", "r1", "score", .set(.real(.infinity))),
            makeChange(a, 8, at: t, "members", "r1", "score", .set(.null)),
            makeChange(a, 12, at: t, "members", "r1", "score", .set(.real(0.1))),
            makeChange(b, 1, at: t, "members", "r1", "tags", .add("新人 🌙")),
            makeChange(b, 2, at: t, "members", "r1", "tags", .add("")),
            makeChange(b, 3, at: t, "members", "r1", "tags",
                       .remove("新人 🌙", observed: [ChangeID(replica: b, seq: 1), ChangeID(replica: big, seq: Int64.max)])),
            makeChange(b, 4, at: t, "members", "r1", "tags", .remove("gone", observed: [])),
            makeChange(b, 5, at: t, "members", "r1", "log", .append("电话回访\n\"ok\"")),
            makeChange(big, Int64.max, at: HLC(rawValue: Int64.max), "members", "r1", "", .delete),
            makeChange(big, 1, at: .zero, "members", "r1", "", .restore(observed: [])),
            makeChange(big, 2, at: hlc(1), "members", "r1", "", .restore(observed: [ChangeID(replica: big, seq: Int64.max)])),
            makeChange(a, 9, at: t, "活动", "e-1", "x-future", .unknown(code: 42, payload: [0, 1, 2, 255])),
            makeChange(a, 10, at: t, "members", "r1", "", .unknown(code: 255, payload: [])),
            makeChange(a, 11, at: t, "tasks", String(repeating: "长", count: 300), String(repeating: "f", count: 200),
                       .set(.text(String(repeating: "🌙", count: 1_000)))),
        ]
    }()

    func testRoundTripOfEveryOperationKind() throws {
        let bytes = ChangeBatch.encode(Self.allKinds)
        XCTAssertEqual(Array(bytes.prefix(4)), Array("QCB1".utf8))
        XCTAssertEqual(try ChangeBatch.decode(bytes), Self.allKinds)
        XCTAssertEqual(try ChangeBatch.decode(ChangeBatch.encode([])), [])
        XCTAssertEqual(try ChangeBatch.decode(ChangeBatch.encode([Self.allKinds[0]])), [Self.allKinds[0]])
    }

    func testCanonicallyEquivalentNamesKeepTheirBytes() throws {
        // String == treats these pairs as equal; the interning table must not.
        let names = ["caf\u{E9}", "cafe\u{301}", "K", "\u{212A}"]
        let changes = names.enumerated().map { index, name in
            makeChange(Replicas.a, Int64(index + 1), at: hlc(1), name, name, name, .set(.text(name)))
        }
        let decoded = try ChangeBatch.decode(ChangeBatch.encode(changes))
        XCTAssertEqual(decoded.count, changes.count)
        for (original, copy) in zip(changes, decoded) {
            XCTAssertEqual(Array(copy.collection.utf8), Array(original.collection.utf8))
            XCTAssertEqual(Array(copy.record.utf8), Array(original.record.utf8))
            XCTAssertEqual(Array(copy.field.utf8), Array(original.field.utf8))
            XCTAssertEqual(copy.operation.payload, original.operation.payload)
        }
    }

    func testNotANumberSurvivesBitForBit() throws {
        let nan = Double(bitPattern: 0x7FF8_0000_0000_1234)
        let change = makeChange(Replicas.a, 1, at: hlc(1), "members", "r1", "x", .set(.real(nan)))
        let decoded = try ChangeBatch.decode(ChangeBatch.encode([change]))
        guard case .set(.real(let number)) = decoded.first?.operation else { return XCTFail("not a real: \(decoded)") }
        XCTAssertEqual(number.bitPattern, nan.bitPattern)
    }

    func testOperationPayloadRoundTrip() throws {
        for change in Self.allKinds {
            let operation = change.operation
            XCTAssertEqual(try Operation(code: operation.code, payload: operation.payload), operation, "\(operation.name)")
        }
        XCTAssertEqual(Operation.delete.payload, [])
        XCTAssertEqual(Operation.unknown(code: 42, payload: [9]).name, "op42")
        XCTAssertThrowsError(try Operation(code: 0, payload: []))
        XCTAssertThrowsError(try Operation(code: 5, payload: [0]), "delete with a payload")
        XCTAssertThrowsError(try Operation(code: 1, payload: [9]), "unknown value type")
        XCTAssertThrowsError(try Operation(code: 2, payload: [5, 0x61]), "string longer than payload")
        XCTAssertThrowsError(try Operation(code: 2, payload: [2, 0xC3, 0x28]), "invalid UTF-8")
        XCTAssertThrowsError(try Operation(code: 6, payload: [1] + [UInt8](repeating: 0, count: 16) + [0]), "seq 0")
    }

    func testEveryTruncationThrows() {
        let batches = [
            ChangeBatch.encode(Array(Self.allKinds.prefix(6))),
            ChangeBatch.encode(Array(Self.allKinds.suffix(8))),
            ChangeBatch.encode([]),
        ]
        for bytes in batches {
            for length in 0..<bytes.count {
                XCTAssertThrowsError(try ChangeBatch.decode(Array(bytes.prefix(length))), "prefix \(length) of \(bytes.count)") { error in
                    XCTAssertTrue(error is DecodingError, "prefix \(length): \(error)")
                }
            }
        }
    }

    func testRandomByteFlipsNeverCrash() throws {
        let seeds: [UInt64] = [1, 2, 3, 0xDEC0DE]
        let original = ChangeBatch.encode(Self.allKinds)
        let small = ChangeBatch.encode(Array(Self.allKinds.prefix(4)))
        var decodedCount = 0
        for seed in seeds {
            var rng = SplitMix64(seed: seed)
            for round in 0..<2_000 {
                var bytes = rng.chance(1, in: 2) ? original : small
                for _ in 0..<rng.int(in: 1...4) {
                    let index = rng.below(bytes.count)
                    if rng.chance(1, in: 2) {
                        bytes[index] ^= UInt8(1 << rng.below(8))
                    } else {
                        bytes[index] = UInt8(truncatingIfNeeded: rng.next())
                    }
                }
                do {
                    let changes = try ChangeBatch.decode(bytes)
                    decodedCount += 1
                    // Whatever decodes is a well-formed batch: it re-encodes stably.
                    let again = ChangeBatch.encode(changes)
                    XCTAssertEqual(ChangeBatch.encode(try ChangeBatch.decode(again)), again, "seed \(seed) round \(round)")
                } catch is DecodingError {
                } catch {
                    XCTFail("seed \(seed) round \(round): unexpected error \(error)")
                }
            }
        }
        XCTAssertGreaterThan(decodedCount, 0, "no flipped batch decoded: the test is not exercising the success path")
    }

    func testRandomGarbageAfterTheMagicNeverCrashes() {
        var rng = SplitMix64(seed: 0x6A7B)
        for round in 0..<3_000 {
            let bytes = ChangeBatch.magic + rng.bytes(rng.below(64))
            do {
                _ = try ChangeBatch.decode(bytes)
            } catch is DecodingError {
            } catch {
                XCTFail("seed 0x6A7B round \(round): unexpected error \(error)")
            }
        }
    }

    func testBadMagicIsRejected() {
        var bytes = ChangeBatch.encode(Self.allKinds)
        bytes[3] = UInt8(ascii: "2")
        XCTAssertThrowsError(try ChangeBatch.decode(bytes)) { error in
            guard case DecodingError.malformed(_, offset: 0)? = error as? DecodingError else {
                return XCTFail("\(error)")
            }
        }
        XCTAssertThrowsError(try ChangeBatch.decode(Array("{\"changes\":[]}".utf8)))
        XCTAssertThrowsError(try ChangeBatch.decode([])) { error in
            XCTAssertEqual(error as? DecodingError, .truncated(offset: 0))
        }
    }

    func testTrailingBytesAreRejected() {
        for extra in [[UInt8(0)], [1, 2, 3]] {
            XCTAssertThrowsError(try ChangeBatch.decode(ChangeBatch.encode(Self.allKinds) + extra)) { error in
                guard case DecodingError.malformed(let message, _)? = error as? DecodingError else {
                    return XCTFail("\(error)")
                }
                XCTAssertTrue(message.contains("unexpected bytes"), message)
            }
        }
        XCTAssertThrowsError(try ChangeBatch.decode(ChangeBatch.encode([]) + [0]))
    }

    /// Hand-built hostile batches: huge counts, bad indexes, bad seqs, empty names.
    func testHostileHeadersAreRejected() {
        func batch(replicas: [[UInt8]] = [Replicas.a.bytes], strings: [String] = ["members", "r1", "name"],
                   body: [UInt8]) -> [UInt8] {
            var writer = ByteWriter()
            writer.raw(ChangeBatch.magic)
            writer.uvarint(replicas.count)
            for replica in replicas { writer.raw(replica) }
            writer.uvarint(strings.count)
            for string in strings { writer.string(string) }
            writer.raw(body)
            return writer.bytes
        }
        func body(replica: UInt64 = 0, seq: UInt64 = 1, hlc: UInt64 = 1, collection: UInt64 = 0, record: UInt64 = 1,
                  field: UInt64 = 2, code: UInt8 = 2, payload: [UInt8] = [1, 0x61]) -> [UInt8] {
            var writer = ByteWriter()
            writer.uvarint(1)
            for number in [replica, seq, hlc, collection, record, field] { writer.uvarint(number) }
            writer.byte(code)
            writer.uvarint(payload.count)
            writer.raw(payload)
            return writer.bytes
        }
        // The well-formed baseline decodes.
        XCTAssertEqual(try ChangeBatch.decode(batch(body: body())).first?.operation, .add("a"))

        var hugeReplicaCount = ByteWriter()
        hugeReplicaCount.raw(ChangeBatch.magic)
        hugeReplicaCount.uvarint(UInt64(1) << 62)
        var overlongVarint = ChangeBatch.magic
        overlongVarint += [UInt8](repeating: 0xFF, count: 11)
        let cases: [(String, [UInt8])] = [
            ("huge replica count", hugeReplicaCount.bytes),
            ("overlong varint", overlongVarint),
            ("huge string count", ChangeBatch.magic + [0, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F]),
            ("huge change count", batch(body: [0xFF, 0xFF, 0xFF, 0x7F])),
            ("replica index out of range", batch(body: body(replica: 1))),
            ("string index out of range", batch(body: body(field: 3))),
            ("seq zero", batch(body: body(seq: 0))),
            ("seq over Int64", batch(body: body(seq: UInt64(Int64.max) + 1))),
            ("hlc over Int64", batch(body: body(hlc: UInt64(Int64.max) + 1))),
            ("empty collection", batch(strings: ["", "r1", "name"], body: body())),
            ("empty record", batch(strings: ["members", "", "name"], body: body())),
            ("operation code 0", batch(body: body(code: 0, payload: []))),
            ("payload longer than the batch", batch(body: Array(body(payload: [1, 0x61]).dropLast()))),
            ("add with trailing payload", batch(body: body(payload: [1, 0x61, 0]))),
            ("invalid UTF-8 string", batch(strings: ["members", "r1", "\u{FFFD}"], body: body()).replacing([0xEF, 0xBF, 0xBD], with: [0xFF, 0xFE, 0xFD])),
        ]
        for (name, bytes) in cases {
            XCTAssertThrowsError(try ChangeBatch.decode(bytes), name) { error in
                XCTAssertTrue(error is DecodingError, "\(name): \(error)")
            }
        }
    }
}

private extension Array where Element == UInt8 {
    func replacing(_ pattern: [UInt8], with replacement: [UInt8]) -> [UInt8] {
        guard let start = indices.first(where: { self[$0...].starts(with: pattern) }) else { return self }
        return Array(self[..<start]) + replacement + Array(self[(start + pattern.count)...])
    }
}
