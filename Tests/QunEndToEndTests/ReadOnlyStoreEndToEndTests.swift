import Foundation
import XCTest

/// A store qun may read but not write (a read-only disk, a teammate's files): every reading
/// command works as before, a writing one says what is wrong, and nothing changes.
///
/// Played by making the store read-only for the `qun` process: with chmod when the tests run
/// as an ordinary user, and by running `qun` as `nobody` (setpriv) over a root-owned store
/// when they run as root, since root may write anything.
final class ReadOnlyStoreEndToEndTests: SyncTestCase {
    private struct Output {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs qun on `store` as a process that may not write it.
    private func runReadOnly(_ arguments: [String], store: URL) throws -> Output {
        let process = Process()
        let qun = try QunProcess.binary.get().path
        if getuid() == 0 {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
            process.arguments = ["--reuid=65534", "--regid=65534", "--clear-groups", qun, "--store", store.path] + arguments
        } else {
            process.executableURL = URL(fileURLWithPath: qun)
            process.arguments = ["--store", store.path] + arguments
        }
        process.environment = QunProcess.environment(home: home, extra: [:])
        let out = home.appendingPathComponent("read-only.out"), err = home.appendingPathComponent("read-only.err")
        for file in [out, err] { FileManager.default.createFile(atPath: file.path, contents: nil) }
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return Output(status: process.terminationStatus,
                      stdout: String(decoding: try Data(contentsOf: out), as: UTF8.self),
                      stderr: String(decoding: try Data(contentsOf: err), as: UTF8.self))
    }

    func testReadingCommandsWorkOnAStoreThatCannotBeWritten() throws {
        let store = initStore("s", operator: "林晓")
        addMember("张三", ["--city", "杭州", "--tag", "读书会"], store: store)
        qun(["task", "add", "订场地", "--due", "tomorrow"], store: store)
        let list = qun(["member", "list", "--json"], store: store)
        let exported = export(store)
        let files = try FileManager.default.contentsOfDirectory(at: store, includingPropertiesForKeys: nil)
        if getuid() == 0 {
            // Readable by `nobody`, writable by root only; the directories above must let it in.
            var directory = store
            while directory.path != "/" {
                _ = chmod(directory.path, 0o755)
                if directory == home { break }
                directory.deleteLastPathComponent()
            }
            for file in files { _ = chmod(file.path, 0o644) }
        } else {
            _ = chmod(store.path, 0o555)
            for file in files { _ = chmod(file.path, 0o444) }
        }
        defer {
            _ = chmod(store.path, 0o700)
            for file in files { _ = chmod(file.path, 0o600) }
        }

        let listed = try runReadOnly(["member", "list", "--json"], store: store)
        XCTAssertEqual(listed.status, 0, listed.stderr)
        XCTAssertEqual(listed.stdout, list)
        let dumped = try runReadOnly(["export", "--format", "json"], store: store)
        XCTAssertEqual(dumped.status, 0, dumped.stderr)
        XCTAssertEqual(dumped.stdout, exported)
        for reading in [["status"], ["task", "list"], ["report", "pyramid"]] {
            let result = try runReadOnly(reading, store: store)
            XCTAssertEqual(result.status, 0, "\(reading): \(result.stderr)")
        }
        for writing in [["member", "add", "李四"], ["task", "add", "写海报"]] {
            let result = try runReadOnly(writing, store: store)
            XCTAssertEqual(result.status, 1, "\(writing): \(result.stdout)")
            XCTAssertTrue(result.stderr.contains("cannot be written") && result.stderr.contains("only read still work"), result.stderr)
            XCTAssertFalse(result.stderr.contains("SQLite error"), result.stderr)
        }
        XCTAssertEqual(export(store), exported, "nothing changed")
    }
}
