import XCTest
@testable import QunCommands

final class TextTableTests: XCTestCase {
    /// Non-space runs of a line, as (start, end) offsets measured in display columns.
    private func tokens(_ line: Substring) -> [(start: Int, end: Int)] {
        var result: [(start: Int, end: Int)] = []
        var column = 0
        var start: Int?
        for character in line {
            if character == " " {
                if let s = start { result.append((s, column)); start = nil }
            } else if start == nil {
                start = column
            }
            column += displayWidth(of: character)
        }
        if let s = start { result.append((s, column)) }
        return result
    }

    private func lines(_ rendered: String) -> [Substring] {
        XCTAssertTrue(rendered.hasSuffix("\n"))
        return rendered.dropLast().split(separator: "\n", omittingEmptySubsequences: false)
    }

    private func sampleTable() -> TextTable {
        var table = TextTable(columns: [
            .init(title: "名字"),
            .init(title: "城市"),
            .init(title: "群", maxWidth: 10),
            .init(title: "人数", alignRight: true),
        ])
        table.addRow(["张三", "杭州市", "杭州运营一群", "12"])
        table.addRow(["Lin", "上海", "SH-ops", "3"])
        table.addRow(["欧阳娜娜", "ｶﾀｶﾅ市", "😀emoji群", "1024"])
        table.addRow(["Zoë", "ＡＢ", "e\u{0301}tude", "7"])
        return table
    }

    func testExactRendering() {
        var table = TextTable(columns: [.init(title: "名字"), .init(title: "人数", alignRight: true)])
        table.addRow(["张三", "12"])
        table.addRow(["Lin", "3"])
        XCTAssertEqual(table.render(), """
            名字  人数
            ----  ----
            张三    12
            Lin      3

            """)
    }

    func testChineseColumnsAlign() {
        let table = sampleTable()
        let rendered = table.render()
        let all = lines(rendered)
        XCTAssertEqual(all.count, 2 + table.rows.count)

        let separator = tokens(all[1])
        XCTAssertEqual(separator.count, table.columns.count)
        XCTAssertTrue(all[1].allSatisfy { $0 == "-" || $0 == " " })
        // Two spaces between columns.
        for k in 1..<separator.count {
            XCTAssertEqual(separator[k].start - separator[k - 1].end, 2)
        }
        for (number, line) in all.enumerated() where number != 1 {
            let cells = tokens(line)
            XCTAssertEqual(cells.count, table.columns.count, "line \(number): \(line)")
            for (k, cell) in cells.enumerated() {
                if table.columns[k].alignRight {
                    XCTAssertEqual(cell.end, separator[k].end, "line \(number) column \(k): \(line)")
                } else {
                    XCTAssertEqual(cell.start, separator[k].start, "line \(number) column \(k): \(line)")
                }
                XCTAssertLessThanOrEqual(cell.end, separator[k].end, "line \(number) column \(k): \(line)")
            }
        }
        // The column with maxWidth 10 was cut with an ellipsis and never exceeds 10 columns.
        XCTAssertEqual(separator[2].end - separator[2].start, 10)
        XCTAssertTrue(rendered.contains("杭州运营…"))
    }

    func testHeaderOnlyWhenEmpty() {
        let table = TextTable(columns: [.init(title: "名字"), .init(title: "城市")])
        XCTAssertEqual(table.render(), "名字  城市\n----  ----\n")
        XCTAssertEqual(TextTable(columns: []).render(), "")
    }

    func testTrailingSpacesTrimmed() {
        var table = TextTable(columns: [.init(title: "a"), .init(title: "b")])
        table.addRow(["long value", ""])
        table.addRow(["x", "y"])
        let rendered = table.render()
        for line in lines(rendered) {
            XCTAssertFalse(line.hasSuffix(" "), "'\(line)'")
        }
        XCTAssertEqual(rendered, """
            a           b
            ----------  -
            long value
            x           y

            """)
    }

    func testCellsAreFlattened() {
        var table = TextTable(columns: [.init(title: "备注"), .init(title: "n", alignRight: true)])
        table.addRow(["第一行\n第二行\tend", "1"])
        table.addRow(["a\r\nb", "22"])
        let all = lines(table.render())
        XCTAssertEqual(all.count, 4)
        XCTAssertEqual(all[2], "第一行 第二行 end   1")
        XCTAssertEqual(all[3], "a b                22")
    }

    func testMissingAndExtraCells() {
        var table = TextTable(columns: [.init(title: "a"), .init(title: "b")])
        table.addRow(["1"])
        table.addRow(["2", "3", "ignored"])
        XCTAssertEqual(table.render(), "a  b\n-  -\n1\n2  3\n")
    }

    func testColumnMaxWidthTruncatesWithCJK() {
        var table = TextTable(columns: [.init(title: "地址", maxWidth: 7), .init(title: "x")])
        table.addRow(["浙江省杭州市西湖区", "1"])
        table.addRow(["short", "2"])
        let all = lines(table.render())
        XCTAssertEqual(all[2], "浙江省…  1", "3 ideographs + … = 7 columns, then two spaces")
        for line in all {
            XCTAssertEqual(tokens(line).last!.start, 9, "'\(line)'")
        }
    }

    func testFitsTerminalWidth() {
        var table = TextTable(columns: [
            .init(title: "ID", alignRight: true),
            .init(title: "名字"),
            .init(title: "备注"),
            .init(title: "数量"),
        ])
        table.addRow(["1", "张三丰", "这是一条非常非常长的备注，用来测试表格在终端宽度不足时的收缩行为", "100"])
        table.addRow(["22", "Lin 林", "short", "2"])
        table.addRow(["333", "欧阳", "中等长度的备注内容", "12345"])
        let natural = table.render()
        let naturalWidth = lines(natural).map { displayWidth(String($0)) }.max()!
        XCTAssertGreaterThan(naturalWidth, 60)
        XCTAssertEqual(table.render(maxWidth: 500), natural, "a roomy terminal changes nothing")

        let fitted = table.render(maxWidth: 40)
        let all = lines(fitted)
        for line in all {
            XCTAssertLessThanOrEqual(displayWidth(String(line)), 40, "'\(line)'")
        }
        let separator = tokens(all[1]).map { $0.end - $0.start }
        // Only the long remark column shrank: ID (right-aligned), 名字 (narrow) and 数量 (numeric)
        // keep their natural widths.
        XCTAssertEqual(separator[0], 3)
        XCTAssertEqual(separator[1], 6)
        XCTAssertEqual(separator[3], 5)
        XCTAssertEqual(separator.reduce(0, +) + 2 * 3, 40)
        XCTAssertTrue(fitted.contains("…"))
    }

    func testShrinkLevelsTheWidestColumnsAndStopsAtSix() {
        var table = TextTable(columns: [.init(title: "a"), .init(title: "b"), .init(title: "c")])
        table.addRow([String(repeating: "长", count: 10), String(repeating: "x", count: 16), "abcd"])
        // Natural: 20 + 2 + 16 + 2 + 4 = 44.
        let fitted = table.render(maxWidth: 30)
        let widths = tokens(lines(fitted)[1]).map { $0.end - $0.start }
        // 14 columns must go: 20 → 16 first, then both wide columns level down together.
        XCTAssertEqual(widths, [11, 11, 4])
        for line in lines(fitted) {
            XCTAssertLessThanOrEqual(displayWidth(String(line)), 30)
        }

        // An impossible width: shrinkable columns stop at 6, narrower ones are untouched.
        let tight = table.render(maxWidth: 5)
        let tightWidths = tokens(lines(tight)[1]).map { $0.end - $0.start }
        XCTAssertEqual(tightWidths, [6, 6, 4])
        let row = lines(tight)[2]
        // "长长…" is 5 columns in a 6-wide column: a wide character is never split.
        XCTAssertEqual(row, "长长…   xxxxx…  abcd")
    }

    func testNumericDetection() {
        XCTAssertTrue(TextTable.isNumericColumn(["1", "-2.5", "1,024", "45%", ""]))
        XCTAssertFalse(TextTable.isNumericColumn(["1", "二"]))
        XCTAssertFalse(TextTable.isNumericColumn(["", ""]))
        XCTAssertFalse(TextTable.isNumericColumn(["1-2"]))
    }
}
