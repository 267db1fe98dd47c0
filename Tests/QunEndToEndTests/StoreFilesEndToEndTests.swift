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

    private func mode(_ url: URL) -> Int? {
        (try? FileManager.default.attributesOfItem(atPath: url.path)[.posixPermissions] as? NSNumber)?.intValue
    }

    /// The store holds the team secret and every phone number: with the usual umask 022 its
    /// files would be readable by every account on the laptop. Owner-only, whatever the
    /// umask, and a store of an earlier release is tightened when next opened.
    func testTheStoreAndBundlesAreOwnerOnlyWhateverTheUmask() throws {
        let previous = umask(0o022)
        defer { umask(previous) }
        let store = initStore("s", operator: "林")
        addMember("张三", ["--phone", "13912345678"], store: store)
        XCTAssertEqual(mode(store), 0o700, "the store directory")
        let files = ["store.sqlite", "store.sqlite-wal", "store.sqlite-shm"].map { store.appendingPathComponent($0) }
            .filter { FileManager.default.fileExists(atPath: $0.path) }
        XCTAssertTrue(files.contains { $0.lastPathComponent == "store.sqlite" })
        for file in files { XCTAssertEqual(mode(file), 0o600, file.lastPathComponent) }

        let bundle = path("out/lin.qunb")
        try FileManager.default.createDirectory(at: bundle.deletingLastPathComponent(), withIntermediateDirectories: true)
        qun(["bundle", "export", bundle.path], store: store)
        XCTAssertEqual(mode(bundle), 0o600, "the bundle")
        let csv = path("out/members.csv")
        qun(["export", "members", "--format", "csv", "--output", csv.path], store: store)
        XCTAssertEqual(mode(csv), 0o600, "a CSV export of the members")

        // A store left readable by an earlier release is tightened by the next command.
        _ = chmod(store.path, 0o755)
        for file in files { _ = chmod(file.path, 0o644) }
        qun(["member", "list"], store: store)
        XCTAssertEqual(mode(store), 0o700)
        XCTAssertEqual(mode(store.appendingPathComponent("store.sqlite")), 0o600)
    }

    /// An invite on the command line shows in `ps` and stays in the shell history: `--join -`
    /// reads it from standard input, `--join @FILE` from a file.
    func testAnInviteCanComeFromStandardInputOrAFile() throws {
        let lin = initStore("lin", operator: "林")
        addMember("张三", store: lin)
        let code = qun(["team", "invite", "--shared-secret"], store: lin).trimmingCharacters(in: .whitespacesAndNewlines)
        let wang = path("wang")
        qun(["init", "--name", "王", "--join", "-", "--no-snapshot"], store: wang, stdin: code + "\n")
        let file = path("invite.txt")
        try Data((code + "\n").utf8).write(to: file)
        let li = path("li")
        qun(["init", "--name", "李", "--join", "@" + file.path, "--no-snapshot"], store: li)
        let team = stringField(status(lin), "team")
        XCTAssertNotNil(team)
        XCTAssertEqual(stringField(status(wang), "team"), team)
        XCTAssertEqual(stringField(status(li), "team"), team)
        qunFails(["init", "--name", "赵", "--join", "-"], store: path("zhao"), stdin: "", stderrContains: ["standard input"])
        qunFails(["init", "--name", "赵", "--join", "@" + path("missing.txt").path], store: path("zhao"), stderrContains: ["cannot read"])
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("zhao").path), "nothing was created")
    }
}
