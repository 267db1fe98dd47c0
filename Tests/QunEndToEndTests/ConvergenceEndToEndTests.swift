import Foundation
import XCTest

/// The acceptance scenario: two laptops of one team edit offline, exchange bundle files in
/// either order (and again, duplicated), and end with byte-identical exports whose content
/// follows the merge rules of DESIGN.md.
final class ConvergenceEndToEndTests: QunTestCase {
    func testOfflineEditsConvergeWhenAExportsFirst() {
        runScenario(prefix: "ab", aFirst: true)
    }

    func testOfflineEditsConvergeWhenBExportsFirst() {
        runScenario(prefix: "ba", aFirst: false)
    }

    private struct Team {
        var a: URL
        var b: URL
        var x: String, y: String, z: String, w: String
    }

    /// A and B of one team; A adds four members and carries them to B.
    private func makeTeam(prefix: String) -> Team {
        let a = initStore("\(prefix)-A", operator: "林")
        let b = joinStore("\(prefix)-B", operator: "王芳", inviter: a)
        XCTAssertEqual(stringField(status(a), "team"), stringField(status(b), "team"), "B joined A's team")

        let x = addMember("张三", ["--role", "member", "--city", "杭州", "--tag", "读书会"], store: a)
        let y = addMember("李四", ["--role", "core", "--notes", "第一次参加线下活动"], store: a)
        let z = addMember("王五", ["--tag", "志愿者", "--tag", "新人", "--gate", "paid", "--gate-note", "paid 138"], store: a)
        let w = addMember("欧阳娜娜", ["--city", "上海", "--role", "kol"], store: a)
        XCTAssertEqual(Set([x, y, z, w]).count, 4, "ids are unique")

        let first = carry(from: a, to: b, named: "\(prefix)-first.qunbundle")
        XCTAssertTrue(FileManager.default.fileExists(atPath: first.path))
        let onB = exportedMembers(export(b))
        XCTAssertEqual(Set(onB.keys), [x, y, z, w], "B has A's members after the first bundle")
        XCTAssertEqual(tagSet(onB[z]), ["志愿者", "新人"])
        XCTAssertEqual(stringField(onB[w], "city"), "上海")
        // Numbers travel unchanged.
        let onA = exportedMembers(export(a))
        for id in [x, y, z, w] {
            XCTAssertNotNil(stringField(onA[id], "number"), "member \(id) has a number")
            XCTAssertEqual(stringField(onA[id], "number"), stringField(onB[id], "number"))
        }
        return Team(a: a, b: b, x: x, y: y, z: z, w: w)
    }

    /// Concurrent edits on both laptops, without exchanging anything.
    private func editOffline(_ team: Team) {
        let (a, b) = (team.a, team.b)
        // Different fields of X: both survive.
        qun(["member", "edit", team.x, "--city", "北京"], store: a)
        qun(["member", "edit", team.x, "--role", "core"], store: b)
        // The same field of Y: the later write wins. A writes first; B's clock is a second
        // ahead, so its write is later whatever the two processes' start-up times.
        qun(["member", "edit", team.y, "--notes", "林：下周回访"], store: a)
        qun(["member", "edit", team.y, "--notes", "王芳：已电话确认 ✅"], store: b, env: ["QUN_CLOCK_OFFSET_MS": "1000"])
        // Z's tags: A re-adds 新人 and adds 活跃 while B removes 新人 and 志愿者. The
        // concurrent add of 新人 wins over the remove; the remove of 志愿者 stands.
        qun(["member", "edit", team.z, "--tag", "新人", "--tag", "活跃"], store: a)
        qun(["member", "edit", team.z, "--untag", "新人", "--untag", "志愿者"], store: b)
        // W: A deletes while B edits the city. Delete wins.
        qun(["member", "rm", team.w], store: a)
        qun(["member", "edit", team.w, "--city", "深圳"], store: b)

        // Each side sees only its own edits so far.
        let onA = exportedMembers(export(a))
        let onB = exportedMembers(export(b))
        XCTAssertEqual(stringField(onA[team.x], "city"), "北京")
        XCTAssertEqual(stringField(onA[team.x], "role"), "member")
        XCTAssertEqual(stringField(onB[team.x], "city"), "杭州")
        XCTAssertEqual(stringField(onB[team.x], "role"), "core")
        XCTAssertNil(onA[team.w], "W is deleted on A")
        XCTAssertEqual(stringField(onB[team.w], "city"), "深圳")
        XCTAssertEqual(tagSet(onA[team.z]), ["志愿者", "新人", "活跃"])
        XCTAssertEqual(tagSet(onB[team.z]), [])
    }

    /// The merged state both laptops must show.
    private func checkMerged(_ exportText: String, _ team: Team, file: StaticString = #filePath, line: UInt = #line) {
        let members = exportedMembers(exportText, file: file, line: line)
        XCTAssertEqual(Set(members.keys), [team.x, team.y, team.z], "W is deleted, the others live", file: file, line: line)
        XCTAssertEqual(stringField(members[team.x], "name"), "张三", file: file, line: line)
        XCTAssertEqual(stringField(members[team.x], "city"), "北京", "A's city edit survives", file: file, line: line)
        XCTAssertEqual(stringField(members[team.x], "role"), "core", "B's role edit survives", file: file, line: line)
        XCTAssertEqual(tagSet(members[team.x]), ["读书会"], file: file, line: line)
        XCTAssertEqual(stringField(members[team.y], "notes"), "王芳：已电话确认 ✅", "the later notes (B's) win", file: file, line: line)
        XCTAssertEqual(stringField(members[team.y], "role"), "core", file: file, line: line)
        XCTAssertEqual(tagSet(members[team.z]), ["新人", "活跃"],
                       "concurrent add beats remove (新人), an unopposed remove stands (志愿者)", file: file, line: line)
        XCTAssertEqual(stringField(members[team.z], "gate"), "paid", file: file, line: line)
        XCTAssertEqual(stringField(members[team.z], "gate_note"), "paid 138", file: file, line: line)
    }

    private func runScenario(prefix: String, aFirst: Bool) {
        let team = makeTeam(prefix: prefix)
        let (a, b) = (team.a, team.b)
        editOffline(team)

        // Exchange: aFirst → A→B then B→A (full bundles); else B→A then A→B, the second leg
        // with --for (only what the peer lacks, learned from the bundle it sent).
        var files: [(bundle: URL, into: URL)] = []
        if aFirst {
            files.append((carry(from: a, to: b, named: "\(prefix)-1-a.qunbundle"), b))
            files.append((carry(from: b, to: a, named: "\(prefix)-1-b.qunbundle"), a))
        } else {
            files.append((carry(from: b, to: a, named: "\(prefix)-1-b.qunbundle"), a))
            files.append((carry(from: a, to: b, named: "\(prefix)-1-a.qunbundle", exportOptions: ["--for", "王芳"]), b))
        }
        let exportA = export(a)
        let exportB = export(b)
        XCTAssertEqual(exportA, exportB, "converged replicas export byte-identical JSON")
        checkMerged(exportA, team)
        checkMerged(exportB, team)

        // Everything again: the same files (pure duplicates) ...
        for (bundle, store) in files {
            let report = importBundle(bundle, into: store)
            XCTAssertEqual(report["applied"].flatMap(intValue), 0, "re-importing \(bundle.lastPathComponent) applies nothing")
            XCTAssertEqual(report["held"].flatMap(intValue), 0)
            XCTAssertGreaterThan(report["duplicates"].flatMap(intValue) ?? 0, 0)
        }
        // ... and a fresh full exchange in the other order.
        if aFirst {
            carry(from: b, to: a, named: "\(prefix)-2-b.qunbundle")
            carry(from: a, to: b, named: "\(prefix)-2-a.qunbundle")
        } else {
            carry(from: a, to: b, named: "\(prefix)-2-a.qunbundle")
            carry(from: b, to: a, named: "\(prefix)-2-b.qunbundle")
        }
        XCTAssertEqual(export(a), exportA, "duplicates change nothing on A")
        XCTAssertEqual(export(b), exportA, "duplicates change nothing on B")

        // Nothing is pending in either direction, and both hold the same vector.
        let statusA = status(a)
        let statusB = status(b)
        XCTAssertEqual(statusA["vector"] as? NSDictionary, statusB["vector"] as? NSDictionary)
        XCTAssertEqual(statusA["changes"].flatMap(intValue), statusB["changes"].flatMap(intValue))
        for peer in (statusA["peers"] as? [[String: Any]] ?? []) + (statusB["peers"] as? [[String: Any]] ?? []) {
            XCTAssertEqual(peer["pending"].flatMap(intValue), 0, "nothing pending after the exchange: \(peer)")
        }

        // The deleted member is still there for history and --deleted.
        let shown = jsonObject(qun(["member", "show", team.w, "--json"], store: b))
        XCTAssertEqual(shown?["deleted"] as? Bool, true)
        let history = qun(["history", team.w], store: a)
        XCTAssertTrue(history.contains("深圳"), "history keeps B's concurrent edit of W:\n\(history)")

        // A restores W after seeing the delete and B's edit: W is back, with B's city.
        qun(["member", "restore", team.w], store: a)
        carry(from: a, to: b, named: "\(prefix)-3-a.qunbundle", exportOptions: ["--for", "王芳"])
        carry(from: b, to: a, named: "\(prefix)-3-b.qunbundle", exportOptions: ["--for", "林"])
        let restoredA = export(a)
        XCTAssertEqual(restoredA, export(b), "converged after the restore")
        let members = exportedMembers(restoredA)
        XCTAssertEqual(Set(members.keys), [team.x, team.y, team.z, team.w])
        XCTAssertEqual(stringField(members[team.w], "name"), "欧阳娜娜")
        XCTAssertEqual(stringField(members[team.w], "city"), "深圳", "the restore brings back B's concurrent city edit")
        XCTAssertEqual(stringField(members[team.w], "role"), "kol")
        checkMerged(exportWithout(team.w, restoredA), team)
    }

    /// An export dump with one member removed, to reuse `checkMerged` after the restore.
    private func exportWithout(_ id: String, _ exportText: String) -> String {
        guard var dump = jsonObject(exportText), let members = dump["member"] as? [[String: Any]] else { return exportText }
        dump["member"] = members.filter { ($0["id"] as? String) != id }
        guard let data = try? JSONSerialization.data(withJSONObject: dump) else { return exportText }
        return String(decoding: data, as: UTF8.self)
    }
}
