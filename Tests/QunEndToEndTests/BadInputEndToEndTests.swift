import Foundation
import XCTest

/// Wrong input of every kind: a non-zero exit, a message on stderr, nothing on stdout, and
/// nothing half-written (the export is unchanged afterwards).
final class BadInputEndToEndTests: QunTestCase {
    private var a: URL!

    override func setUpWithError() throws {
        try super.setUpWithError()
        a = initStore("A", operator: "林")
        addMember("张三", ["--tag", "读书会", "--city", "杭州"], store: a)
        addMember("李四", ["--role", "kol", "--notes", "很活跃"], store: a)
    }

    /// B, a teammate's store with a member of its own, and a good bundle of A's changes.
    private func makePeer() -> (b: URL, good: URL) {
        let b = joinStore("B", operator: "王", inviter: a)
        addMember("王五", store: b)
        let good = path("good.qunbundle")
        qun(["bundle", "export", good.path], store: a)
        return (b, good)
    }

    /// Runs a failing command and checks that the store did not change.
    private func assertRefused(
        _ arguments: [String], store: URL, stderrContains needles: [String] = [],
        file: StaticString = #filePath, line: UInt = #line
    ) {
        let before = export(store, file: file, line: line)
        let statusBefore = status(store, file: file, line: line)
        qunFails(arguments, store: store, stderrContains: needles, file: file, line: line)
        XCTAssertEqual(export(store, file: file, line: line), before, "the store changed after a refused command", file: file, line: line)
        let statusAfter = status(store, file: file, line: line)
        XCTAssertEqual(statusAfter["changes"].flatMap(intValue), statusBefore["changes"].flatMap(intValue),
                       "the change log grew after a refused command", file: file, line: line)
        XCTAssertEqual(statusAfter["vector"] as? NSDictionary, statusBefore["vector"] as? NSDictionary, file: file, line: line)
        XCTAssertEqual((statusAfter["held"] as? [Any])?.count ?? 0, 0, "nothing held", file: file, line: line)
    }

    // MARK: Bundles

    func testGoodBundleIsAccepted() {
        // The control for the cases below: the intact file imports.
        let (b, good) = makePeer()
        let report = importBundle(good, into: b)
        XCTAssertGreaterThan(report["applied"].flatMap(intValue) ?? 0, 0)
        XCTAssertEqual(exportedMembers(export(b)).count, 3)
    }

    func testTruncatedBundle() throws {
        let (b, good) = makePeer()
        let data = try Data(contentsOf: good)
        let truncated = path("truncated.qunbundle")
        try data.prefix(data.count / 2).write(to: truncated)
        assertRefused(["bundle", "import", truncated.path], store: b, stderrContains: ["nothing was imported"])
        // Cut just the last byte, too.
        try data.dropLast().write(to: truncated)
        assertRefused(["bundle", "import", truncated.path], store: b)
    }

    func testBundleWithOneByteFlipped() throws {
        let (b, good) = makePeer()
        var data = try Data(contentsOf: good)
        let middle = data.count / 2
        data[middle] ^= 0x20
        let damaged = path("flipped.qunbundle")
        try data.write(to: damaged)
        assertRefused(["bundle", "import", damaged.path], store: b, stderrContains: ["nothing was imported"])
        // A flip in the last byte (the end of the signature/checksum) as well.
        data = try Data(contentsOf: good)
        data[data.count - 1] ^= 0x01
        try data.write(to: damaged)
        assertRefused(["bundle", "import", damaged.path], store: b)
    }

    func testBundleFromAnotherTeam() {
        let (b, _) = makePeer()
        let stranger = initStore("stranger", operator: "外人")
        addMember("不相干", store: stranger)
        let foreign = path("foreign.qunbundle")
        qun(["bundle", "export", foreign.path], store: stranger)
        assertRefused(["bundle", "import", foreign.path], store: b, stderrContains: ["team"])
        assertRefused(["bundle", "import", foreign.path], store: a, stderrContains: ["team"])
    }

    func testFileThatIsNotABundle() throws {
        let (b, _) = makePeer()
        let text = path("notes.txt")
        try Data("群公告：本周六读书会改到线上。\n".utf8).write(to: text)
        assertRefused(["bundle", "import", text.path], store: b, stderrContains: ["bundle"])
        let empty = path("empty.qunbundle")
        try Data().write(to: empty)
        assertRefused(["bundle", "import", empty.path], store: b)
    }

    func testMissingBundleFile() {
        let (b, _) = makePeer()
        let missing = path("no-such.qunbundle")
        assertRefused(["bundle", "import", missing.path], store: b, stderrContains: [missing.lastPathComponent])
    }

    func testSinceGarbage() {
        let out = path("since.qunbundle")
        assertRefused(["bundle", "export", out.path, "--since", "garbage"], store: a, stderrContains: ["--since"])
        XCTAssertFalse(FileManager.default.fileExists(atPath: out.path), "no bundle file is written on error")
    }

    // MARK: Members

    func testEmptyName() {
        assertRefused(["member", "add", ""], store: a, stderrContains: ["name"])
        assertRefused(["member", "add", "   "], store: a, stderrContains: ["name"])
    }

    func testUnknownRole() {
        assertRefused(["member", "add", "X", "--role", "boss"], store: a, stderrContains: ["boss", "kol"])
    }

    func testImpossibleJoinedDate() {
        assertRefused(["member", "add", "X", "--joined", "2024-02-30"], store: a, stderrContains: ["2024-02-30"])
        assertRefused(["member", "add", "X", "--joined", "yesterday"], store: a, stderrContains: ["YYYY-MM-DD"])
    }

    func testEditOfUnknownMember() {
        assertRefused(["member", "edit", "NOPE", "--city", "x"], store: a, stderrContains: ["NOPE", "member list"])
    }

    func testUnknownListFilter() {
        assertRefused(["member", "list", "foo:bar"], store: a, stderrContains: ["foo", "role:"])
        assertRefused(["member", "list", "rol:kol"], store: a, stderrContains: ["did you mean role:"])
        assertRefused(["member", "list", "--json", "citty:杭州"], store: a, stderrContains: ["city:"])
    }

    // MARK: Stores

    func testInitOnExistingStore() throws {
        let replica = stringField(status(a), "replica")
        assertRefused(["init", "--name", "别人"], store: a, stderrContains: ["already"])
        let (b, _) = makePeer()
        let invite = qun(["team", "invite", "--shared-secret"], store: a).trimmingCharacters(in: .whitespacesAndNewlines)
        assertRefused(["init", "--name", "别人", "--join", invite], store: b, stderrContains: ["already"])
        XCTAssertEqual(stringField(status(a), "replica"), replica, "the store keeps its replica id")
        XCTAssertEqual(stringField(status(a), "operator"), "林")
    }

    func testAnyCommandOnMissingStore() {
        let missing = path("nowhere")
        let commands: [[String]] = [
            ["status"], ["status", "--json"], ["member", "list"], ["member", "list", "--json"],
            ["member", "add", "张三"], ["export", "--format", "json"], ["bundle", "import", path("any.qunbundle").path],
            ["bundle", "export", path("x.qunbundle").path], ["team", "invite", "--shared-secret"], ["history", "张三"],
        ]
        for command in commands {
            qunFails(command, store: missing, stderrContains: ["qun", "init"])
            XCTAssertFalse(FileManager.default.fileExists(atPath: missing.path),
                           "qun \(command.joined(separator: " ")) must not create the missing store")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("x.qunbundle").path))
        // The default store (under XDG_DATA_HOME) is missing as well.
        qunFails(["member", "list"], stderrContains: ["init"])
        qunFails(["member", "add", "张三"], stderrContains: ["init"])
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("xdg-data/qun/default").path),
                       "the default store is not created by a failing command")
    }
}
