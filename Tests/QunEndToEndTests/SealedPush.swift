import Foundation
import QunCore
import QunStore
import QunSync
import XCTest

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A push made by hand, as a holder of the team secret can make one: sealed and signed like
/// `qun sync`'s, with whatever changes the test wants (a flood, a forgery).
extension SyncTestCase {
    /// POSTs one sealed push of `changes`, signed as a teammate would; the status and the time.
    func sealedPush(_ changes: [Change], to url: String, team: Store.Team) throws -> (status: Int, seconds: Double) {
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
}
