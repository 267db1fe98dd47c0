import Foundation
import QunCore
import QunStore
import QunStoreTestSupport
import XCTest

/// `Store.importMembers` on real stores: column mapping, every bad-row reason with its
/// line, references inside the file and into the store, all-or-nothing, undo, and the CSV
/// export read back.
final class ImportMembersTests: StoreTestCase {
    private func csv(_ text: String) throws -> CSVTable {
        try CSVTable(data: Data(text.utf8))
    }

    private func run(_ store: Store, _ text: String, map: [String] = [], skipBad: Bool = false, dryRun: Bool = false) throws -> MemberImportReport {
        var options = MemberImportOptions()
        options.mapping = try MemberColumns.mapping(map)
        options.skipBad = skipBad
        options.dryRun = dryRun
        return try store.importMembers(try csv(text), options: options)
    }

    private func importError(_ body: () throws -> Any, file: StaticString = #filePath, line: UInt = #line) -> ImportError? {
        do {
            _ = try body()
            XCTFail("expected an ImportError", file: file, line: line)
        } catch let error as ImportError {
            return error
        } catch {
            XCTFail("expected an ImportError, got \(error)", file: file, line: line)
        }
        return nil
    }

    // MARK: Mapping and values

    func testChineseHeadersAndValuesMapToFields() throws {
        let store = try makeStore()
        let report = try run(store, """
            姓名,角色,城市,标签,微信号,手机号,邮箱,入群时间,门槛,门槛备注,状态,备注
            张三,意见领袖,杭州,"读书会，新人;vip、线下|摄影",zs_wx,138 0000 1111,zs@example.com,2026/3/5,付费,paid 138,潜水,"爱读书
            周末有空"
            """)
        XCTAssertFalse(report.rejected)
        XCTAssertEqual(report.imported, 1)
        let member = try store.member("张三")
        XCTAssertEqual(member.role, .kol)
        XCTAssertEqual(member.city, "杭州")
        XCTAssertEqual(Set(member.tags), ["读书会", "新人", "vip", "线下", "摄影"])
        XCTAssertEqual(member.wechat, "zs_wx")
        XCTAssertEqual(member.phone, "138 0000 1111")
        XCTAssertEqual(member.email, "zs@example.com")
        XCTAssertEqual(member.joined, "2026-03-05")
        XCTAssertEqual(member.gate, .paid)
        XCTAssertEqual(member.gateNote, "paid 138")
        XCTAssertEqual(member.status, .quiet)
        XCTAssertEqual(member.notes, "爱读书\n周末有空")
        XCTAssertNotNil(member.number)
    }

    func testEnglishHeadersIgnoreCaseSpacesAndUnderscores() throws {
        let store = try makeStore()
        let report = try run(store, "Name,ROLE,Gate Note,gate-note2,JOINED\nAnna,core,x,,2026年1月2日\n", map: ["gate-note2=-"])
        XCTAssertEqual(report.imported, 1)
        let anna = try store.member("Anna")
        XCTAssertEqual(anna.role, .core)
        XCTAssertEqual(anna.gateNote, "x")
        XCTAssertEqual(anna.joined, "2026-01-02")
    }

    func testDefaultsForEmptyCells() throws {
        let store = try makeStore(now: { TestClock.start })
        _ = try run(store, "name,role,status,joined\n张三,,,\n")
        let member = try store.member("张三")
        XCTAssertEqual(member.role, .member)
        XCTAssertEqual(member.status, .active)
        XCTAssertEqual(member.joined, MemberValidation.today(TestClock.start))
    }

    func testMapOverridesAndIgnores() throws {
        let store = try makeStore()
        let report = try run(store, "群昵称,序号,姓名\n小张,1,张三全名\n", map: ["群昵称=name", "序号=-", "姓名=notes"])
        XCTAssertEqual(report.imported, 1)
        XCTAssertEqual(try store.member("小张").notes, "张三全名")
        XCTAssertEqual(report.columns.map(\.column), [.field(.name), .ignored, .field(.notes)])
    }

    func testUnknownColumnsAreListedAndNothingIsWritten() throws {
        let store = try makeStore()
        let before = try store.fingerprint()
        XCTAssertEqual(importError { try self.run(store, "姓名,群昵称,积分\n张三,小张,10\n") }, .unknownColumns(["群昵称", "积分"]))
        XCTAssertEqual(try store.fingerprint(), before)
    }

    func testFileLevelMistakes() throws {
        let store = try makeStore()
        XCTAssertEqual(importError { try self.run(store, "城市\n杭州\n") }, .noNameColumn(columns: ["城市"]))
        XCTAssertEqual(importError { try self.run(store, "姓名,手机,电话\n张三,1,2\n") }, .duplicateField(field: "phone", columns: ["手机", "电话"]))
        XCTAssertEqual(importError { try self.run(store, "姓名\n张三\n", map: ["群昵称=name"]) }, .mappedColumnMissing(column: "群昵称", columns: ["姓名"]))
        XCTAssertNotNil(importError { try MemberColumns.mapping(["群昵称"]) })
        XCTAssertNotNil(importError { try MemberColumns.mapping(["群昵称=积分"]) })
        XCTAssertEqual(try MemberColumns.mapping(["a=b=姓名"]), ["a=b": .field(.name)], "the last = splits column from field")
    }

    func testSemicolonOrTabSeparatedFilesGetAHint() throws {
        let store = try makeStore()
        XCTAssertEqual(importError { try self.run(store, "姓名;城市\n张三;杭州\n") }, .notCommaSeparated(separator: "semicolons"))
        XCTAssertEqual(importError { try self.run(store, "姓名\t城市\n张三\t杭州\n") }, .notCommaSeparated(separator: "tabs"))
    }

    func testEmptyTrailingColumnFromASpreadsheetIsIgnored() throws {
        let store = try makeStore()
        XCTAssertEqual(try run(store, "姓名,城市,\n张三,杭州,\n李四,,\n").imported, 2)
    }

    // MARK: Bad rows

    func testEachBadRowReasonWithItsLineNumber() throws {
        let store = try makeStore()
        let before = try store.fingerprint()
        let report = try run(store, """
            name,role,joined,email,referrer,status,gate,tags,phone
            好人,,,,,,,,
            ,core,,,,,,,
            坏角色,老板,,,,,,,
            坏日期,,2026-02-30,,,,,,
            坏邮箱,,,not-an-email,,,,,
            无推荐,,,,不存在的人,,,,
            坏状态,,,,,摸鱼,,,
            坏门槛,,,,,,免费,,
            坏标签,,,,,,,+vip,
            坏电话,,,,,,,,abc
            "多行
            备注",,,,,,,,
            两个错,老板,昨天,,,,,,
            """)
        XCTAssertTrue(report.rejected)
        XCTAssertEqual(report.imported, 0)
        XCTAssertEqual(report.rows, 12, "13 lines, one row spans two")
        let byLine = Dictionary(uniqueKeysWithValues: report.problems.map { ($0.line, $0.reason) })
        XCTAssertEqual(Set(byLine.keys), [3, 4, 5, 6, 7, 8, 9, 10, 11, 14], "the quoted two-line name is fine and moves the next row to line 14")
        XCTAssertEqual(byLine[3], "name must not be empty")
        XCTAssertTrue(byLine[4]!.contains("invalid role '老板'"), byLine[4]!)
        XCTAssertTrue(byLine[5]!.contains("invalid joined '20…' (column 'joined')"), byLine[5]!)
        XCTAssertTrue(byLine[6]!.contains("invalid email"), byLine[6]!)
        XCTAssertFalse(byLine[6]!.contains("not-an-email"), "contact data stays out of messages")
        XCTAssertTrue(byLine[7]!.contains("unknown referrer '不存…'"), byLine[7]!)
        XCTAssertTrue(byLine[8]!.contains("invalid status '摸鱼'"), byLine[8]!)
        XCTAssertTrue(byLine[9]!.contains("invalid gate '免费'"), byLine[9]!)
        XCTAssertTrue(byLine[10]!.contains("invalid tag '+vip'"), byLine[10]!)
        XCTAssertTrue(byLine[11]!.contains("invalid phone"), byLine[11]!)
        XCTAssertFalse(byLine[11]!.contains("abc"))
        XCTAssertTrue(byLine[14]!.contains("role") && byLine[14]!.contains("joined"), "every problem of a row is reported: \(byLine[14]!)")
        XCTAssertEqual(report.problems.first?.description, "line 3: name must not be empty")
        XCTAssertEqual(try store.fingerprint(), before, "a bad row leaves the store untouched")
    }

    func testOneBadRowLeavesTheStoreByteForByteUnchanged() throws {
        let store = try makeStore()
        try store.add("老成员") { $0.tags = ["读书会"] }
        let exportBefore = try store.exportText()
        let csvBefore = try store.exportMembersCSV()
        let fingerprint = try store.fingerprint()
        var rows = (1...500).map { "成员\($0),杭州,读书会" }
        rows[421] = "成员422,杭州,读书 会:坏"
        let report = try run(store, "姓名,城市,标签\n" + rows.joined(separator: "\n"))
        XCTAssertTrue(report.rejected)
        XCTAssertEqual(report.problems.map(\.line), [423])
        XCTAssertEqual(try store.exportText(), exportBefore)
        XCTAssertEqual(try store.exportMembersCSV(), csvBefore)
        XCTAssertEqual(try store.fingerprint(), fingerprint)
        // The member number counter did not move either: the next member gets number 2.
        XCTAssertTrue(try store.add("新人").number!.hasSuffix("-2"))
    }

    func testExtraFieldsAreABadRowButMissingTrailingFieldsAreEmpty() throws {
        let store = try makeStore()
        let report = try run(store, "姓名,城市\n张三\n李四,上海,多余\n")
        XCTAssertEqual(report.problems.map(\.line), [3])
        XCTAssertTrue(report.problems[0].reason.contains("3 fields but the header has 2 columns"))
    }

    func testSkipBadImportsTheGoodRowsAndReportsTheBad() throws {
        let store = try makeStore()
        let report = try run(store, "姓名,角色\n张三,kol\n李四,老板\n王五,\n", skipBad: true)
        XCTAssertFalse(report.rejected)
        XCTAssertEqual(report.imported, 2)
        XCTAssertEqual(report.problems.map(\.line), [3])
        XCTAssertEqual(Set(try store.members().map(\.name)), ["张三", "王五"])
    }

    func testSkipBadWithOnlyBadRowsWritesNothing() throws {
        let store = try makeStore()
        let before = try store.fingerprint()
        let report = try run(store, "姓名,角色\n张三,老板\n", skipBad: true)
        XCTAssertTrue(report.rejected)
        XCTAssertEqual(try store.fingerprint(), before)
    }

    func testDryRunWritesNothingAndListsWhatWouldBeImported() throws {
        let store = try makeStore()
        let before = try store.fingerprint()
        let report = try run(store, "姓名,城市\n张三,杭州\n李四,上海\n", dryRun: true)
        XCTAssertFalse(report.rejected)
        XCTAssertEqual(report.imported, 0)
        XCTAssertEqual(report.members.map(\.name), ["张三", "李四"])
        XCTAssertEqual(report.members.map(\.line), [2, 3])
        XCTAssertNil(report.members[0].id)
        XCTAssertEqual(try store.fingerprint(), before)
    }

    // MARK: References

    func testReferencesToTheStoreAndToRowsEarlierOrLaterInTheFile() throws {
        let store = try makeStore()
        let kol = try store.add("老K") { $0.role = .kol }
        let report = try run(store, """
            姓名,推荐人,负责KOL
            新人甲,大V,老K
            大V,,\(kol.number!.lowercased())
            新人乙,新人甲,\(kol.id.prefix(8))
            """)
        XCTAssertEqual(report.imported, 3, "\(report.problems)")
        let first = try store.member("新人甲")
        let big = try store.member("大V")
        let second = try store.member("新人乙")
        XCTAssertEqual(first.referrer, big.id, "a row may name one further down")
        XCTAssertEqual(first.kol, kol.id)
        XCTAssertEqual(big.kol, kol.id)
        XCTAssertEqual(second.referrer, first.id)
        XCTAssertEqual(second.kol, kol.id)
    }

    func testAmbiguousReferencesAreBadRows() throws {
        let store = try makeStore()
        try store.add("张三")
        let report = try run(store, """
            姓名,推荐人
            张三,
            李四,张三
            王五,赵六
            赵六,
            赵六,
            """)
        XCTAssertTrue(report.rejected)
        let byLine = Dictionary(uniqueKeysWithValues: report.problems.map { ($0.line, $0.reason) })
        XCTAssertTrue(byLine[3]?.contains("ambiguous") == true, "张三 is in the store and on line 2: \(byLine)")
        XCTAssertTrue(byLine[3]?.contains("line 2") == true)
        XCTAssertTrue(byLine[4]?.contains("ambiguous") == true, "two rows named 赵六: \(byLine)")
        XCTAssertEqual(Set(byLine.keys), [3, 4])
    }

    func testARepeatedIDOrNumberCellIsAnAmbiguousReference() throws {
        let store = try makeStore()
        let report = try run(store, """
            id,number,name,referrer,kol
            aaaa1111,X-1,甲,,
            aaaa1111,X-1,乙,,
            ,,丙,aaaa1111,
            ,,丁,,x-1
            ,,戊,甲,
            """)
        XCTAssertTrue(report.rejected)
        let byLine = Dictionary(uniqueKeysWithValues: report.problems.map { ($0.line, $0.reason) })
        XCTAssertEqual(Set(byLine.keys), [4, 5], "\(byLine)")
        for line in [4, 5] {
            let reason = byLine[line] ?? ""
            XCTAssertTrue(reason.contains("ambiguous") && reason.contains("line 2") && reason.contains("line 3"), reason)
        }
    }

    func testAHexCellThatIsAnIDPrefixAndAStoredNameIsAmbiguous() throws {
        let store = try makeStore()
        let byID = try store.add("甲")
        let prefix = String(byID.id.prefix(4))
        let byName = try store.add(prefix)
        let report = try run(store, "姓名,推荐人\n新人,\(prefix)\n")
        XCTAssertTrue(report.rejected, "\(report.problems)")
        let reason = report.problems.first?.reason ?? ""
        XCTAssertTrue(reason.contains("ambiguous"), reason)
        XCTAssertTrue(reason.contains(String(byName.id.prefix(8))), reason)
        XCTAssertTrue(reason.contains(String(byID.id.prefix(8))), reason)

        try store.removeMember(byName.id)
        let afterwards = try run(store, "姓名,推荐人\n新人,\(prefix)\n")
        XCTAssertEqual(afterwards.imported, 1, "a deleted member's name is no candidate: \(afterwards.problems)")
        XCTAssertEqual(try store.member("新人").referrer, byID.id)
    }

    func testRowProblemsNameTheColumnButNotTheWholeCell() throws {
        let store = try makeStore()
        let shifted = try run(store, "name,wechat,status\nZhang,San,wxid_secret99\n")
        let reason = shifted.problems.first?.description ?? ""
        XCTAssertTrue(shifted.rejected)
        XCTAssertFalse(reason.contains("secret99"), reason)
        XCTAssertTrue(reason.contains("invalid status 'wx…' (column 'status')"), reason)
        XCTAssertTrue(reason.contains("active"), "what was expected: \(reason)")

        let report = try run(store, """
            姓名,推荐人,负责KOL,标签,状态
            甲,wxid_secret99,,,
            乙,,13800001111,,
            丙,,,+secret99,
            丁,丁secret99,,,
            丁secret99,丁secret99,,,
            戊,wxid,,,
            己,,,,摸鱼
            """)
        let byLine = Dictionary(uniqueKeysWithValues: report.problems.map { ($0.line, $0.reason) })
        XCTAssertEqual(Set(byLine.keys), [2, 3, 4, 5, 6, 7, 8], "\(byLine)")
        for reason in byLine.values {
            XCTAssertFalse(reason.contains("secret99") || reason.contains("00001111"), reason)
        }
        XCTAssertTrue(byLine[2]!.contains("unknown referrer 'wx…'"), byLine[2]!)
        XCTAssertTrue(byLine[3]!.contains("unknown kol '13…'"), byLine[3]!)
        XCTAssertTrue(byLine[4]!.contains("invalid tag '+s…' (column '标签')"), byLine[4]!)
        XCTAssertTrue(byLine[5]!.contains("referrer '丁s…' is the member on line 6"), byLine[5]!)
        XCTAssertTrue(byLine[6]!.contains("referrer '丁s…' is the member itself"), byLine[6]!)
        XCTAssertTrue(byLine[7]!.contains("unknown referrer 'wxid'"), "four characters are shown whole: \(byLine[7]!)")
        XCTAssertTrue(byLine[8]!.contains("invalid status '摸鱼' (column '状态')"), byLine[8]!)
    }

    func testAReferenceToABadRowIsBadAlongTheChain() throws {
        let store = try makeStore()
        let report = try run(store, """
            姓名,推荐人,角色
            甲,,老板
            乙,甲,
            丙,乙,
            丁,,
            """, skipBad: true)
        XCTAssertEqual(report.problems.map(\.line), [2, 3, 4])
        XCTAssertTrue(report.problems[1].reason.contains("line 2"), report.problems[1].reason)
        XCTAssertEqual(try store.members().map(\.name), ["丁"])
    }

    func testSelfReferenceIsABadRow() throws {
        let store = try makeStore()
        let report = try run(store, "姓名,推荐人\n张三,张三\n")
        XCTAssertTrue(report.problems.first?.reason.contains("itself") == true)
    }

    func testADeletedMemberIsNoReferrer() throws {
        let store = try makeStore()
        try store.add("离开的人")
        try store.removeMember("离开的人")
        let report = try run(store, "姓名,推荐人\n张三,离开的人\n")
        XCTAssertTrue(report.problems.first?.reason.contains("deleted") == true, "\(report.problems)")
    }

    func testRowsNamedLikeALiveMemberAreImportedAndPointedOut() throws {
        let store = try makeStore()
        try store.add("张三")
        try store.add("走了的人")
        try store.removeMember("走了的人")
        let report = try run(store, "姓名\n李四\n张三\n走了的人\n")
        XCTAssertEqual(report.imported, 3)
        XCTAssertEqual(report.sameName, [3], "only live members count; a deleted one's name is free")
    }

    // MARK: Transactions

    func testTheWholeImportIsOneCommandForUndo() throws {
        let store = try makeStore()
        try store.add("老成员")
        let before = try store.exportSection(.memberCollection)
        _ = try run(store, "姓名,标签\n张三,读书会\n李四,新人\n王五,\n")
        XCTAssertEqual(try store.members().count, 4)
        _ = try store.undoLastCommand()
        XCTAssertEqual(try store.members().map(\.name), ["老成员"])
        XCTAssertEqual(try store.exportSection(.memberCollection), before)
    }

    func testABigFileWithReferencesAcrossItIsOneUndoableCommand() throws {
        let store = try makeStore()
        let before = try store.exportText()
        // Written in slices of a thousand members: references cross the slices both ways.
        var rows = (0..<2_500).map { "成员\($0),,城市\($0 % 7),标签\($0 % 5)" }
        rows[10] = "成员10,成员2400,城市3,标签0"
        rows[1_500] = "成员1500,成员10,城市2,标签1"
        let report = try run(store, "姓名,推荐人,城市,标签\n" + rows.joined(separator: "\n"))
        XCTAssertEqual(report.imported, 2_500, "\(report.problems.prefix(3))")
        let ten = try store.member("成员10")
        XCTAssertEqual(ten.referrer, try store.member("成员2400").id)
        XCTAssertEqual(try store.member("成员1500").referrer, ten.id)
        XCTAssertEqual(try store.members().count, 2_500)
        _ = try store.undoLastCommand()
        XCTAssertEqual(try store.members().count, 0)
        XCTAssertEqual(try store.exportText(), before)
    }

    func testNumbersContinueTheReplicaCounter() throws {
        let store = try makeStore()
        let first = try store.add("一")
        let report = try run(store, "姓名\n二\n三\n")
        let prefix = first.number!.split(separator: "-")[0]
        XCTAssertEqual(report.members.map(\.number), ["\(prefix)-2", "\(prefix)-3"])
        XCTAssertEqual(try store.add("四").number, "\(prefix)-4")
    }

    // MARK: Export and back

    func testExportedCSVImportsIntoAnEmptyStoreWithTheSameMembers() throws {
        let source = try makeStore()
        let kol = try source.add("李 KOL") { $0.role = .kol; $0.city = "上海"; $0.tags = ["核心", "vip"] }
        try source.add("张三") {
            $0.kol = kol.id
            $0.referrer = "李 KOL"
            $0.city = "杭州"
            $0.tags = ["读书会", "新人"]
            $0.notes = "说\"你好\", 然后\n换行"
            $0.gate = .paid
            $0.gateNote = "paid 138"
            $0.joined = "2025-12-31"
            $0.status = .quiet
            $0.email = "z@example.com"
        }
        try source.add("张三") { $0.city = "北京" }
        try source.add("Émilie, \"Em\"") { $0.wechat = "em_1"; $0.phone = "+86 138 0000 1111" }
        try source.add("=HYPERLINK(\"http://x\")") { $0.notes = "-减肥中-"; $0.tags = ["@新人"] }
        try source.add("'=引号开头") { $0.notes = "'平常的引号" }
        let text = try source.exportMembersCSV()
        XCTAssertTrue(text.hasPrefix("\u{FEFF}id,number,name,role,kol,referrer,gate,gate_note,city,joined,status,wechat,qq,phone,email,notes,tags,log_count\r\n"))

        let target = try makeStore(name: "王")
        let report = try target.importMembers(try CSVTable(data: Data(text.utf8)))
        XCTAssertFalse(report.rejected, "\(report.problems)")
        XCTAssertEqual(report.imported, 6)
        XCTAssertFalse(text.contains(",=HYPERLINK") || text.contains(",\"=HYPERLINK"), "no cell starts a formula")
        XCTAssertTrue(text.contains(",'+86 138 0000 1111,"))
        XCTAssertTrue(text.contains(",'-减肥中-,"))

        func comparable(_ store: Store) throws -> [String] {
            let members = try store.members()
            let names = Dictionary(uniqueKeysWithValues: members.map { ($0.id, $0.name + "/" + ($0.city ?? "")) })
            return members.map { m in
                [m.name, m.role?.rawValue, m.city, m.tags.sorted().joined(separator: ";"), m.notes, m.gate?.rawValue,
                 m.gateNote, m.joined, m.status?.rawValue, m.email, m.wechat, m.phone,
                 m.kol.flatMap { names[$0] }, m.referrer.flatMap { names[$0] }]
                    .map { $0 ?? "-" }.joined(separator: "|")
            }.sorted()
        }
        XCTAssertEqual(try comparable(target), try comparable(source))
        XCTAssertNotEqual(Set(try target.members().map(\.id)), Set(try source.members().map(\.id)), "imported members get new ids")
    }

    func testLinksToDeletedMembersAreLeftOutOfTheExport() throws {
        let source = try makeStore()
        let gone = try source.add("走了的人") { $0.role = .kol }
        let kept = try source.add("留下的 KOL") { $0.role = .kol }
        try source.add("新人") {
            $0.referrer = gone.id
            $0.kol = kept.id
        }
        try source.add("老人") { $0.kol = gone.id }
        try source.removeMember(gone.id)
        XCTAssertEqual(try source.member("新人").referrer, gone.id, "deleting a member keeps links to it")
        let text = try source.exportMembersCSV()
        XCTAssertFalse(text.contains(gone.id))

        let target = try makeStore(name: "王")
        let report = try target.importMembers(try CSVTable(data: Data(text.utf8)))
        XCTAssertFalse(report.rejected, "\(report.problems)")
        XCTAssertEqual(report.imported, 3)
        let newcomer = try target.member("新人")
        XCTAssertNil(newcomer.referrer)
        XCTAssertEqual(newcomer.kol, try target.member("留下的 KOL").id)
        XCTAssertNil(try target.member("老人").kol)
    }
}
