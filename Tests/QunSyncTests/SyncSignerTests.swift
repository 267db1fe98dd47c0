import QunStore
import QunSync
import XCTest

final class SyncSignerTests: XCTestCase {
    func testTheSteeringHeadersOfAnAnswerAreSigned() {
        let signer = SyncSigner(team: .random())
        let request = String(repeating: "ab", count: 32)
        let digest = SyncSigner.digest([UInt8]("batch".utf8))
        func mac(_ headers: [String: String]) -> String {
            signer.responseMAC(status: 200, requestMAC: request, bodyDigest: digest,
                               signedHeaders: SyncSigner.signedHeaderText { headers[$0] })
        }
        let page = ["x-qun-more": "true", "x-qun-next": "00:7", "x-qun-vector": "00:9", "content-encoding": "gzip"]
        let original = mac(page)
        // Cutting a sync short, skipping pages, lying about the vector or the encoding:
        // each changes the MAC the client expects.
        for (name, forged) in [("x-qun-more", "false"), ("x-qun-next", "00:9000"), ("x-qun-vector", ""), ("content-encoding", "identity")] {
            var tampered = page
            tampered[name] = forged
            XCTAssertNotEqual(mac(tampered), original, name)
            tampered[name] = nil
            XCTAssertNotEqual(mac(tampered), original, "\(name) removed")
        }
        XCTAssertEqual(mac(page), original)
        // An answer without steering headers signs as before.
        XCTAssertEqual(mac([:]), signer.responseMAC(status: 200, requestMAC: request, bodyDigest: digest))
    }
}
