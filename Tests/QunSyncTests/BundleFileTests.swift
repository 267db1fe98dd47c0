import Foundation
import QunCore
import QunStore
import QunSync
import XCTest

final class BundleFileTests: SyncTestCase {
    /// A store with one member, and the bundle of all its changes.
    private func smallBundle() throws -> (store: Store, bytes: [UInt8]) {
        let store = try makeStore("林晓")
        try store.add("张三") { $0.city = "杭州"; $0.tags = ["早鸟"] }
        let url = try bundleURL()
        try store.exportBundle(to: url)
        return (store, try bytes(of: url))
    }

    /// A header for `store`'s current state. `Header` has no public memberwise init, so it is
    /// built through its `Codable` form.
    private func makeHeader(for store: Store, count: Int) throws -> BundleFile.Header {
        let fields: [String: Any] = [
            "team": store.team.id.hex, "from": store.replica.hex, "operatorName": store.identity.operatorName,
            "created": 1_709_251_200_000, "vector": try store.versionVector().description, "since": "",
            "count": count, "schema": 1,
        ]
        return try JSONDecoder().decode(BundleFile.Header.self, from: try JSONSerialization.data(withJSONObject: fields))
    }

    // MARK: round trip

    func testEncodeDecodeRoundTrip() throws {
        let store = try makeStore("林晓")
        try store.add("张三") { $0.city = "杭州"; $0.tags = ["早鸟", "付费"] }
        try store.add("李四") { $0.role = .kol; $0.notes = "多行\n备注: 含冒号" }
        let changes = try store.changes()
        let header = try makeHeader(for: store, count: changes.count)
        let bytes = try BundleFile.encode(header: header, changes: changes, team: store.team)
        XCTAssertEqual(Array(bytes.prefix(4)), Array("QUNB".utf8))
        XCTAssertEqual(bytes[4], BundleFile.formatVersion)

        let decoded = try BundleFile.decode(bytes, team: store.team)
        XCTAssertEqual(decoded.header, header)
        XCTAssertEqual(decoded.changes, changes)
        // Every bundle is sealed under a fresh salt: two of the same content share nothing but
        // the clear prefix, and both open to the same.
        let again = try BundleFile.encode(header: decoded.header, changes: decoded.changes, team: store.team)
        XCTAssertNotEqual(again, bytes)
        XCTAssertEqual(Array(again.prefix(4 + 1 + 16)), Array(bytes.prefix(4 + 1 + 16)))
        XCTAssertEqual(try BundleFile.decode(again, team: store.team).changes, changes)
    }

    func testNothingOfTheTeamsDataIsReadableInABundle() throws {
        let store = try makeStore("林晓")
        try store.add("张三") { $0.city = "杭州"; $0.phone = "13912345678"; $0.wechat = "wx_zhang_88"; $0.notes = "只在周末回复" }
        let url = try bundleURL()
        try store.exportBundle(to: url)
        let bytes = try bytes(of: url)
        for needle in ["张三", "杭州", "13912345678", "wx_zhang_88", "只在周末回复", "林晓", "member", "name",
                       store.replica.hex, try store.versionVector().description] {
            XCTAssertNil(find(Array(needle.utf8), in: bytes), "'\(needle)' is readable in the bundle")
        }
        XCTAssertNil(find(store.replica.bytes, in: bytes), "the sender's replica id is sealed too")
        XCTAssertNil(find(store.team.secret, in: bytes), "the team secret")
        XCTAssertEqual(Array(bytes[5..<21]), store.team.id.bytes, "only the team id is in clear")
    }

    func testBundlesOfTheEarlierClearFormatStillImport() throws {
        let store = try makeStore("林晓")
        try store.add("张三") { $0.tags = ["早鸟"] }
        let changes = try store.changes()
        let clear = try BundleFile.encodeClear(header: try makeHeader(for: store, count: changes.count), changes: changes, team: store.team)
        XCTAssertEqual(clear[4], BundleFile.clearFormatVersion)
        XCTAssertEqual(try BundleFile.decode(clear, team: store.team).changes, changes)
        let other = try makeStore("阿杰", team: store.team)
        let url = try bundleURL()
        try Data(clear).write(to: url)
        let report = try other.importBundle(from: url)
        XCTAssertEqual(report.apply.applied, changes.count)
        XCTAssertEqual(try other.exportSection(.memberCollection), try store.exportSection(.memberCollection))
        // Still checked whole: a cut or a flipped byte is refused, another team's told apart.
        XCTAssertEqual(bundleError { try BundleFile.decode(Array(clear.dropLast(3)), team: store.team) }, .truncated)
        var damaged = clear
        damaged[clear.count / 2] ^= 0x40
        guard case .corrupted? = bundleError("flipped", { try BundleFile.decode(damaged, team: store.team) }) else {
            return XCTFail("a flipped byte in a clear bundle must be refused as damaged")
        }
        guard case .foreignTeam? = bundleError("foreign", { try BundleFile.decode(clear, team: .random()) }) else {
            return XCTFail("another team's clear bundle")
        }
    }

    private func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard !needle.isEmpty, haystack.count >= needle.count else { return nil }
        return (0...(haystack.count - needle.count)).first { haystack[$0..<($0 + needle.count)].elementsEqual(needle) }
    }

    func testEmptyBundleRoundTrips() throws {
        let store = try makeStore("林晓")
        let header = try makeHeader(for: store, count: 0)
        let bytes = try BundleFile.encode(header: header, changes: [], team: store.team)
        let decoded = try BundleFile.decode(bytes, team: store.team)
        XCTAssertEqual(decoded.header, header)
        XCTAssertEqual(decoded.changes, [])
    }

    func testHeaderOfAnExportedBundle() throws {
        let store = try makeStore("林晓")
        try store.add("张三")
        try store.add("李四")
        let url = try bundleURL()
        let report = try store.exportBundle(to: url)
        let (header, changes) = try BundleFile.decode(try bytes(of: url), team: store.team)

        XCTAssertEqual(header.team, store.team.id.hex)
        XCTAssertEqual(header.from, store.replica.hex)
        XCTAssertEqual(header.operatorName, "林晓")
        XCTAssertEqual(header.vector, try store.versionVector().description)
        XCTAssertEqual(VersionVector(parsing: header.vector), try store.versionVector())
        XCTAssertEqual(header.since, "")
        XCTAssertEqual(header.count, try store.changes().count)
        XCTAssertEqual(header.count, changes.count)
        XCTAssertEqual(header.schema, try store.status().schemaVersion)
        XCTAssertLessThanOrEqual(abs(header.created - Store.systemClock()), 60_000)
        XCTAssertEqual(changes, try store.changes())

        XCTAssertEqual(report.changes, changes.count)
        XCTAssertEqual(report.bytes, try bytes(of: url).count)
        XCTAssertEqual(report.path, url.path)
        XCTAssertEqual(report.since, VersionVector())
    }

    // MARK: damaged bundles

    func testEveryTruncationIsRefused() throws {
        let (store, bytes) = try smallBundle()
        XCTAssertNoThrow(try BundleFile.decode(bytes, team: store.team))
        for length in 0..<bytes.count {
            let cut = Array(bytes.prefix(length))
            guard let error = bundleError("length \(length) of \(bytes.count)", { try BundleFile.decode(cut, team: store.team) })
            else { continue }
            if length < 4 {
                XCTAssertEqual(error, .notABundle, "length \(length)")
            } else {
                XCTAssertEqual(error, .truncated, "length \(length) of \(bytes.count): \(error)")
            }
        }
    }

    func testEverySingleByteFlipIsRefused() throws {
        let (store, bytes) = try smallBundle()
        for position in bytes.indices {
            for mask: UInt8 in [0x01, 0x80, 0xFF] {
                var damaged = bytes
                damaged[position] ^= mask
                guard let error = bundleError("byte \(position) ^ \(mask)", { try BundleFile.decode(damaged, team: store.team) })
                else { continue }
                switch error {
                case .notABundle:
                    XCTAssertLessThan(position, 4, "only the magic says not-a-bundle")
                case .newerFormat:
                    XCTAssertEqual(position, 4, "only the version byte says newer format")
                case .foreignTeam:
                    XCTAssertTrue((5..<21).contains(position), "only the clear team id says another team (byte \(position))")
                case .unknownEpoch:
                    XCTAssertTrue((25..<29).contains(position), "only the envelope's epoch names an epoch (byte \(position))")
                case .truncated, .corrupted:
                    break
                default:
                    XCTFail("byte \(position) ^ \(mask): unexpected \(error)")
                }
            }
        }
    }

    func testForeignTeamIsRefused() throws {
        let (store, bytes) = try smallBundle()
        let other = Store.Team.random()
        XCTAssertThrowsBundleError(.foreignTeam(bundleTeam: store.team.id.hex)) {
            try BundleFile.decode(bytes, team: other)
        }
    }

    func testSameTeamIDWithAnotherSecretIsCorrupted() throws {
        let (store, bytes) = try smallBundle()
        var impostor = store.team
        impostor.secret[0] ^= 1
        let error = bundleError { try BundleFile.decode(bytes, team: impostor) }
        XCTAssertEqual(error?.isCorrupted, true, "\(String(describing: error))")

        // And the other way round: signed with the impostor's secret, read by the team.
        let (header, changes) = try BundleFile.decode(bytes, team: store.team)
        let forged = try BundleFile.encode(header: header, changes: changes, team: impostor)
        let reverse = bundleError { try BundleFile.decode(forged, team: store.team) }
        XCTAssertEqual(reverse?.isCorrupted, true, "\(String(describing: reverse))")
    }

    func testNotABundle() throws {
        let team = Store.Team.random()
        for bytes: [UInt8] in [
            [], [0x51], Array("QUN".utf8), Array("QUNX".utf8), Array("qunb".utf8), Array("hello, world".utf8),
            Array("{\"team\":\"x\"}".utf8), [UInt8](repeating: 0, count: 100), Array("QCB1".utf8) + [1, 2, 3],
        ] {
            XCTAssertThrowsBundleError(.notABundle, "\(bytes)") { try BundleFile.decode(bytes, team: team) }
        }
    }

    func testNewerFormatVersion() throws {
        let (store, bytes) = try smallBundle()
        var newer = bytes
        newer[4] = 9
        XCTAssertThrowsBundleError(.newerFormat(9)) { try BundleFile.decode(newer, team: store.team) }
        XCTAssertThrowsBundleError(.newerFormat(9)) { try BundleFile.decode(Array(newer.prefix(5)), team: store.team) }
        XCTAssertThrowsBundleError(.newerFormat(9), "the version is checked before the team") {
            try BundleFile.decode(newer, team: .random())
        }
    }

    func testTrailingGarbageIsCorrupted() throws {
        let (store, bytes) = try smallBundle()
        for garbage: [UInt8] in [[0], [0x0A], Array("trailing".utf8), [UInt8](repeating: 0xFF, count: 64)] {
            let error = bundleError("\(garbage.count) bytes") { try BundleFile.decode(bytes + garbage, team: store.team) }
            XCTAssertEqual(error?.isCorrupted, true, "\(String(describing: error))")
        }
        let twice = bundleError { try BundleFile.decode(bytes + bytes, team: store.team) }
        XCTAssertEqual(twice?.isCorrupted, true, "two bundles concatenated: \(String(describing: twice))")
    }

    func testAHeaderThatMiscountsItsChangesIsCorrupted() throws {
        let store = try makeStore("林晓")
        try store.add("张三")
        let changes = try store.changes()
        let bytes = try BundleFile.encode(header: try makeHeader(for: store, count: changes.count + 1),
                                          changes: changes, team: store.team)
        let error = bundleError { try BundleFile.decode(bytes, team: store.team) }
        XCTAssertEqual(error?.isCorrupted, true, "\(String(describing: error))")
    }

    func testErrorsSayNothingWasImported() {
        let errors: [BundleError] = [
            .notABundle, .newerFormat(9), .truncated, .corrupted("x"), .foreignTeam(bundleTeam: "0123456789abcdef"),
        ]
        for error in errors {
            XCTAssertTrue(error.description.contains("nothing was imported"), error.description)
        }
        XCTAssertTrue(BundleError.foreignTeam(bundleTeam: "0123456789abcdef").description.contains("01234567"))
        XCTAssertTrue(BundleError.unknownPeer("阿杰").description.contains("阿杰"))
    }
}
