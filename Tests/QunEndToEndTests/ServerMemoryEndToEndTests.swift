import Foundation
import QunTestSupport
import XCTest

#if canImport(Glibc)
import Glibc
#endif

/// Strangers who send big bodies to a real `qun serve` cannot make it hold their bytes: a
/// request without the team's headers is refused before its body is read, and the bodies
/// read at once (they must be read before their MAC can be checked) share one budget.
final class ServerMemoryEndToEndTests: SyncTestCase {
    /// The resident memory of process `pid`, in MiB.
    private static func residentMiB(_ pid: Int32) -> Int {
        let status = (try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)) ?? ""
        let line = status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") } ?? ""
        return (Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0) / 1024
    }

    /// Sends one request of `announced` body bytes with these headers on a fresh connection,
    /// the body in 1 MiB pieces until the server answers or stops reading; returns the status
    /// (0 when the connection broke without an answer).
    private static func flood(port: UInt16, headers: [String: String], announced: Int) -> Int {
        guard let fd = try? Socket.makeConnection(host: "127.0.0.1", port: port) else { return 0 }
        defer { Socket.closeSocket(fd) }
        var head = "POST /v2/push HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: \(announced)\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        head += "\r\n"
        guard Socket.sendAll(fd, Array(head.utf8)[...]) else { return 0 }
        let piece = [UInt8](repeating: 0x51, count: 1 << 20)
        var sent = 0
        var answer: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            if Socket.waitReadable(fd, milliseconds: 0) {
                let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
                if count <= 0 { break }
                answer += buffer[0..<count]
                if answer.count >= 12 { break }
            }
            guard sent < announced else {
                // All sent: wait for the answer.
                guard Socket.waitReadable(fd, milliseconds: 30_000) else { break }
                continue
            }
            let size = min(piece.count, announced - sent)
            guard Socket.sendAll(fd, piece[..<size]) else { break }
            sent += size
        }
        let line = String(decoding: answer.prefix(12), as: UTF8.self)
        return Int(line.dropFirst(9).prefix(3)) ?? 0
    }

    func testBodiesFromStrangersCannotFillTheServersMemory() throws {
        let store = initStore("served", operator: "林晓")
        addMember("张三", store: store)
        let server = try serve(store)
        let port = try XCTUnwrap(Socket.port(of: server.url))
        let team = try XCTUnwrap(stringField(status(store), "team"))
        let pid = server.child.pid
        let baseline = Self.residentMiB(pid)

        let watch = Watch(peak: baseline)
        let sampling = DispatchGroup()
        DispatchQueue.global().async(group: sampling) {
            while watch.flooding {
                watch.saw(Self.residentMiB(pid))
                usleep(20_000)
            }
        }
        let almost16MiB = 16 * 1024 * 1024 - 1
        // 40 strangers who know the team id (it is in clear) and make up a MAC, and 40 who
        // send nothing of the team's headers; each announces and sends 16 MiB - 1.
        let plausible = [
            "X-Qun-Team": team, "X-Qun-Replica": String(repeating: "ab", count: 16),
            "X-Qun-Time": String(Int64(Date().timeIntervalSince1970 * 1000)),
            "Authorization": "Qun-HMAC-SHA256 " + String(repeating: "0f", count: 32),
        ]
        // A thread each, all at once (a dispatch queue would run two at a time on two cores).
        let senders = DispatchGroup()
        for index in 0..<80 {
            senders.enter()
            Thread {
                let kind = index % 2 == 0 ? "made-up MAC" : "no team headers"
                let status = Self.flood(port: port, headers: index % 2 == 0 ? plausible : [:], announced: almost16MiB)
                watch.answered(kind, status)
                senders.leave()
            }.start()
        }
        senders.wait()
        watch.stop()
        sampling.wait()
        let peak = watch.peak

        let made = watch.statuses["made-up MAC"] ?? [], bare = watch.statuses["no team headers"] ?? []
        XCTAssertEqual(bare.count, 40)
        XCTAssertTrue(bare.allSatisfy { $0 == 401 || $0 == 0 }, "without the team's headers: 401 before the body \(bare)")
        XCTAssertTrue(made.allSatisfy { $0 == 401 || $0 == 503 || $0 == 0 }, "a made-up MAC gets nothing: \(made)")
        XCTAssertTrue(made.contains(503), "bodies beyond the budget are turned away at once: \(made)")
        XCTAssertFalse(server.child.hasExited, server.child.stderr)
        // 80 × 16 MiB would be 1.25 GiB; four bodies in flight at most, each buffered once.
        XCTAssertLessThan(peak - baseline, 200, "peak \(peak) MiB from \(baseline) MiB while 80 strangers sent 16 MiB each")

        // The memory goes back afterwards.
        var after = Self.residentMiB(pid)
        eventually(timeout: 10, every: 0.1) {
            after = Self.residentMiB(pid)
            return after - baseline <= 64
        }
        XCTAssertLessThan(after - baseline, 64, "after the flood: \(after) MiB, from \(baseline) MiB (peak \(peak))")

        // And the team is still served.
        let teammate = joinEmpty("teammate", operator: "王", inviter: store)
        sync(teammate, with: server.url)
        XCTAssertEqual(export(teammate), export(store))
    }
}

/// What the flood saw, shared by the sending threads and the memory sampler.
private final class Watch: @unchecked Sendable {
    private let lock = NSLock()
    private var running = true
    private var highest: Int
    private var answers: [String: [Int]] = [:]

    init(peak: Int) { highest = peak }

    var flooding: Bool { lock.withLock { running } }
    var peak: Int { lock.withLock { highest } }
    var statuses: [String: [Int]] { lock.withLock { answers } }

    func saw(_ resident: Int) { lock.withLock { highest = max(highest, resident) } }
    func answered(_ kind: String, _ status: Int) { lock.withLock { answers[kind, default: []].append(status) } }
    func stop() { lock.withLock { running = false } }
}
