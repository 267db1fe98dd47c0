import Foundation
import QunStore
import XCTest

/// Reading CSV files as spreadsheet programs write them, and refusing broken ones with the
/// line (or byte offset) of the fault.
final class CSVTableTests: XCTestCase {
    private func table(_ text: String, bom: Bool = false) throws -> CSVTable {
        try CSVTable(data: Data(((bom ? "\u{FEFF}" : "") + text).utf8))
    }

    private func importError(_ data: Data, file: StaticString = #filePath, line: UInt = #line) -> ImportError? {
        do {
            _ = try CSVTable(data: data)
            XCTFail("expected an ImportError", file: file, line: line)
        } catch let error as ImportError {
            return error
        } catch {
            XCTFail("expected an ImportError, got \(error)", file: file, line: line)
        }
        return nil
    }

    func testHeaderAndRecordsWithLineNumbers() throws {
        let csv = try table("name,city\n张三,杭州\n李四,上海\n")
        XCTAssertEqual(csv.header, ["name", "city"])
        XCTAssertEqual(csv.records, [
            .init(line: 2, fields: ["张三", "杭州"]),
            .init(line: 3, fields: ["李四", "上海"]),
        ])
    }

    func testSpreadsheetFileBOMCRLFQuotedCommasAndNewlinesTrailingBlankLines() throws {
        let text = "姓名,备注,标签\r\n\"王, 五\",\"第一行\r\n第二行\",\"读书会,新人\"\r\n赵六,\"他说\"\"你好\"\"\",\r\n\r\n\r\n,,\r\n"
        let csv = try table(text, bom: true)
        XCTAssertEqual(csv.header, ["姓名", "备注", "标签"], "the byte order mark is not part of the first column's name")
        XCTAssertEqual(csv.records.count, 2, "blank lines and comma-only lines are no records")
        XCTAssertEqual(csv.records[0].fields, ["王, 五", "第一行\r\n第二行", "读书会,新人"])
        XCTAssertEqual(csv.records[0].line, 2)
        // The quoted line break makes record one span lines 2–3.
        XCTAssertEqual(csv.records[1].line, 4)
        XCTAssertEqual(csv.records[1].fields, ["赵六", "他说\"你好\"", ""])
    }

    func testLineNumbersCountEveryKindOfLineBreakInsideQuotes() throws {
        let csv = try table("name,notes\na,\"1\n2\n3\"\nb,x\r\nc,\"4\r5\"\rd,y\n")
        XCTAssertEqual(csv.records.map(\.line), [2, 5, 6, 8])
        XCTAssertEqual(csv.records.map { $0.fields[0] }, ["a", "b", "c", "d"])
    }

    func testBlankLinesInTheMiddleKeepTheNumbering() throws {
        let csv = try table("name\n\n张三\n\n\n李四")
        XCTAssertEqual(csv.records.map(\.line), [3, 6])
    }

    func testUnterminatedQuoteNamesTheLineItOpensOn() {
        let data = Data("name,notes\n张三,ok\n李四,\"never closed\n王五,x\n".utf8)
        XCTAssertEqual(importError(data), .unterminatedQuote(line: 3))
    }

    func testTextAfterAClosingQuoteIsRefused() {
        XCTAssertEqual(importError(Data("name\n\"张三\"x\n".utf8)), .textAfterClosingQuote(line: 2))
    }

    func testInvalidUTF8NamesOffsetAndLine() {
        // "name\n张三\n" then a GBK-encoded 李 (0xC0 0xEE).
        var bytes = Array("name\n张三\n".utf8)
        let offset = bytes.count
        bytes += [0xC0, 0xEE, 0x0A]
        XCTAssertEqual(importError(Data(bytes)), .notUTF8(offset: offset, line: 3))
        // The offset counts the byte order mark: it is an offset into the file.
        XCTAssertEqual(importError(Data([0xEF, 0xBB, 0xBF] + bytes)), .notUTF8(offset: offset + 3, line: 3))
    }

    func testUTF16IsRefusedWithAHint() {
        XCTAssertEqual(importError(Data([0xFF, 0xFE, 0x6E, 0x00])), .utf16)
    }

    func testEmptyAndHeaderOnlyFiles() {
        XCTAssertEqual(importError(Data()), .empty)
        XCTAssertEqual(importError(Data("\u{FEFF}\r\n\r\n".utf8)), .empty)
        XCTAssertEqual(importError(Data("name,city\r\n\r\n".utf8)), .headerOnly)
    }
}
