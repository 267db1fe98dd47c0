import Foundation
import XCTest

/// What a command leaves on disk once it has exited.
final class StoreFilesEndToEndTests: QunTestCase {
    /// Every command checkpoints SQLite's write-ahead log into the database file before it
    /// exits. A log left behind is read back by every later command and grows without end
    /// (the last connection GRDB closes is read-only and cannot checkpoint it).
    func testCommandsLeaveNoWriteAheadLogBehind() throws {
        let store = initStore("s", operator: "林")
        for index in 1...20 {
            addMember("成员\(index)", ["--tag", "读书会", "--city", "杭州"], store: store)
        }
        qun(["task", "add", "订场地", "--due", "tomorrow"], store: store)
        let wal = store.appendingPathComponent("store.sqlite-wal")
        let size = (try? FileManager.default.attributesOfItem(atPath: wal.path)[.size] as? NSNumber)?.intValue ?? 0
        XCTAssertEqual(size, 0, "the write-ahead log holds \(size) bytes after the commands exited")
        XCTAssertEqual(qun(["member", "list", "--json"], store: store).components(separatedBy: "\"name\"").count - 1, 20)
    }
}
