import Foundation
import XCTest

/// `member list` without --json: a table whose columns line up on a terminal when names,
/// cities and tags mix Chinese (two columns wide) and Latin text.
final class UnicodeTableTests: QunTestCase {
    /// Terminal columns of one character: 2 for East Asian wide and fullwidth characters,
    /// 0 for combining marks and zero-width joiners, else 1. Independent of the code under test.
    static func width(_ character: Character) -> Int {
        guard let scalar = character.unicodeScalars.first else { return 0 }
        let v = scalar.value
        if scalar.properties.generalCategory == .nonspacingMark || v == 0x200B || v == 0x200D { return 0 }
        let wide: [ClosedRange<UInt32>] = [
            0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
            0xA000...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60,
            0xFFE0...0xFFE6, 0x1F300...0x1F64F, 0x1F900...0x1F9FF, 0x20000...0x2FFFD, 0x30000...0x3FFFD,
        ]
        return wide.contains { $0.contains(v) } ? 2 : 1
    }

    static func width(_ text: some StringProtocol) -> Int {
        text.reduce(0) { $0 + width($1) }
    }

    /// The characters of `line` with their starting display column.
    static func columns(_ line: String) -> [(column: Int, character: Character)] {
        var result: [(Int, Character)] = []
        var column = 0
        for character in line {
            result.append((column, character))
            column += width(character)
        }
        return result
    }

    /// Display columns where a word starts (a non-space after a space or at the line start).
    static func wordStarts(_ line: String) -> [Int] {
        var starts: [Int] = []
        var previous: Character = " "
        for (column, character) in columns(line) {
            if character != " " && previous == " " { starts.append(column) }
            previous = character
        }
        return starts
    }

    /// The text between display columns `from` (inclusive) and `to` (exclusive, nil = end).
    static func slice(_ line: String, from: Int, to: Int?) -> String {
        String(columns(line).filter { $0.column >= from && (to == nil || $0.column < to!) }.map(\.character))
    }

    func testWidthHelper() {
        XCTAssertEqual(Self.width("张三"), 4)
        XCTAssertEqual(Self.width("Lin Wei"), 7)
        XCTAssertEqual(Self.width("欧阳娜娜"), 8)
        XCTAssertEqual(Self.width("Lin 林"), 6)
    }

    func testMemberListAlignsByDisplayWidth() throws {
        let store = initStore("s", operator: "林")
        let zhang = addMember("张三", ["--role", "kol", "--city", "杭州", "--tag", "读书会"], store: store)
        addMember("Lin Wei", ["--city", "Shenzhen", "--tag", "vip", "--tag", "志愿者"], store: store)
        addMember("欧阳娜娜", ["--city", "乌鲁木齐", "--kol", zhang, "--status", "quiet"], store: store)
        addMember("Ada", ["--role", "core"], store: store)

        let output = qun(["member", "list"], store: store)
        var lines = output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        XCTAssertEqual(lines.last, "", "output ends with a newline")
        lines.removeLast()
        XCTAssertEqual(lines.last, "4 members")
        lines.removeLast()
        XCTAssertEqual(lines.count, 2 + 4, "header, rule, four rows:\n\(output)")

        let header = lines[0]
        let titles = header.split(separator: " ").map(String.init)
        XCTAssertEqual(titles, ["ID", "NO.", "NAME", "ROLE", "KOL", "CITY", "STATUS", "TAGS"], header)
        let starts = Self.wordStarts(header)
        XCTAssertEqual(starts.count, titles.count)

        // The rule under the header: one run of dashes per column, starting at the same offsets.
        XCTAssertEqual(Self.wordStarts(lines[1]), starts, "rule:\n\(lines[1])\n\(header)")
        XCTAssertTrue(lines[1].allSatisfy { $0 == "-" || $0 == " " })

        // Each row: every column starts at the header's display offset, preceded by the
        // two-space gap, and holds the expected cell.
        let members = try XCTUnwrap(jsonArray(qun(["member", "list", "--json"], store: store)))
        let byShortID = Dictionary(uniqueKeysWithValues: members.compactMap { member in
            stringField(member, "id").map { (String($0.prefix(8)), member) }
        })
        var seen: Set<String> = []
        for row in lines.dropFirst(2) {
            let boundaries = Self.columns(row).map(\.column) + [Self.width(row)]
            for (index, start) in starts.enumerated() where start < Self.width(row) {
                XCTAssertTrue(boundaries.contains(start), "column \(titles[index]) starts inside a wide character:\n\(row)")
                if start > 0 {
                    XCTAssertEqual(Self.slice(row, from: start - 2, to: start), "  ", "gap before \(titles[index]):\n\(header)\n\(row)")
                }
            }
            func cell(_ title: String) -> String {
                let index = titles.firstIndex(of: title)!
                let end = index + 1 < starts.count ? starts[index + 1] - 2 : nil
                let text = Self.slice(row, from: starts[index], to: end)
                // Left-aligned: a non-empty cell begins exactly at the column's offset.
                let trimmed = text.trimmingCharacters(in: .whitespaces)
                XCTAssertFalse(!trimmed.isEmpty && text.hasPrefix(" "), "\(title) cell does not start at display column \(starts[index]):\n\(header)\n\(row)")
                return trimmed
            }
            let member = try XCTUnwrap(byShortID[cell("ID")], "row with an unknown id:\n\(row)")
            seen.insert(cell("ID"))
            XCTAssertEqual(cell("NO."), stringField(member, "number"), row)
            XCTAssertEqual(cell("NAME"), stringField(member, "name"), row)
            XCTAssertEqual(cell("ROLE"), stringField(member, "role"), row)
            XCTAssertEqual(cell("CITY"), stringField(member, "city") ?? "", row)
            XCTAssertEqual(cell("STATUS"), stringField(member, "status"), row)
            XCTAssertEqual(cell("KOL"), stringField(member, "kol") == zhang ? "张三" : "", row)
            let tags = (member["tags"] as? [Any] ?? []).compactMap { $0 as? String }
            XCTAssertEqual(Set(cell("TAGS").split(separator: " ").map(String.init)), Set(tags), row)
            XCTAssertFalse(row.hasSuffix(" "), "no trailing spaces: '\(row)'")
        }
        XCTAssertEqual(seen.count, 4)

        // Every column is as wide as its widest cell: the widest name fills NAME exactly.
        let nameIndex = try XCTUnwrap(titles.firstIndex(of: "NAME"))
        XCTAssertEqual(starts[nameIndex + 1] - 2 - starts[nameIndex], Self.width("欧阳娜娜"), "NAME is 8 columns wide:\n\(output)")
    }
}
