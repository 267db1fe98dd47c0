import Foundation
import QunCore
import QunStore
import QunSync
import XCTest

final class TeamInviteTests: XCTestCase {
    private let team = Store.Team(
        id: ReplicaID(hex: "0123456789abcdef0123456789abcdef")!,
        secret: (0..<32).map { UInt8($0 * 7 + 3) })

    private var teamHex: String { team.id.hex }
    private var secretHex: String { team.secret.map { String(format: "%02x", $0) }.joined() }

    // MARK: round trips

    func testRoundTripWithoutURL() throws {
        let invite = TeamInvite(team: team)
        XCTAssertEqual(invite.text, "qun1:\(teamHex):\(secretHex)")
        let parsed = try TeamInvite(parsing: invite.text)
        XCTAssertEqual(parsed, invite)
        XCTAssertEqual(parsed.team, team)
        XCTAssertNil(parsed.url)
        XCTAssertEqual(parsed.text, invite.text)
    }

    func testRoundTripWithURLContainingColons() throws {
        for url in ["http://127.0.0.1:7420", "http://[::1]:7420/sync", "https://laptop.local:443/a:b?c=d:e"] {
            let invite = TeamInvite(team: team, url: url)
            XCTAssertEqual(invite.text, "qun1:\(teamHex):\(secretHex):\(url)")
            let parsed = try TeamInvite(parsing: invite.text)
            XCTAssertEqual(parsed.team, team, url)
            XCTAssertEqual(parsed.url, url)
            XCTAssertEqual(parsed, invite)
            XCTAssertEqual(parsed.text, invite.text)
        }
    }

    func testRoundTripOfRandomTeams() throws {
        for _ in 0..<50 {
            let team = Store.Team.random()
            let invite = TeamInvite(team: team, url: Bool.random() ? "http://10.0.0.\(Int.random(in: 1...254)):7420" : nil)
            XCTAssertEqual(try TeamInvite(parsing: invite.text), invite)
        }
    }

    func testSurroundingWhitespaceIsIgnored() throws {
        let text = TeamInvite(team: team, url: "http://127.0.0.1:7420").text
        let parsed = try TeamInvite(parsing: "  \(text)\n")
        XCTAssertEqual(parsed.team, team)
        XCTAssertEqual(parsed.url, "http://127.0.0.1:7420")
    }

    func testUppercaseHexIsAccepted() throws {
        let parsed = try TeamInvite(parsing: "qun1:\(teamHex.uppercased()):\(secretHex.uppercased())")
        XCTAssertEqual(parsed.team, team)
    }

    func testEmptyURLIsNoURL() throws {
        let parsed = try TeamInvite(parsing: "qun1:\(teamHex):\(secretHex):")
        XCTAssertEqual(parsed.team, team)
        XCTAssertNil(parsed.url)
    }

    func testInviteJoinsAStoreToTheTeam() throws {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("qun-invite-\(UUID().uuidString)", isDirectory: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let first = try Store.create(at: directory.appendingPathComponent("a"), operatorName: "林晓")
        let text = TeamInvite(team: first.identity.team!, url: "http://127.0.0.1:7420").text
        let second = try Store.create(at: directory.appendingPathComponent("b"), operatorName: "阿杰",
                                      team: try TeamInvite(parsing: text).team)
        XCTAssertEqual(second.identity.team, first.identity.team)
        XCTAssertNotEqual(second.identity.replica, first.identity.replica)
    }

    // MARK: malformed

    func testMalformedInvitesAreRejected() {
        let fullwidthZero = String(repeating: "\u{FF10}", count: 64)  // "０": Character.isHexDigit says yes
        let cases: [(String, String)] = [
            ("", "empty"),
            ("   \n", "blank"),
            ("qun1", "prefix only"),
            ("qun1:", "prefix and colon"),
            ("qun1:\(teamHex)", "missing secret"),
            ("qun1:\(teamHex):", "empty secret"),
            ("qun1::\(secretHex)", "empty team"),
            ("qun1:\(secretHex)", "missing team"),
            ("\(teamHex):\(secretHex)", "missing prefix"),
            ("qun2:\(teamHex):\(secretHex)", "wrong version"),
            ("qun:\(teamHex):\(secretHex)", "wrong prefix"),
            ("xqun1:\(teamHex):\(secretHex)", "prefix with extra text"),
            (" qun1 :\(teamHex):\(secretHex)", "spaces inside the prefix"),
            ("qun1:\(teamHex):\(secretHex.dropLast(2))", "short secret (31 bytes)"),
            ("qun1:\(teamHex):\(secretHex.dropLast())", "odd-length secret"),
            ("qun1:\(teamHex):\(secretHex)00", "long secret (33 bytes)"),
            ("qun1:\(teamHex):\(secretHex.dropLast())g", "non-hex secret"),
            ("qun1:\(teamHex):\(secretHex.dropLast(2))0x", "secret with 0x"),
            ("qun1:\(teamHex):\(String(repeating: " ", count: 64))", "blank secret"),
            ("qun1:\(teamHex):-\(secretHex.dropLast())", "signed secret"),
            ("qun1:\(teamHex):\(fullwidthZero)", "full-width digits in the secret"),
            ("qun1:\(teamHex.dropLast()):\(secretHex)", "short team"),
            ("qun1:\(teamHex)0:\(secretHex)", "long team"),
            ("qun1:\(teamHex.dropLast())z:\(secretHex)", "non-hex team"),
            ("qun1:\(String(repeating: "\u{FF10}", count: 32)):\(secretHex)", "full-width digits in the team"),
            ("qun1 \(teamHex) \(secretHex)", "spaces for colons"),
            ("qun1:\(secretHex):\(teamHex)", "parts swapped"),
        ]
        for (text, why) in cases {
            XCTAssertThrowsError(try TeamInvite(parsing: text), why) { error in
                guard let error = error as? TeamInvite.InviteError else {
                    return XCTFail("\(why): expected InviteError, got \(error)")
                }
                XCTAssertEqual(error.description.contains("qun team invite"), true, why)
            }
        }
    }
}
