import Foundation
import XCTest

/// Sync over HTTP between real `qun serve` and `qun sync` processes: laptops that edited
/// offline converge, a ring of three converges, and a new laptop joins from a snapshot.
final class SyncEndToEndTests: SyncTestCase {
    func testTwoStoresEditedOfflineConvergeOverHTTP() throws {
        let a = initStore("a", operator: "林")
        let b = joinEmpty("b", operator: "王", inviter: a)
        let shared = addMember("张三", ["--city", "杭州", "--tag", "读书会", "--phone", "13800000001"], store: a)
        let other = addMember("李四", ["--role", "kol", "--tag", "志愿者"], store: a)

        let server = try serve(a)
        XCTAssertTrue(server.firstLine.hasPrefix("serving "), server.firstLine)
        XCTAssertTrue(server.firstLine.hasSuffix(" on \(server.url)"), server.firstLine)
        XCTAssertTrue(server.firstLine.contains("/a on "), "the line names the store: \(server.firstLine)")

        let added = qun(["peer", "add", "lin", server.url], store: b)
        XCTAssertTrue(added.contains("lin"), added)
        var peers = try XCTUnwrap(jsonArray(qun(["peer", "list", "--json"], store: b)))
        XCTAssertEqual(peers.count, 1)
        XCTAssertEqual(stringField(peers.first, "name"), "lin")
        XCTAssertEqual(stringField(peers.first, "url"), server.url)
        XCTAssertTrue(peers.first?["last_sync"] is NSNull, "never synced yet: \(peers)")

        // B starts empty: the first sync brings A's records.
        let first = qun(["sync", "lin"], store: b)
        XCTAssertTrue(first.hasPrefix("synced with lin: sent "), first)
        XCTAssertEqual(export(b), export(a))

        // Both edit offline; A's store is edited while its server runs.
        let aReplica = try XCTUnwrap(stringField(status(a), "replica"))
        qun(["member", "edit", shared, "--city", "北京", "--tag", "核心"], store: a)
        let onlyA = addMember("赵六", ["--tag", "线下", "--tag", "摄影", "--city", "深圳"], store: a)
        qun(["member", "edit", other, "--untag", "志愿者", "--notes", "负责周末活动"], store: b)
        qun(["member", "edit", shared, "--city", "上海", "--tag", "付费"], store: b)
        let onlyB = addMember("钱七 Qian", ["--tag", "新人", "--phone", "13900000002", "--referrer", shared], store: b)
        XCTAssertNotEqual(export(a), export(b))

        let report = sync(b, with: "lin")
        XCTAssertEqual(stringField(report, "peer"), "lin")
        XCTAssertEqual(stringField(report, "url"), server.url)
        XCTAssertEqual(stringField(report, "replica"), aReplica)
        XCTAssertEqual(stringField(report, "operator"), "林")
        XCTAssertGreaterThan(report["sent"].flatMap(intValue) ?? 0, 0, "\(report)")
        XCTAssertGreaterThan(report["received"].flatMap(intValue) ?? 0, 0, "\(report)")
        XCTAssertEqual(report["held"].flatMap(intValue), 0)

        let exported = export(a)
        XCTAssertEqual(exported, export(b), "exports are byte-identical after one sync")
        let members = exportedMembers(exported)
        XCTAssertEqual(members.count, 4)
        XCTAssertEqual(stringField(members[onlyA], "name"), "赵六")
        XCTAssertEqual(tagSet(members[onlyA]), ["线下", "摄影"])
        XCTAssertEqual(stringField(members[onlyB], "name"), "钱七 Qian")
        XCTAssertEqual(tagSet(members[other]), [], "B's untag arrived")
        XCTAssertEqual(stringField(members[other], "notes"), "负责周末活动")
        // The concurrent edit of one field: one value, the same on both.
        let city = stringField(members[shared], "city")
        XCTAssertTrue(city == "北京" || city == "上海", "one of the two concurrent values: \(String(describing: city))")
        XCTAssertEqual(tagSet(members[shared]), ["读书会", "核心", "付费"], "tags added on both sides are all kept")

        // Nothing left to exchange.
        let again = sync(b, with: "lin")
        XCTAssertEqual(again["sent"].flatMap(intValue), 0, "\(again)")
        XCTAssertEqual(again["received"].flatMap(intValue), 0, "\(again)")
        XCTAssertEqual(export(a), exported)
        XCTAssertEqual(export(b), exported)

        peers = try XCTUnwrap(jsonArray(qun(["peer", "list", "--json"], store: b)))
        XCTAssertEqual(stringField(peers.first, "replica"), aReplica)
        XCTAssertEqual(stringField(peers.first, "operator"), "林")
        XCTAssertNotNil(stringField(peers.first, "last_sync"), "last sync recorded: \(peers)")

        XCTAssertEqual(server.child.stop(), 0, "qun serve stops cleanly on SIGTERM: \(server.child.stderr)")
        XCTAssertEqual(server.child.stdout, server.firstLine + "\n", "exactly one line on stdout")
    }

    func testRingOfThreeServingStoresConverges() throws {
        let a = initStore("a", operator: "林")
        let b = joinEmpty("b", operator: "王", inviter: a)
        let c = joinEmpty("c", operator: "陈", inviter: a)
        var names: [String] = []
        for (store, prefix) in [(a, "甲"), (b, "乙"), (c, "丙")] {
            for index in 1...4 {
                addMember("\(prefix)成员\(index)", ["--tag", "组\(prefix)", "--city", ["杭州", "上海"][index % 2]], store: store)
                names.append("\(prefix)成员\(index)")
            }
        }
        let servers = try [a, b, c].map { try serve($0) }
        XCTAssertEqual(Set(servers.map(\.url)).count, 3, "three free ports")
        qun(["peer", "add", "wang", servers[1].url], store: a)
        qun(["peer", "add", "chen", servers[2].url], store: b)
        qun(["peer", "add", "lin", servers[0].url], store: c)

        // A→B, B→C, C→A: every store has everything after one turn.
        let turn1 = [sync(a, with: "wang"), sync(b, with: "chen"), sync(c, with: "lin")]
        XCTAssertGreaterThan(turn1[0]["received"].flatMap(intValue) ?? 0, 0, "\(turn1[0])")
        let exportA = export(a)
        XCTAssertEqual(export(b), exportA)
        XCTAssertEqual(export(c), exportA)
        XCTAssertEqual(Set(exportedMembers(exportA).values.compactMap { stringField($0, "name") }), Set(names))

        // Once more: nothing moves, nothing changes.
        for (store, peer) in [(a, "wang"), (b, "chen"), (c, "lin")] {
            let report = sync(store, with: peer)
            XCTAssertEqual(report["sent"].flatMap(intValue), 0, "\(peer): \(report)")
            XCTAssertEqual(report["received"].flatMap(intValue), 0, "\(peer): \(report)")
        }
        for store in [a, b, c] {
            XCTAssertEqual(export(store), exportA)
        }
        let vectors = [a, b, c].map { vector(status($0)) }
        XCTAssertEqual(vectors[0], vectors[1])
        XCTAssertEqual(vectors[0], vectors[2])
        XCTAssertEqual(vectors[0].count, 3, "one entry per replica: \(vectors[0])")
        for server in servers {
            XCTAssertEqual(server.child.stop(), 0, server.child.stderr)
        }
    }

    func testJoinFromSnapshotStartsWithTheTeamsData() throws {
        let a = initStore("a", operator: "Wang Lei")
        for (index, name) in ["张三", "李四", "王五", "Zoë"].enumerated() {
            addMember(name, ["--tag", "读书会", "--city", "成都", "--phone", "1380000000\(index)"], store: a)
        }
        let server = try serve(a)
        let code = invite(a, url: server.url)
        XCTAssertTrue(code.hasSuffix(":" + server.url), "the invite carries the URL: \(code)")

        let d = path("d")
        let created = qun(["init", "--name", "新人", "--join", code], store: d)
        XCTAssertTrue(created.contains("snapshot"), created)

        let aStatus = status(a)
        let dStatus = status(d)
        let aReplica = try XCTUnwrap(stringField(aStatus, "replica"))
        let dReplica = try XCTUnwrap(stringField(dStatus, "replica"))
        XCTAssertNotEqual(dReplica, aReplica, "a replica id of its own")

        // The team's data at once: the export equals A's but for the one record the new
        // store wrote itself, its operator (which reaches A with the first sync).
        let aExport = export(a)
        let dExport = export(d)
        var dDump = try XCTUnwrap(jsonObject(dExport))
        let aDump = try XCTUnwrap(jsonObject(aExport))
        let dOperators = dDump["operator"] as? [[String: Any]] ?? []
        XCTAssertEqual(dOperators.filter { stringField($0, "id") == dReplica }.map { stringField($0, "name") }, ["新人"],
                       "the new store's own operator record: \(dExport)")
        dDump["operator"] = dOperators.filter { stringField($0, "id") != dReplica }
        XCTAssertEqual(exportedMembers(dExport).count, 4)
        XCTAssertTrue(NSDictionary(dictionary: dDump).isEqual(to: aDump),
                      "the new store holds exactly A's records:\n\(dExport)\nvs\n\(aExport)")
        XCTAssertEqual(stringField(dStatus, "operator"), "新人")
        XCTAssertEqual(stringField(dStatus, "team"), stringField(aStatus, "team"))

        let peers = try XCTUnwrap(jsonArray(qun(["peer", "list", "--json"], store: d)))
        XCTAssertEqual(peers.count, 1, "the inviting laptop is registered: \(peers)")
        let peer = try XCTUnwrap(peers.first)
        XCTAssertEqual(stringField(peer, "url"), server.url)
        XCTAssertEqual(stringField(peer, "name"), "wang-lei")
        XCTAssertEqual(stringField(peer, "replica"), aReplica)

        // It syncs with the registered peer by name; its own writes reach A.
        let added = addMember("新成员", ["--tag", "新人"], store: d)
        let report = sync(d, with: "wang-lei")
        XCTAssertGreaterThan(report["sent"].flatMap(intValue) ?? 0, 0, "\(report)")
        XCTAssertEqual(report["received"].flatMap(intValue), 0, "nothing to download after a snapshot: \(report)")
        XCTAssertEqual(export(d), export(a))
        XCTAssertEqual(stringField(exportedMembers(export(a))[added], "name"), "新成员")
        XCTAssertEqual(integrityCheck(d), "ok")
    }
}
