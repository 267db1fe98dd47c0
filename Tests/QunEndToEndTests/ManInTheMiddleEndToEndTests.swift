import Foundation
import XCTest

/// A man in the middle who changes one byte of a sealed page on its way, between real
/// `qun sync` and `qun serve` processes: the page is refused whole and nothing of it is
/// applied, on either side, and the next honest sync works.
final class ManInTheMiddleEndToEndTests: SyncTestCase {
    /// Flips one ciphertext byte of the `target`-th sealed body (counted from 1) that passes
    /// in `direction`, on any connection, when `request` is nil or the body belongs to a
    /// request whose line starts with it.
    private final class Flipper: @unchecked Sendable {
        let target: Int
        let request: String?
        private let lock = NSLock()
        private var seen = 0
        private(set) var flipped = false

        init(target: Int, request: String? = nil) {
            self.target = target
            self.request = request
        }

        func tamper(_ before: [UInt8], _ chunk: inout [UInt8]) {
            lock.lock()
            defer { lock.unlock() }
            let all = before + chunk
            let marker = Array("\r\n\r\nQSL1".utf8)
            var bodies: [Int] = []
            var index = 0
            while index + marker.count <= all.count {
                if all[index..<(index + marker.count)].elementsEqual(marker) {
                    let headEnd = index
                    if let request, !lastRequestLine(in: all[..<headEnd]).hasPrefix(request) {
                        index += 1
                        continue
                    }
                    bodies.append(index + 4)
                }
                index += 1
            }
            // Each body is counted once: in the chunk its first ciphertext byte arrives in.
            for body in bodies where body + 32 >= before.count && body + 32 < all.count {
                seen += 1
                if seen == target, !flipped {
                    // Past the 25-byte header and the first chunk's 5-byte prefix: ciphertext.
                    chunk[body + 32 - before.count] ^= 0x20
                    flipped = true
                }
            }
        }

        /// The request line of the last request in `bytes` (a request may follow the previous
        /// body directly, with no line break between).
        private func lastRequestLine(in bytes: ArraySlice<UInt8>) -> String {
            let text = String(decoding: bytes, as: UTF8.self)
            guard let start = text.range(of: "POST /", options: .backwards)?.lowerBound else { return "" }
            return String(text[start...].prefix { $0 != "\r" })
        }
    }

    func testAFlippedByteInAnySealedAnswerIsRefusedAndChangesNothing() throws {
        let a = initStore("a", operator: "林晓")
        for index in 0..<8 { addMember("成员\(index)", ["--city", "杭州", "--tag", "读书会"], store: a) }
        let server = try serve(a)
        // The roster answer, the info answer, then the pull page: each altered in turn. (Later
        // answers come after the page was applied in its own transaction, which an altered
        // later answer does not undo; so do the roster's changes, which are not records.)
        for target in 1...3 {
            let b = joinEmpty("b\(target)", operator: "阿杰", inviter: a)
            let before = export(b)
            let changesBefore = changeCount(status(b))
            let proxy = try RecordingProxy(inFrontOf: server.url)
            defer { proxy.stop() }
            let flipper = Flipper(target: target)
            proxy.tamper = { direction, seen, chunk in
                if direction == .serverToClient { flipper.tamper(seen, &chunk) }
            }
            let result = runQun(["sync", proxy.url], store: b)
            XCTAssertTrue(flipper.flipped, "answer \(target) was altered on the way")
            XCTAssertNotEqual(result.status, 0, "answer \(target) altered: the sync must fail\n\(result.stdout)")
            XCTAssertTrue(result.stderr.contains("not of this team (or the answer was altered)"), "answer \(target): \(result.stderr)")
            XCTAssertEqual(export(b), before, "answer \(target) altered: nothing of it was applied")
            if target == 1 { XCTAssertEqual(changeCount(status(b)), changesBefore, "answer \(target): no change was stored") }
            // Without the man in the middle, the same sync works.
            sync(b, with: server.url)
            XCTAssertEqual(exportedMembers(export(b)).count, 8)
        }
    }

    func testAFlippedByteInAPushIsRefusedAndChangesNothingOnTheServer() throws {
        let a = initStore("a", operator: "林晓")
        addMember("张三", store: a)
        let server = try serve(a)
        let b = joinEmpty("b", operator: "阿杰", inviter: a)
        sync(b, with: server.url)
        addMember("李四", ["--notes", "只在周末回复"], store: b)
        let before = export(a)
        let changesBefore = changeCount(status(a))

        let proxy = try RecordingProxy(inFrontOf: server.url)
        defer { proxy.stop() }
        let flipper = Flipper(target: 1, request: "POST /v2/push")
        proxy.tamper = { direction, seen, chunk in
            if direction == .clientToServer { flipper.tamper(seen, &chunk) }
        }
        let result = runQun(["sync", proxy.url], store: b)
        XCTAssertTrue(flipper.flipped, "the push was altered on the way")
        XCTAssertNotEqual(result.status, 0, result.stdout)
        XCTAssertTrue(result.stderr.contains("refused this laptop"), result.stderr)
        XCTAssertEqual(export(a), before, "nothing of the altered push was applied")
        XCTAssertEqual(changeCount(status(a)), changesBefore)

        sync(b, with: server.url)
        XCTAssertEqual(export(a), export(b))
    }
}
