import Foundation
import XCTest

/// `qun export members --format csv|json [--output FILE]` through the real binary, the CSV
/// read back by `import members`, and the whole-store `export --format json` unchanged.
final class ExportMembersEndToEndTests: QunTestCase {
    private var store: URL!

    override func setUpWithError() throws {
        try super.setUpWithError()
        store = initStore("club", operator: "林")
        let kol = addMember("李 KOL", ["--role", "kol", "--city", "上海", "--tag", "核心"], store: store)
        addMember("张三", ["--city", "杭州", "--tag", "读书会", "--tag", "新人", "--kol", kol, "--referrer", "李 KOL",
                         "--notes", "说\"你好\", 再见\n第二行", "--gate", "paid", "--gate-note", "paid 138"], store: store)
        addMember("张三", ["--city", "北京"], store: store)
        addMember("Émilie, \"Em\"", ["--email", "em@example.com"], store: store)
        qun(["member", "log", "李 KOL", "私聊：最近很忙"], store: store)
    }

    /// Members by a key that survives new ids: name and city, with KOL and referrer by name.
    private func comparable(_ store: URL) -> [String] {
        let list = jsonArray(qun(["member", "list", "--json"], store: store)) ?? []
        let names = Dictionary(uniqueKeysWithValues: list.map { (stringField($0, "id")!, stringField($0, "name")!) })
        return list.map { member in
            let fields = ["name", "role", "city", "notes", "gate", "gate_note", "joined", "status", "email"].map { stringField(member, $0) ?? "-" }
            let links = [stringField(member, "kol"), stringField(member, "referrer")].map { $0.flatMap { names[$0] } ?? "-" }
            return (fields + links + [tagSet(member).sorted().joined(separator: ";")]).joined(separator: "|")
        }.sorted()
    }

    func testCSVRoundTripsIntoAnEmptyStore() throws {
        let file = path("members.csv")
        let printed = qun(["export", "members", "--format", "csv", "--output", file.path], store: store)
        XCTAssertEqual(printed, "", "--output writes the file, not stdout")
        let bytes = try Data(contentsOf: file)
        XCTAssertTrue(bytes.starts(with: [0xEF, 0xBB, 0xBF]), "a byte order mark for Excel")
        let text = String(decoding: bytes, as: UTF8.self)
        XCTAssertTrue(text.hasPrefix("\u{FEFF}id,number,name,role,kol,referrer,gate,gate_note,city,joined,status,wechat,qq,phone,email,notes,tags,log_count\r\n"))
        XCTAssertTrue(text.contains("\"Émilie, \"\"Em\"\"\""), "quoted per RFC 4180")
        XCTAssertTrue(text.contains("读书会;新人") || text.contains("新人;读书会"))

        let target = initStore("empty", operator: "王")
        let output = qun(["import", "members", file.path], store: target)
        XCTAssertTrue(output.contains("imported 4 members"), output)
        XCTAssertEqual(comparable(target), comparable(store))
    }

    func testALinkToADeletedMemberDoesNotStopTheRoundTrip() throws {
        let gone = addMember("走了的人", store: store)
        addMember("新人丙", ["--referrer", gone, "--kol", gone], store: store)
        qun(["member", "rm", gone], store: store)
        let file = path("members.csv")
        qun(["export", "members", "--format", "csv", "--output", file.path], store: store)
        XCTAssertFalse(String(decoding: try Data(contentsOf: file), as: UTF8.self).contains(gone))

        let target = initStore("empty", operator: "王")
        let output = qun(["import", "members", file.path], store: target)
        XCTAssertTrue(output.contains("imported 5 members"), output)
        let newcomer = jsonArray(qun(["member", "list", "--json"], store: target))?.first { stringField($0, "name") == "新人丙" }
        XCTAssertNotNil(newcomer)
        XCTAssertNil(stringField(newcomer, "referrer"))
        XCTAssertNil(stringField(newcomer, "kol"))
        XCTAssertEqual(comparable(target), comparable(store))
    }

    func testCSVOnStdoutEqualsTheFile() throws {
        let file = path("m.csv")
        qun(["export", "members", "--format", "csv", "--output", file.path], store: store)
        XCTAssertEqual(qun(["export", "members", "--format", "csv"], store: store), String(decoding: try Data(contentsOf: file), as: UTF8.self))
    }

    func testJSONIsMemberListJSON() {
        XCTAssertEqual(qun(["export", "members", "--format", "json"], store: store), qun(["member", "list", "--json"], store: store))
        XCTAssertEqual(qun(["export", "members"], store: store), qun(["member", "list", "--json"], store: store))
    }

    func testWholeStoreExportIsUnchanged() throws {
        let whole = export(store)
        let object = try XCTUnwrap(jsonObject(whole))
        XCTAssertNotNil(object["member"])
        XCTAssertEqual(qun(["export"], store: store), whole)
        XCTAssertTrue(whole.hasSuffix("}\n"))
        qunFails(["export", "--format", "csv"], store: store, stderrContains: ["json"])
        qunFails(["export", "tasks"], store: store, stderrContains: ["members"])
        qunFails(["export", "members", "--format", "xml"], store: store, stderrContains: ["csv"])
        qunFails(["export", "members", "--format", "csv", "--output", path("no/such/dir/m.csv").path], store: store, stderrContains: ["cannot write"])
    }
}
