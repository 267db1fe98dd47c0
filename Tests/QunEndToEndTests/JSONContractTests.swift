import Foundation
import XCTest

/// The `--json` shapes scripts rely on (DESIGN.md, "The stable contract"): exactly these
/// keys, JSON null for absent values, results on stdout, errors on stderr only.
final class JSONContractTests: QunTestCase {
    static let memberKeys: Set<String> = [
        "id", "number", "name", "role", "kol", "referrer", "gate", "gate_note", "city", "joined",
        "status", "wechat", "qq", "phone", "email", "notes", "tags", "log_count", "deleted",
    ]
    static let statusKeys: Set<String> = [
        "store", "replica", "operator", "team", "schema", "members", "changes", "vector", "held", "peers", "forks",
    ]

    private func assertMemberShape(_ member: [String: Any]?, file: StaticString = #filePath, line: UInt = #line) {
        guard let member else { return XCTFail("no member object", file: file, line: line) }
        XCTAssertEqual(Set(member.keys), Self.memberKeys, "member keys", file: file, line: line)
        XCTAssertNotNil(member["id"] as? String, file: file, line: line)
        XCTAssertNotNil(member["name"] as? String, file: file, line: line)
        XCTAssertNotNil(member["tags"] as? [Any], "tags is an array", file: file, line: line)
        XCTAssertNotNil(member["log_count"].flatMap(intValue), "log_count is a number", file: file, line: line)
        XCTAssertNotNil(member["deleted"] as? Bool, "deleted is a boolean", file: file, line: line)
        for key in Self.memberKeys.subtracting(["tags", "log_count", "deleted"]) {
            let value = member[key]
            XCTAssertTrue(value is String || value is NSNull, "\(key) is a string or null: \(String(describing: value))", file: file, line: line)
        }
    }

    func testMemberAddJSON() throws {
        let store = initStore("s", operator: "林")
        let added = runQun(["member", "add", "张三", "--json", "--role", "kol", "--city", "杭州", "--tag", "读书会",
                            "--tag", "志愿者", "--gate", "paid", "--gate-note", "paid 138", "--joined", "2024-02-29",
                            "--wechat", "zhangsan_88", "--notes", "第一行\n第二行 \"引号\""], store: store)
        XCTAssertEqual(added.status, 0, added.stderr)
        XCTAssertEqual(added.stderr, "", "nothing on stderr on success")
        let member = jsonObject(added.stdout)
        assertMemberShape(member)
        XCTAssertEqual(stringField(member, "name"), "张三")
        XCTAssertEqual(stringField(member, "role"), "kol")
        XCTAssertEqual(stringField(member, "city"), "杭州")
        XCTAssertEqual(stringField(member, "gate"), "paid")
        XCTAssertEqual(stringField(member, "gate_note"), "paid 138")
        XCTAssertEqual(stringField(member, "joined"), "2024-02-29")
        XCTAssertEqual(stringField(member, "wechat"), "zhangsan_88")
        XCTAssertEqual(stringField(member, "notes"), "第一行\n第二行 \"引号\"")
        XCTAssertEqual(stringField(member, "status"), "active", "status defaults to active")
        XCTAssertEqual(tagSet(member), ["读书会", "志愿者"])
        XCTAssertEqual(member?["deleted"] as? Bool, false)
        XCTAssertTrue(member?["phone"] is NSNull, "absent values are null")
        XCTAssertTrue(member?["email"] is NSNull)
        XCTAssertTrue(member?["kol"] is NSNull)
        XCTAssertEqual(member?["log_count"].flatMap(intValue), 0)

        // Without --json: just the id, one line.
        let plain = qun(["member", "add", "李四"], store: store)
        XCTAssertTrue(plain.hasSuffix("\n"))
        let id = plain.trimmingCharacters(in: .whitespacesAndNewlines)
        XCTAssertFalse(id.contains(where: \.isWhitespace), "plain output is the id alone: \(plain)")

        // edit, log, rm, restore, show --json give the same shape (show adds its log).
        let kolID = try XCTUnwrap(stringField(member, "id"))
        assertMemberShape(jsonObject(qun(["member", "edit", id, "--kol", kolID, "--referrer", "张三", "--json"], store: store)))
        let logged = jsonObject(qun(["member", "log", id, "私聊确认线下活动报名", "--json"], store: store))
        assertMemberShape(logged)
        XCTAssertEqual(logged?["log_count"].flatMap(intValue), 1)
        let removed = jsonObject(qun(["member", "rm", id, "--json"], store: store))
        assertMemberShape(removed)
        XCTAssertEqual(removed?["deleted"] as? Bool, true)
        let restored = jsonObject(qun(["member", "restore", id, "--json"], store: store))
        assertMemberShape(restored)
        XCTAssertEqual(restored?["deleted"] as? Bool, false)
        XCTAssertEqual(stringField(restored, "kol"), kolID)
        XCTAssertEqual(stringField(restored, "referrer"), kolID, "referrer given by exact name resolves to the id")
        let shown = try XCTUnwrap(jsonObject(qun(["member", "show", id, "--json"], store: store)))
        XCTAssertEqual(Set(shown.keys), Self.memberKeys.union(["log", "checkins", "activity", "rewards"]))
        XCTAssertEqual((shown["rewards"] as? [Any])?.count, 0)
        XCTAssertEqual((shown["log"] as? [Any])?.count, 1)
        XCTAssertEqual(shown["checkins"] as? Int, 0)
        XCTAssertEqual(shown["activity"] as? Double, 1, "one interaction today weighs 1")
    }

    func testMemberListJSON() throws {
        let store = initStore("s", operator: "林")
        let empty = qun(["member", "list", "--json"], store: store)
        XCTAssertEqual(try XCTUnwrap(jsonArray(empty)).count, 0, "an empty list is []")

        addMember("张三", ["--role", "kol", "--tag", "读书会"], store: store)
        addMember("Lin Wei", ["--city", "上海"], store: store)
        let gone = addMember("王五", store: store)
        qun(["member", "rm", gone], store: store)

        let list = try XCTUnwrap(jsonArray(qun(["member", "list", "--json"], store: store)))
        XCTAssertEqual(list.count, 2, "live members only")
        for member in list { assertMemberShape(member) }
        XCTAssertEqual(Set(list.compactMap { stringField($0, "name") }), ["张三", "Lin Wei"])

        let withDeleted = try XCTUnwrap(jsonArray(qun(["member", "list", "--deleted", "--json"], store: store)))
        XCTAssertEqual(withDeleted.count, 3)
        XCTAssertEqual(withDeleted.filter { $0["deleted"] as? Bool == true }.compactMap { stringField($0, "id") }, [gone])

        let kols = try XCTUnwrap(jsonArray(qun(["member", "list", "role:kol", "--json"], store: store)))
        XCTAssertEqual(kols.compactMap { stringField($0, "name") }, ["张三"])
        let tagged = try XCTUnwrap(jsonArray(qun(["member", "list", "--json", "+读书会"], store: store)))
        XCTAssertEqual(tagged.compactMap { stringField($0, "name") }, ["张三"])
        let untagged = try XCTUnwrap(jsonArray(qun(["member", "list", "--json", "-读书会"], store: store)))
        XCTAssertEqual(untagged.compactMap { stringField($0, "name") }, ["Lin Wei"])
    }

    func testStatusJSON() throws {
        let a = initStore("a", operator: "林")
        let initJSON = try XCTUnwrap(jsonObject(qun(["init", "--name", "王", "--json"], store: path("b"))))
        XCTAssertEqual(Set(initJSON.keys), ["store", "replica", "operator", "team", "joined"])
        addMember("张三", store: a)

        let status = status(a)
        XCTAssertEqual(Set(status.keys), Self.statusKeys)
        let replica = try XCTUnwrap(stringField(status, "replica"))
        XCTAssertEqual(replica.count, 32, "a 128-bit replica id in hex: \(replica)")
        XCTAssertTrue(replica.allSatisfy(\.isHexDigit))
        XCTAssertEqual(stringField(status, "operator"), "林")
        XCTAssertNotNil(stringField(status, "team"))
        XCTAssertEqual(stringField(status, "store").map { URL(fileURLWithPath: $0).standardizedFileURL.path },
                       a.standardizedFileURL.path)
        XCTAssertNotNil(status["schema"].flatMap(intValue))
        let members = try XCTUnwrap(status["members"] as? [String: Any])
        XCTAssertEqual(Set(members.keys), ["live", "deleted"])
        XCTAssertEqual(members["live"].flatMap(intValue), 1)
        XCTAssertEqual(members["deleted"].flatMap(intValue), 0)
        let changes = try XCTUnwrap(status["changes"].flatMap(intValue))
        XCTAssertGreaterThan(changes, 0)
        let vector = try XCTUnwrap(status["vector"] as? [String: Any])
        XCTAssertEqual(vector.keys.sorted(), [replica])
        XCTAssertEqual(vector[replica].flatMap(intValue), changes)
        XCTAssertNotNil(status["held"] as? [Any], "held is an array")
        XCTAssertNotNil(status["peers"] as? [Any], "peers is an array")
        XCTAssertEqual((status["forks"] as? [Any])?.count, 0, "forks is an array, empty on a store that never saw one")

        // A teammate's bundle shows up as a peer entry with the documented keys.
        let b = joinStore("c", operator: "王芳", inviter: a)
        addMember("李四", store: b)
        carry(from: b, to: a, named: "b.qunbundle")
        let after = self.status(a)
        let peers = try XCTUnwrap(after["peers"] as? [[String: Any]])
        XCTAssertEqual(peers.count, 1)
        XCTAssertEqual(Set(peers.first?.keys.map { $0 } ?? []), ["replica", "operator", "pending"])
        XCTAssertEqual(stringField(peers.first, "operator"), "王芳")
        XCTAssertEqual((after["vector"] as? [String: Any])?.count, 2)

        // The printed vector is accepted by bundle export --since.
        let since = vector.map { "\($0.key):\(intValue($0.value) ?? 0)" }.joined(separator: ",")
        let exported = jsonObject(qun(["bundle", "export", path("since.qunbundle").path, "--since", since, "--json"], store: a))
        XCTAssertEqual(Set(exported?.keys.map { $0 } ?? []), ["path", "changes", "bytes", "since"])
        XCTAssertEqual(exported?["changes"].flatMap(intValue), (after["changes"].flatMap(intValue) ?? 0) - changes,
                       "--since writes exactly what the holder of that vector lacks")
    }

    func testErrorsGoToStderrWithNonZeroExit() {
        let store = initStore("s", operator: "林")
        for arguments in [
            ["member", "show", "NOPE", "--json"], ["member", "list", "--json", "bogus:1"],
            ["member", "add", "X", "--role", "boss", "--json"], ["status", "--json", "--no-such-flag"],
            ["member", "edit", "NOPE", "--city", "x", "--json"], ["export", "--format", "csv"],
        ] {
            let result = qunFails(arguments, store: store)
            XCTAssertFalse(result.stderr.hasPrefix("{") || result.stderr.hasPrefix("["), "errors are text, not JSON: \(result.stderr)")
        }
        qunFails(["status", "--json"], store: path("missing"), stderrContains: ["init"])
    }
}
