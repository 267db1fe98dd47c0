import Foundation
import QunCore
import QunStore
import QunSync
import XCTest

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A holder of the team secret floods a real `qun serve` with one signed, sealed page: far
/// more changes than a page may hold, or changes of an operation nobody knows. Refused before
/// anything is applied, without holding the store's write lock, and the store unchanged.
final class PushFloodEndToEndTests: SyncTestCase {
    /// POSTs one sealed push of `changes`, signed as a teammate would; the status and the time.
    private func push(_ changes: [Change], to url: String, team: Store.Team) throws -> (status: Int, seconds: Double) {
        let replica = ReplicaID.random().hex
        let time = String(Int64(Date().timeIntervalSince1970 * 1000))
        let frame = try SealedFrame.encode(head: PushHead(vector: nil), batch: ChangeBatch.encode(changes))
        let context = SealContext.request(team: team.id.hex, method: "POST", path: SyncAPI.pushPath, replica: replica, time: time)
        var compressed = frame
        var flags: SealedEnvelope.Flags = []
        if let zipped = try? gzip(frame) { compressed = zipped; flags = .gzip }
        let body = try SealedEnvelope.seal(compressed, ring: KeyRing(team: team), purpose: .wire, context: context, flags: flags)
        let mac = SyncSigner(team: team).requestMAC(method: "POST", path: SyncAPI.pushPath, replica: replica, time: time,
                                                    bodyDigest: SyncSigner.digest(body))
        var request = URLRequest(url: URL(string: url + SyncAPI.pushPath)!)
        request.httpMethod = "POST"
        for (name, value) in [(SyncAPI.teamHeader, team.id.hex), (SyncAPI.replicaHeader, replica), (SyncAPI.timeHeader, time),
                              (SyncAPI.authorizationHeader, "\(SyncAPI.authorizationScheme) \(mac)"),
                              ("Content-Type", SyncAPI.sealedMediaType)] {
            request.setValue(value, forHTTPHeaderField: name)
        }
        request.timeoutInterval = 120
        final class Answer: @unchecked Sendable { var status = -1 }
        let answer = Answer()
        let done = DispatchSemaphore(value: 0)
        let started = Date()
        URLSession.shared.uploadTask(with: request, from: Data(body)) { _, response, _ in
            answer.status = (response as? HTTPURLResponse)?.statusCode ?? -1
            done.signal()
        }.resume()
        _ = done.wait(timeout: .now() + 150)
        return (answer.status, Date().timeIntervalSince(started))
    }

    /// gzip through the system's `gzip` (this target links no compressor).
    private func gzip(_ bytes: [UInt8]) throws -> [UInt8] {
        let input = path("frame.bin"), output = path("frame.bin.gz")
        try Data(bytes).write(to: input)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["gzip", "-kf", input.path]
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw CocoaError(.fileWriteUnknown) }
        return Array(try Data(contentsOf: output))
    }

    func testAFloodingPageIsRefusedWholeAndQuickly() throws {
        let store = initStore("served", operator: "林晓")
        addMember("张三", store: store)
        let server = try serve(store)
        let team = try TeamInvite(parsing: invite(store)).team
        let before = export(store)
        let changesBefore = changeCount(status(store))
        let author = ReplicaID.random()
        let hlc = HLC(rawValue: Store.systemClock() << 16)
        func page(_ count: Int, unknown: Bool) -> [Change] {
            (1...count).map { index in
                Change(id: ChangeID(replica: author, seq: Int64(index)), hlc: hlc, collection: "member", record: "flood\(index)",
                       field: "name", operation: unknown ? .unknown(code: 200, payload: [UInt8](repeating: 7, count: 8)) : .set(.text("x")))
            }
        }
        // 200,000 changes in one page (the attack of the report had 1.65 million), and a page
        // just over the bound of unknown operations.
        let huge = try push(page(200_000, unknown: false), to: server.url, team: team)
        XCTAssertEqual(huge.status, 413, "a page of 200,000 changes")
        let unknown = try push(page(SyncAPI.maximumUnknownPerPage + 1, unknown: true), to: server.url, team: team)
        XCTAssertEqual(unknown.status, 400, "a page of unknown operations")
        XCTAssertEqual(export(store), before)
        XCTAssertEqual(changeCount(status(store)), changesBefore, "nothing was stored")
        XCTAssertFalse(server.child.hasExited, server.child.stderr)
        // The team still syncs at once.
        let teammate = joinEmpty("teammate", operator: "王", inviter: store)
        sync(teammate, with: server.url)
        XCTAssertEqual(export(teammate), export(store))
    }
}
