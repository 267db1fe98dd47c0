import Foundation
import XCTest

/// Bundle import and export show what they are doing on a terminal, and nothing when piped.
final class BundleProgressTests: QunTestCase {
    func testBundleImportShowsItsPhasesOnATerminalOnly() throws {
        let lin = initStore("lin", operator: "林")
        let wang = joinStore("wang", operator: "王", inviter: lin)
        _ = addMember("张三", ["--tag", "读书会"], store: lin)
        let bundle = path("lin.qunbundle")
        qun(["bundle", "export", bundle.path], store: lin)

        // Piped: the summary only, no status line.
        let piped = runQun(["bundle", "import", bundle.path], store: wang)
        XCTAssertEqual(piped.status, 0, piped.stderr)
        XCTAssertFalse(piped.stderr.contains("applying"), piped.stderr)

        // On a pseudo-terminal (script(1) gives the command one): the phase line appears.
        let binary = try QunProcess.binary.get()
        let command = [binary.path, "--store", wang.path, "bundle", "import", bundle.path]
            .map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }.joined(separator: " ")
        let script = Process()
        script.executableURL = URL(fileURLWithPath: "/usr/bin/script")
        script.arguments = ["-qec", command, "/dev/null"]
        script.environment = QunProcess.environment(home: home, extra: [:])
        let output = Pipe()
        script.standardOutput = output
        script.standardInput = FileHandle.nullDevice
        try script.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        script.waitUntilExit()
        XCTAssertEqual(script.terminationStatus, 0, text)
        XCTAssertTrue(text.contains("applying"), "phase line on a terminal: \(text)")
        XCTAssertTrue(text.contains("already here"), text)
    }
}
