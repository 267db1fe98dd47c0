@testable import QunCommands
import XCTest

final class StyleTests: XCTestCase {
    func testColourOnlyOnATerminalWithoutNoColor() {
        XCTAssertTrue(Style.isEnabled(environment: ["TERM": "xterm"], isTerminal: true))
        XCTAssertFalse(Style.isEnabled(environment: ["TERM": "xterm"], isTerminal: false))
        XCTAssertFalse(Style.isEnabled(environment: ["NO_COLOR": "1", "TERM": "xterm"], isTerminal: true))
        XCTAssertFalse(Style.isEnabled(environment: ["TERM": "dumb"], isTerminal: true))
        // An empty NO_COLOR does not count (no-color.org).
        XCTAssertTrue(Style.isEnabled(environment: ["NO_COLOR": ""], isTerminal: true))
    }

    func testNoEscapeCodesWhenNotATerminal() {
        // Tests run with stdout and stderr piped.
        XCTAssertEqual(Style.bold("NAME"), "NAME")
        XCTAssertEqual(Style.errorMessage("Error: x"), "Error: x")
    }
}

final class CommandWordsTests: XCTestCase {
    func testDescriptionDropsGlobalOptions() {
        XCTAssertEqual(CommandWords.description(of: ["--store", "/tmp/s", "member", "add", "张 三", "--json", "--quiet"]),
                       "member add '张 三'")
    }

    func testSuggestsTheClosestVerb() {
        XCTAssertEqual(CommandWords.suggestion(for: "Error: 2 unexpected arguments: 'membr', 'list'", arguments: ["membr", "list"]),
                       "did you mean `qun member`?")
        XCTAssertEqual(CommandWords.suggestion(for: "Error: Unexpected argument 'lst'", arguments: ["--store", "x", "member", "lst"]),
                       "did you mean `qun member list`?")
        XCTAssertNil(CommandWords.suggestion(for: "Error: Unexpected argument 'zzzzzz'", arguments: ["zzzzzz"]))
    }

    func testVerbosityFlagsReachConsoleAndResetPerLine() {
        XCTAssertEqual(QunMain.runSynchronously(["--quiet", "topic", "dates"]), 0)
        XCTAssertTrue(Console.quiet)
        XCTAssertEqual(QunMain.runSynchronously(["topic", "dates", "--verbose"]), 0)
        XCTAssertFalse(Console.quiet)
        XCTAssertTrue(Console.verbose)
        _ = QunMain.runSynchronously(["topic", "dates"])
        XCTAssertFalse(Console.verbose)
    }
}
