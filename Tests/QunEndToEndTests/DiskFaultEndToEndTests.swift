import Foundation
import XCTest

/// A disk that refuses to write, met by a real `qun` process: a sentence that says what
/// happened and what to do, a non-zero exit, and the store exactly as before.
///
/// The disk is made to refuse by a file size limit (`ulimit -f`, with SIGXFSZ ignored so
/// that the write fails instead of killing the process), which needs no privileges: past the
/// limit every write fails the way it does on a full disk or over a quota.
final class DiskFaultEndToEndTests: SyncTestCase {
    func testAWriteTheDiskRefusesIsExplainedAndChangesNothing() throws {
        let store = initStore("s", operator: "林")
        addMember("张三", store: store)
        let before = export(store)
        let csv = path("big.csv")
        var rows = "name,city,notes\n"
        for index in 0..<3000 { rows += "成员\(index),杭州,\(String(repeating: "每周六下午读书会", count: 10))\n" }
        try Data(rows.utf8).write(to: csv)

        let qun = try QunProcess.binary.get().path
        let shell = Process()
        shell.executableURL = URL(fileURLWithPath: "/bin/bash")
        // 600 blocks of 1 KiB: the store (about 130 KiB) fits, 3,000 members do not.
        shell.arguments = ["-c", "trap '' XFSZ; ulimit -f 600; exec \"$0\" --store \"$1\" import members \"$2\"", qun, store.path, csv.path]
        shell.environment = QunProcess.environment(home: home, extra: [:])
        let errors = home.appendingPathComponent("disk-fault.err")
        FileManager.default.createFile(atPath: errors.path, contents: nil)
        shell.standardError = try FileHandle(forWritingTo: errors)
        shell.standardOutput = FileHandle.nullDevice
        try shell.run()
        shell.waitUntilExit()
        let message = String(decoding: try Data(contentsOf: errors), as: UTF8.self)

        XCTAssertNotEqual(shell.terminationStatus, 0, "the import cannot have succeeded: \(message)")
        XCTAssertEqual(shell.terminationReason, .exit, "qun exits with a message, it is not killed: \(message)")
        XCTAssertTrue(message.contains("the disk") && message.contains("free some space"), message)
        XCTAssertFalse(message.contains("SQLite error") || message.contains("INSERT"), "no raw SQLite error: \(message)")
        XCTAssertEqual(export(store), before, "nothing of the import was written")
        XCTAssertEqual(integrityCheck(store), "ok")
    }
}
