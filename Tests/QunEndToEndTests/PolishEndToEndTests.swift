import Foundation
import XCTest

/// Colour, help topics, --quiet/--verbose, "did you mean" and completion scripts.
final class PolishEndToEndTests: QunTestCase {
    func testPipedOutputHasNoEscapeCodes() throws {
        let store = initStore("s", operator: "林")
        addMember("张三", store: store)
        for env in [[:], ["NO_COLOR": "1", "TERM": "xterm-256color"]] {
            let list = runQun(["member", "list"], store: store, env: env)
            XCTAssertFalse(list.stdout.contains("\u{1B}"), list.stdout)
            let failure = runQun(["member", "show", "没有"], store: store, env: env)
            XCTAssertTrue(failure.stderr.hasPrefix("Error:"), failure.stderr)
            XCTAssertFalse(failure.stderr.contains("\u{1B}"), failure.stderr)
        }
    }

    func testHelpTopics() {
        let filters = qun(["help", "filters"])
        XCTAssertTrue(filters.contains("role:R"), filters)
        XCTAssertTrue(filters.contains("+tag"), filters)
        XCTAssertEqual(qun(["topic", "filters"]), filters)
        let dates = qun(["help", "dates"])
        XCTAssertTrue(dates.contains("YYYY-MM-DD"), dates)
        XCTAssertTrue(dates.contains("Task due dates"), dates)
        XCTAssertTrue(dates.contains("eow"), dates)
        // Built-in help for commands still works.
        XCTAssertTrue(qun(["help", "member"]).contains("member"))
        qunFails(["topic", "nope"])
    }

    func testDidYouMeanForVerbs() {
        let store = initStore("s", operator: "林")
        qunFails(["membr", "list"], store: store, stderrContains: ["did you mean `qun member`"])
        qunFails(["member", "lst"], store: store, stderrContains: ["did you mean `qun member list`"])
        qunFails(["member", "list", "--rol", "kol"], store: store, stderrContains: ["role:"])
        qunFails(["member", "add", "张三", "--rol", "kol"], store: store, stderrContains: ["--role"])
    }

    func testQuietDropsNotesAndVerboseAddsDetails() throws {
        let store = initStore("s", operator: "林")
        addMember("张三", store: store)
        // A copied store announces its new replica id in a note on stderr.
        let copy = path("copy")
        try FileManager.default.copyItem(at: store, to: copy)
        let quiet = runQun(["--quiet", "status"], store: copy)
        XCTAssertEqual(quiet.status, 0, quiet.stderr)
        XCTAssertEqual(quiet.stderr, "")
        let copy2 = path("copy2")
        try FileManager.default.copyItem(at: store, to: copy2)
        XCTAssertTrue(runQun(["status"], store: copy2).stderr.contains("copied"))

        let verbose = runQun(["undo", "--verbose"], store: store)
        XCTAssertEqual(verbose.status, 0, verbose.stderr)
        XCTAssertTrue(verbose.stderr.contains("reversed"), verbose.stderr)
        qunFails(["--quiet", "--verbose", "status"], store: store)
    }

    func testCompletionScripts() {
        for shell in ["bash", "zsh", "fish"] {
            let script = qun(["--generate-completion-script", shell])
            XCTAssertTrue(script.contains("member"), "\(shell) completion names the commands")
        }
    }
}
