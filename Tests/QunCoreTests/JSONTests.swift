import XCTest
import QunCore

final class JSONTests: XCTestCase {
    func testObjectKeysAreSortedByUTF8Bytes() {
        // UTF-8 byte order differs from UTF-16 order (U+FF61 vs. a surrogate pair) and from
        // case-insensitive or locale order.
        let keys = ["b", "a", "B", "é", "张", "aa", "", "~", "\u{FF61}", "😀", "Z9", "a\u{0}"]
        let object = JSON.object(keys.map { ($0, .int(1)) })
        let expectedOrder = ["", "B", "Z9", "a", "a\u{0}", "aa", "b", "~", "é", "张", "\u{FF61}", "😀"]
        let expected = "{" + expectedOrder.map { key in
            var rendered = JSON.string(key).compact
            rendered += ":1"
            return rendered
        }.joined(separator: ",") + "}"
        XCTAssertEqual(object.compact, expected)
        XCTAssertTrue(object.compact.hasPrefix(#"{"":1,"B":1,"Z9":1,"a":1,"a\u0000":1,"aa":1,"#))
        XCTAssertTrue(object.compact.hasSuffix(#""张":1,"｡":1,"😀":1}"#))
    }

    func testNestedObjectsAreSortedAndMemberOrderDoesNotMatter() {
        let one = JSON.object([("z", .object([("b", .int(2)), ("a", .int(1))])), ("a", .array([.null, .bool(true)]))])
        let two = JSON.object([("a", .array([.null, .bool(true)])), ("z", .object([("a", .int(1)), ("b", .int(2))]))])
        XCTAssertEqual(one.compact, #"{"a":[null,true],"z":{"a":1,"b":2}}"#)
        XCTAssertEqual(one, two)
        XCTAssertEqual(one.hashValue, two.hashValue)
        // Arrays keep their order.
        XCTAssertNotEqual(JSON.array([.int(1), .int(2)]), JSON.array([.int(2), .int(1)]))
    }

    func testStringEscaping() {
        XCTAssertEqual(JSON.string("say \"hi\"").compact, #""say \"hi\"""#)
        XCTAssertEqual(JSON.string(#"C:\dir"#).compact, #""C:\\dir""#)
        XCTAssertEqual(JSON.string("a\nb\rc\td").compact, #""a\nb\rc\td""#)
        XCTAssertEqual(JSON.string("\u{0}\u{1}\u{8}\u{B}\u{C}\u{1F}").compact,
                       #""\u0000\u0001\u0008\u000b\u000c\u001f""#)
        XCTAssertEqual(JSON.string("\u{2028}\u{2029}").compact, #""\u2028\u2029""#)
        // Not escaped: DEL, slash, space, other printable text.
        XCTAssertEqual(JSON.string("\u{7F}/ ok").compact, "\"\u{7F}/ ok\"")
        XCTAssertEqual(JSON.string("").compact, #""""#)
        // Keys are escaped the same way.
        XCTAssertEqual(JSON.object([("a\"b\n", .null)]).compact, #"{"a\"b\n":null}"#)
    }

    func testChineseAndEmojiAreKeptAsUTF8() {
        let text = "张三 · 杭州 · 读书会 🌙"
        let rendered = JSON.string(text).compact
        XCTAssertEqual(rendered, "\"" + text + "\"")
        XCTAssertEqual(Array(rendered.utf8), [0x22] + Array(text.utf8) + [0x22])
        // A decomposed é stays decomposed: no normalisation.
        XCTAssertEqual(Array(JSON.string("e\u{301}").compact.utf8), [0x22, 0x65, 0xCC, 0x81, 0x22])
        XCTAssertEqual(Array(JSON.string("\u{212A}").compact.utf8), [0x22, 0xE2, 0x84, 0xAA, 0x22])
        // Keys that are canonically equivalent stay two keys, in byte order.
        let object = JSON.object([("caf\u{E9}", .int(1)), ("cafe\u{301}", .int(2))])
        XCTAssertEqual(Array(object.compact.utf8), Array("{\"cafe\u{301}\":2,\"caf\u{E9}\":1}".utf8))
    }

    func testNumbers() {
        XCTAssertEqual(JSON.int(Int64.max).compact, "9223372036854775807")
        XCTAssertEqual(JSON.int(Int64.min).compact, "-9223372036854775808")
        XCTAssertEqual(JSON.int(0).compact, "0")
        XCTAssertEqual(JSON.real(2.5).compact, "2.5")
        XCTAssertEqual(JSON.real(-0.125).compact, "-0.125")
        XCTAssertEqual(JSON.real(.nan).compact, "null")
        XCTAssertEqual(JSON.real(.infinity).compact, "null")
        XCTAssertEqual(JSON.real(-.infinity).compact, "null")
        XCTAssertEqual(JSON.bool(false).compact, "false")
        XCTAssertEqual(JSON.null.compact, "null")
    }

    func testValueToJSON() {
        XCTAssertEqual(Value.null.json.compact, "null")
        XCTAssertEqual(Value.int(-7).json.compact, "-7")
        XCTAssertEqual(Value.real(0.5).json.compact, "0.5")
        XCTAssertEqual(Value.text("杭州").json.compact, "\"杭州\"")
    }

    func testPrettyLayout() {
        let value = JSON.object([
            ("name", .string("张三")),
            ("tags", .array([.string("vip"), .string("新人")])),
            ("log", .array([.object([("text", .string("hi")), ("at", .int(1))])])),
            ("empty", .object([])),
            ("none", .array([])),
        ])
        XCTAssertEqual(value.pretty, """
            {
              "empty": {},
              "log": [
                {
                  "at": 1,
                  "text": "hi"
                }
              ],
              "name": "张三",
              "none": [],
              "tags": ["vip","新人"]
            }
            """)
    }

    func testPrettyAndCompactHaveTheSameContent() {
        let value = JSON.object([
            ("members", .array([
                .object([("id", .string("r1")), ("name", .string("张 三")), ("tags", .array([.string("a b")]))]),
                .object([("id", .string("r2")), ("note", .string("line\nbreak \"quoted\"")), ("n", .real(1.5))]),
            ])),
            ("polls", .array([])),
            ("count", .int(2)),
        ])
        XCTAssertEqual(Self.removingInsignificantWhitespace(value.pretty), value.compact)
        XCTAssertNotEqual(value.pretty, value.compact)
    }

    /// Drops whitespace outside string literals.
    static func removingInsignificantWhitespace(_ text: String) -> String {
        var out = ""
        var inString = false
        var escaped = false
        for character in text {
            if inString {
                out.append(character)
                if escaped { escaped = false } else if character == "\\" { escaped = true } else if character == "\"" { inString = false }
            } else if character == "\"" {
                inString = true
                out.append(character)
            } else if !character.isWhitespace {
                out.append(character)
            }
        }
        return out
    }
}
