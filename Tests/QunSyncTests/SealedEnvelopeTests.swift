import Foundation
import QunStore
@testable import QunSync
import QunTestSupport
import XCTest

/// The sealed envelope on its own: what it opens to, and that every way of damaging, cutting,
/// reordering or moving it is refused without a byte of plaintext coming out.
final class SealedEnvelopeTests: XCTestCase {
    private let team = Store.Team.random()
    private var ring: KeyRing { KeyRing(team: team) }
    private let context = "qun/2 request t POST /v2/push r 1"

    private func seal(_ plaintext: [UInt8], context: String? = nil, flags: SealedEnvelope.Flags = []) throws -> [UInt8] {
        try SealedEnvelope.seal(plaintext, ring: ring, purpose: .wire, context: context ?? self.context, flags: flags)
    }

    private func open(_ envelope: [UInt8], context: String? = nil, purpose: SealedEnvelope.Purpose = .wire, ring: KeyRing? = nil) throws -> [UInt8] {
        try SealedEnvelope.open(envelope, ring: ring ?? self.ring, purpose: purpose, context: context ?? self.context).plaintext
    }

    private func sealError(_ what: String, _ body: () throws -> [UInt8], file: StaticString = #filePath, line: UInt = #line) -> SealError? {
        do {
            let plaintext = try body()
            XCTFail("\(what): opened to \(plaintext.count) bytes instead of being refused", file: file, line: line)
        } catch let error as SealError {
            return error
        } catch {
            XCTFail("\(what): \(error) is not a SealError", file: file, line: line)
        }
        return nil
    }

    /// Offsets of the chunks of an envelope: (start of chunk, plaintext length).
    private func chunks(_ envelope: [UInt8]) -> [(start: Int, length: Int)] {
        var result: [(Int, Int)] = []
        var offset = SealedEnvelope.headerSize
        while offset < envelope.count {
            let length = envelope[(offset + 1)..<(offset + 5)].reduce(0) { $0 << 8 | Int($1) }
            result.append((offset, length))
            offset += 5 + length + 16
        }
        return result
    }

    func testPlaintextsOfEverySizeRoundTripInChunks() throws {
        var random = SplitMix64(seed: 20261202)
        let size = SealedEnvelope.chunkSize
        for count in [0, 1, 100, size - 1, size, size + 1, 3 * size + 5] {
            let plaintext = random.bytes(count)
            let envelope = try seal(plaintext)
            XCTAssertEqual(try open(envelope), plaintext, "\(count) bytes")
            XCTAssertEqual(chunks(envelope).count, max(1, (count + size - 1) / size), "\(count) bytes: chunks of \(size)")
            XCTAssertEqual(envelope.count, SealedEnvelope.headerSize + chunks(envelope).count * 21 + count)
            XCTAssertEqual(Array(envelope.prefix(4)), Array("QSL1".utf8))
            XCTAssertEqual(Array(envelope[4..<8]), [0, 0, 0, 1], "epoch 1")
        }
        // A fresh salt every time: the same plaintext never seals to the same bytes.
        let plaintext = Array("张三 13912345678".utf8)
        XCTAssertNotEqual(try seal(plaintext), try seal(plaintext))
    }

    func testTheGzipFlagIsCarriedAndAuthenticated() throws {
        let envelope = try seal(Array("x".utf8), flags: .gzip)
        XCTAssertEqual(try SealedEnvelope.open(envelope, ring: ring, purpose: .wire, context: context).flags, .gzip)
        var cleared = envelope
        cleared[8] = 0
        XCTAssertEqual(sealError("gzip flag cleared") { try open(cleared) }, .damaged)
        var unknown = envelope
        unknown[8] = 0x82
        XCTAssertEqual(sealError("unknown flag bits") { try open(unknown) }, .damaged)
    }

    func testEverySingleByteFlipIsRefused() throws {
        let envelope = try seal(Array(String(repeating: "周末读书会", count: 20).utf8))
        let kind = SealedEnvelope.headerSize
        for position in envelope.indices {
            for mask: UInt8 in [0x01, 0x80, 0xFF] {
                var damaged = envelope
                damaged[position] ^= mask
                guard let error = sealError("byte \(position) ^ \(mask)", { try open(damaged) }) else { continue }
                switch position {
                case 0..<4: XCTAssertEqual(error, .notSealed, "byte \(position)")
                case 4..<8: XCTAssertEqual(error, .unknownEpoch(UInt32(bigEndianBytes: Array(damaged[4..<8]))), "byte \(position)")
                case (kind + 1)..<(kind + 5):
                    // A length that grows runs past the end (cut short); one that shrinks or
                    // passes the chunk size does not authenticate.
                    XCTAssertTrue(error == .truncated || error == .damaged, "byte \(position): \(error)")
                default: XCTAssertEqual(error, .damaged, "byte \(position)")
                }
            }
        }
    }

    func testEveryCutIsRefused() throws {
        let envelope = try seal(Array(repeating: 7, count: 300))
        XCTAssertEqual(sealError("nothing at all") { try open([]) }, .notSealed, "an empty body was never sealed")
        for length in 1..<envelope.count {
            XCTAssertEqual(sealError("\(length) of \(envelope.count) bytes") { try open(Array(envelope.prefix(length))) }, .truncated,
                           "cut at \(length)")
        }
        XCTAssertEqual(sealError("a byte after the end") { try open(envelope + [0]) }, .trailingBytes)
        XCTAssertEqual(sealError("an envelope twice") { try open(envelope + envelope) }, .trailingBytes)
    }

    func testChunksCannotBeDroppedReorderedOrRepeated() throws {
        let size = SealedEnvelope.chunkSize
        var random = SplitMix64(seed: 7)
        let envelope = try seal(random.bytes(3 * size + 10))
        let parts = chunks(envelope)
        XCTAssertEqual(parts.count, 4)
        let header = Array(envelope.prefix(SealedEnvelope.headerSize))
        func chunk(_ index: Int) -> [UInt8] {
            let part = parts[index]
            return Array(envelope[part.start..<(part.start + 5 + part.length + 16)])
        }
        let cases: [(String, [Int], SealError)] = [
            ("the final chunk dropped", [0, 1, 2], .truncated),
            ("a middle chunk dropped", [0, 1, 3], .damaged),
            ("two chunks swapped", [1, 0, 2, 3], .damaged),
            ("a chunk repeated", [0, 0, 1, 2, 3], .damaged),
            ("the final chunk first", [3], .damaged),
            ("a chunk after the final one", [0, 1, 2, 3, 2], .trailingBytes),
        ]
        for (name, order, expected) in cases {
            let rearranged = header + order.flatMap(chunk)
            XCTAssertEqual(sealError(name) { try open(rearranged) }, expected, name)
        }
        // A chunk from another envelope of the same context does not fit either.
        let other = try seal(random.bytes(3 * size + 10))
        let otherParts = chunks(other)
        let foreign = Array(other[otherParts[1].start..<(otherParts[1].start + 5 + otherParts[1].length + 16)])
        XCTAssertEqual(sealError("a chunk of another envelope") { try open(header + chunk(0) + foreign + chunk(2) + chunk(3)) }, .damaged)
    }

    func testAnEnvelopeOpensOnlyInItsOwnPlaceAndTeam() throws {
        let envelope = try seal(Array("王秘密".utf8))
        XCTAssertEqual(sealError("another context") { try open(envelope, context: "qun/2 request t POST /v2/push r 2") }, .damaged)
        XCTAssertEqual(sealError("an answer's context") { try open(envelope, context: "qun/2 response t /v2/push mac") }, .damaged)
        XCTAssertEqual(sealError("the bundle key") { try open(envelope, purpose: .bundle) }, .damaged)
        XCTAssertEqual(sealError("another team") { try open(envelope, ring: KeyRing(team: .random())) }, .damaged)
        let sameIDOtherSecret = KeyRing(team: Store.Team(id: team.id, secret: Store.Team.random().secret))
        XCTAssertEqual(sealError("the same team id, another secret") { try open(envelope, ring: sameIDOtherSecret) }, .damaged)
        XCTAssertEqual(sealError("clear text") { try open(Array(#"{"vector":""}"#.utf8)) }, .notSealed)
    }

    func testOpeningAsTheBytesArriveGivesTheSamePlaintext() throws {
        for seed in testSeeds([1, 2, 3, 4, 5]) {
            var random = SplitMix64(seed: seed)
            let plaintext = random.bytes(random.int(in: 0...(2 * SealedEnvelope.chunkSize + 1000)))
            let envelope = try seal(plaintext)
            var opener = SealedEnvelope.Opener(ring: ring, purpose: .wire, context: context)
            var opened: [UInt8] = []
            var offset = 0
            while offset < envelope.count {
                let step = random.chance(10) ? random.int(in: 1...40) : random.int(in: 1...300_000)
                let end = min(envelope.count, offset + step)
                opened += try opener.append(envelope[offset..<end])
                offset = end
            }
            opened += try opener.finish()
            XCTAssertEqual(opened, plaintext, "seed \(seed) (replay with QUN_SEED=\(seed))")
        }
    }

    func testAKeyRingSealsWithItsCurrentEpochOnly() throws {
        XCTAssertEqual(ring.current, 1)
        XCTAssertNil(ring.key(epoch: 2))
        XCTAssertNil(ring.sealing(with: 2))
        XCTAssertNotNil(ring.sealing(with: 1))
        // Epoch keys are derived from the secret and the team id, and differ by purpose.
        XCTAssertEqual(TeamKeys.epochKey(team, epoch: 1), KeyRing(team: team).key(epoch: 1))
        XCTAssertNotEqual(TeamKeys.epochKey(team, epoch: 1), TeamKeys.epochKey(.random(), epoch: 1))
        XCTAssertNil(TeamKeys.epochKey(team, epoch: 2), "later epochs are handed out, not derived")
    }
}

/// The server's memory of the request MACs it has accepted.
final class ReplayGuardTests: XCTestCase {
    func testAMACIsRefusedWhileItsTimeIsInTheWindowAndForgottenAfter() {
        let guarding = ReplayGuard(window: 1_000, capacity: 10)
        XCTAssertEqual(guarding.admit("a", time: 5_000, now: 5_000), .fresh)
        XCTAssertEqual(guarding.admit("a", time: 5_000, now: 5_500), .replay)
        XCTAssertEqual(guarding.admit("b", time: 5_900, now: 5_000), .fresh, "a request stamped ahead is fine")
        XCTAssertEqual(guarding.admit("a", time: 5_000, now: 5_999), .replay, "still inside the window")
        // Once `a`'s time has left the window, the time check refuses it; the guard forgets it.
        XCTAssertEqual(guarding.admit("c", time: 6_500, now: 6_500), .fresh)
        XCTAssertFalse(guarding.contains("a"), "an expired MAC is forgotten")
        XCTAssertTrue(guarding.contains("b"), "b is remembered until 6,900")
    }

    func testAFullGuardTurnsRequestsAwayRatherThanForgetOne() {
        let guarding = ReplayGuard(window: 1_000, capacity: 3)
        for mac in ["a", "b", "c"] { XCTAssertEqual(guarding.admit(mac, time: 100, now: 100), .fresh) }
        XCTAssertEqual(guarding.admit("d", time: 100, now: 200), .full)
        XCTAssertEqual(guarding.admit("a", time: 100, now: 200), .replay, "a replay is still a replay when full")
        XCTAssertEqual(guarding.count, 3)
        XCTAssertEqual(guarding.admit("d", time: 1_200, now: 1_200), .fresh, "room again once the old ones expire")
        XCTAssertEqual(guarding.count, 1)
    }
}

private extension UInt32 {
    init(bigEndianBytes bytes: [UInt8]) {
        self = bytes.reduce(0) { $0 << 8 | UInt32($1) }
    }
}
