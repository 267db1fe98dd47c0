import QunCommands
import XCTest

final class ReplTokenizerTests: XCTestCase {
    func testSplitting() throws {
        XCTAssertEqual(try ReplTokenizer.split(#"member add 张三 --city 杭州"#), ["member", "add", "张三", "--city", "杭州"])
        XCTAssertEqual(try ReplTokenizer.split(#"  a   "b c"  'd e'  "#), ["a", "b c", "d e"])
        XCTAssertEqual(try ReplTokenizer.split(#"'a\b' "c\"d\\e\n""#), [#"a\b"#, #"c"d\e\n"#])
        XCTAssertEqual(try ReplTokenizer.split(#"王\ 五 x\'y"#), ["王 五", "x'y"])
        XCTAssertEqual(try ReplTokenizer.split(#"a "" ''"#), ["a", "", ""])
        XCTAssertEqual(try ReplTokenizer.split(#"pre"mid dle"post"#), ["premid dlepost"])
        XCTAssertThrowsError(try ReplTokenizer.split(#"a "b"#))
        XCTAssertThrowsError(try ReplTokenizer.split("a 'b"))
    }

    func testContinuationAndComments() {
        XCTAssertTrue(ReplTokenizer.continues(#"member add 张三 \"#))
        XCTAssertFalse(ReplTokenizer.continues(#"member add 张三 \\"#))
        XCTAssertFalse(ReplTokenizer.continues("member add 张三"))
        XCTAssertTrue(ReplTokenizer.isBlankOrComment("   "))
        XCTAssertTrue(ReplTokenizer.isBlankOrComment("  # note"))
        XCTAssertFalse(ReplTokenizer.isBlankOrComment("member add '#1'"))
    }

    func testEscapeRoundTrips() throws {
        for word in ["李 四", #"a"b'c\d"#, "#1", "plain"] {
            XCTAssertEqual(try ReplTokenizer.split(ReplTokenizer.escape(word)), [word])
        }
    }
}
