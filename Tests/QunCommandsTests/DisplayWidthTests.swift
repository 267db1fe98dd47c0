import XCTest
@testable import QunCommands

final class DisplayWidthTests: XCTestCase {
    func testASCII() {
        XCTAssertEqual(displayWidth(""), 0)
        XCTAssertEqual(displayWidth("abc"), 3)
        XCTAssertEqual(displayWidth("a b"), 3)
    }

    func testChinese() {
        XCTAssertEqual(displayWidth("张三"), 4)
        XCTAssertEqual(displayWidth("杭州市"), 6)
        XCTAssertEqual(displayWidth("Lin 林"), 6)
        XCTAssertEqual(displayWidth("𠀀"), 2, "CJK Extension B")
        XCTAssertEqual(displayWidth("㐀"), 2, "CJK Extension A")
    }

    func testCJKPunctuationAndFullwidth() {
        XCTAssertEqual(displayWidth("，。"), 4, "fullwidth comma + ideographic full stop")
        XCTAssertEqual(displayWidth("「群」"), 6)
        XCTAssertEqual(displayWidth("\u{3000}"), 2, "ideographic space")
        XCTAssertEqual(displayWidth("ＡＢ"), 4)
        XCTAssertEqual(displayWidth("￥"), 2)
    }

    func testKanaAndHangul() {
        XCTAssertEqual(displayWidth("ｶﾀｶﾅ"), 4, "halfwidth katakana is one column each")
        XCTAssertEqual(displayWidth("カタカナ"), 8)
        XCTAssertEqual(displayWidth("ひらがな"), 8)
        XCTAssertEqual(displayWidth("한국"), 4)
        // A Hangul syllable spelled with conjoining jamo is still one wide cell.
        XCTAssertEqual(displayWidth("\u{1100}\u{1161}\u{11A8}"), 2)
    }

    func testEmoji() {
        XCTAssertEqual(displayWidth("😀"), 2)
        XCTAssertEqual(displayWidth("🎉"), 2)
        XCTAssertEqual(displayWidth("🤝"), 2)
        XCTAssertEqual(displayWidth("🚀"), 2)
        XCTAssertEqual(displayWidth("👍🏽"), 2, "emoji + skin tone modifier")
        XCTAssertEqual(displayWidth("👨‍👩‍👧"), 2, "ZWJ sequence")
        XCTAssertEqual(displayWidth("🇨🇳"), 2, "flag")
        XCTAssertEqual(displayWidth("❤️"), 2, "text-default emoji + VS16")
        XCTAssertEqual(displayWidth("ok👍"), 4)
    }

    func testZeroWidth() {
        XCTAssertEqual(displayWidth("e\u{0301}"), 1, "e + combining acute")
        XCTAssertEqual(displayWidth("cafe\u{0301}"), 4)
        XCTAssertEqual(displayWidth("a\u{200D}b"), 2, "zero width joiner")
        XCTAssertEqual(displayWidth("a\u{200B}b"), 2, "zero width space")
        XCTAssertEqual(displayWidth("\u{FE0F}"), 0)
        XCTAssertEqual(displayWidth("\u{0301}"), 0)
        XCTAssertEqual(displayWidth("\u{FEFF}"), 0)
    }

    func testControlCharacters() {
        XCTAssertEqual(displayWidth("\n"), 0)
        XCTAssertEqual(displayWidth("a\tb"), 2)
        XCTAssertEqual(displayWidth("\r\n"), 0)
        XCTAssertEqual(displayWidth("\u{7F}\u{1B}"), 0)
    }

    func testScalarWidth() {
        XCTAssertEqual(scalarWidth("a"), 1)
        XCTAssertEqual(scalarWidth("林"), 2)
        XCTAssertEqual(scalarWidth("\u{0301}"), 0)
        XCTAssertEqual(scalarWidth("\u{FF76}"), 1, "halfwidth ｶ")
    }

    // MARK: truncate

    func testTruncateLeavesShortTextAlone() {
        XCTAssertEqual(truncate("abc", toWidth: 3), "abc")
        XCTAssertEqual(truncate("张三", toWidth: 4), "张三")
        XCTAssertEqual(truncate("", toWidth: 5), "")
    }

    func testTruncateASCII() {
        XCTAssertEqual(truncate("abcdef", toWidth: 4), "abc…")
        XCTAssertEqual(truncate("abcdef", toWidth: 1), "…")
        XCTAssertEqual(truncate("abcdef", toWidth: 0), "")
        XCTAssertEqual(truncate("abcdef", toWidth: -3), "")
    }

    func testTruncateCJKNeverOverwide() {
        // 杭州市西湖区 is 12 columns. Width 6 leaves 5 for text: 杭州 (4) fits, 市 would make 6.
        XCTAssertEqual(truncate("杭州市西湖区", toWidth: 6), "杭州…")
        XCTAssertEqual(truncate("杭州市西湖区", toWidth: 7), "杭州市…")
        XCTAssertEqual(truncate("张三", toWidth: 3), "张…")
        XCTAssertEqual(truncate("张三", toWidth: 2), "…")
        XCTAssertEqual(truncate("Lin 林大", toWidth: 6), "Lin …")

        let samples = ["杭州市西湖区文三路", "Lin 林 and 张三", "ｶﾀｶﾅカタカナ", "😀😀😀abc", "cafe\u{0301}咖啡馆"]
        for sample in samples {
            let full = displayWidth(sample)
            for width in 0...(full + 2) {
                let cut = truncate(sample, toWidth: width)
                XCTAssertLessThanOrEqual(displayWidth(cut), max(width, 0), "\(sample) @ \(width): \(cut)")
                if width >= full {
                    XCTAssertEqual(cut, sample)
                } else if width > 0 {
                    XCTAssertTrue(cut.hasSuffix("…"), "\(sample) @ \(width): \(cut)")
                    // Nothing more could have fit: at most one column is wasted (a wide char).
                    XCTAssertGreaterThanOrEqual(displayWidth(cut), width - 1, "\(sample) @ \(width): \(cut)")
                }
            }
        }
    }

    func testTruncateKeepsCombiningMarksWithTheirBase() {
        XCTAssertEqual(truncate("e\u{0301}e\u{0301}e\u{0301}", toWidth: 2), "e\u{0301}…")
    }

    // MARK: pad

    func testPad() {
        XCTAssertEqual(pad("ab", toWidth: 4), "ab  ")
        XCTAssertEqual(pad("ab", toWidth: 4, alignRight: true), "  ab")
        XCTAssertEqual(pad("张三", toWidth: 6), "张三  ")
        XCTAssertEqual(pad("张三", toWidth: 6, alignRight: true), "  张三")
        XCTAssertEqual(displayWidth(pad("Lin 林", toWidth: 10)), 10)
        XCTAssertEqual(pad("杭州市", toWidth: 4), "杭州市", "already wider: unchanged")
        XCTAssertEqual(pad("", toWidth: 0), "")
    }
}
