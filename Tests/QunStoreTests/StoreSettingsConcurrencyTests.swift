import Foundation
import QunCore
import QunStore
import XCTest

/// The server shares one `Store` between the tasks serving its peers: its settings (skew
/// bound, command description, identity, notices) must stay whole when many threads read and
/// set them while others write.
final class StoreSettingsConcurrencyTests: StoreTestCase {
    func testSettingsReadAndSetFromManyThreadsWhileWriting() throws {
        let store = try makeStore()
        let identity = store.identity
        let threads = 8
        let rounds = 200
        let minute: Int64 = 60_000
        let problems = Locked<[String]>([])

        DispatchQueue.concurrentPerform(iterations: threads) { thread in
            for round in 0..<rounds {
                switch thread % 4 {
                case 0:
                    store.setMaximumSkew(milliseconds: Int64(1 + round % 5) * minute)
                case 1:
                    store.commandDescription = "member add 线程\(thread)-\(round)"
                case 2:
                    // A write takes its settings from one snapshot.
                    do {
                        try store.write { tx in try tx.set(.memberCollection, "m\(thread)-\(round)", "name", .text("成员")) }
                    } catch {
                        problems.update { $0.append("write \(thread)-\(round): \(error)") }
                    }
                default:
                    let bound = store.skewPolicy.maximumAheadMilliseconds
                    if bound != ClockSkewPolicy.default.maximumAheadMilliseconds,
                       bound % minute != 0 || !(1...5).contains(bound / minute) {
                        problems.update { $0.append("torn skew bound \(bound)") }
                    }
                    if let description = store.commandDescription, !description.hasPrefix("member add 线程") {
                        problems.update { $0.append("torn description \(description)") }
                    }
                    if store.identity != identity { problems.update { $0.append("identity changed") } }
                    if !store.notices.isEmpty || store.isReadOnly { problems.update { $0.append("notices or read-only flag changed") } }
                }
            }
        }

        XCTAssertEqual(problems.current, [])
        let writers = (0..<threads).filter { $0 % 4 == 2 }.count
        XCTAssertEqual(try store.members().count, writers * rounds)
        XCTAssertEqual(store.identity, identity)
    }
}
