import Foundation
import XCTest

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What a stranger on the network gets out of a sync: nothing readable, and nothing to gain
/// by sending captured requests again.
///
/// Real `qun serve` and `qun sync` processes talk through a `RecordingProxy`, which plays the
/// eavesdropper (a café Wi-Fi, a relay). Every value a member record holds, the operators'
/// names, the team secret and the invite are looked for, as raw UTF-8 bytes, in every byte
/// that crossed the proxy, in every de-chunked body and in whatever any gzip stream in them
/// inflates to: compression hides nothing. A bundle file, which travels by USB stick or chat,
/// gets the same search. Then the proxy plays the stranger who replays what it captured,
/// at once and after the fact.
///
/// Each test also checks that the data really moved (the other store has it, the expected
/// requests were answered through the proxy), so none can pass by recording nothing.
final class EavesdropperEndToEndTests: SyncTestCase {
    /// A clock six minutes ahead: later than any window in which a server accepts a request.
    static let sixMinutesAhead = ["QUN_CLOCK_OFFSET_MS": "360000"]

    private var proxies: [RecordingProxy] = []

    override func tearDownWithError() throws {
        for proxy in proxies { proxy.stop() }
        proxies = []
        try super.tearDownWithError()
    }

    // MARK: - Tests

    /// B joins A's team through the proxy (snapshot), both edit, B syncs through it both ways:
    /// nothing of the records, the operators or the secret can be read on the way.
    func testNothingReadableCrossesTheWire() throws {
        let a = initStore("a", operator: Self.founder)
        let foundingIDs = add(Self.foundingMembers, to: a)
        let server = try serve(a)
        let proxy = try startProxy(inFrontOf: server)
        let code = invite(a, url: proxy.url)
        let b = path("b")
        qun(["init", "--name", Self.joiner, "--join", code], store: b)

        // Both edit after the join: A's edits come down in a pull, B's go up in a push.
        qun(["member", "edit", foundingIDs[0], "--notes", Self.laterNote], store: a)
        let latecomerIDs = add([Self.latecomer], to: a)
        let newcomerIDs = add([Self.newcomer], to: b)
        qun(["member", "edit", foundingIDs[1], "--city", Self.movedCity, "--tag", Self.addedTag], store: b)
        let report = sync(b, with: proxy.url)
        XCTAssertGreaterThan(report["sent"].flatMap(intValue) ?? 0, 0, "B's edits went up: \(report)")
        XCTAssertGreaterThan(report["received"].flatMap(intValue) ?? 0, 0, "A's edits came down: \(report)")

        // The data really moved, and through the proxy.
        let exported = export(a)
        XCTAssertEqual(export(b), exported, "A and B hold the same after the sync")
        let members = exportedMembers(exported)
        let everyone = Self.foundingMembers + [Self.latecomer, Self.newcomer]
        XCTAssertEqual(Set(members.keys), Set(foundingIDs + latecomerIDs + newcomerIDs))
        XCTAssertEqual(Set(members.values.compactMap { stringField($0, "name") }), Set(everyone.map(\.name)))
        XCTAssertEqual(stringField(members[foundingIDs[0]], "notes"), Self.laterNote)
        XCTAssertEqual(stringField(members[foundingIDs[1]], "city"), Self.movedCity)
        let peers = try XCTUnwrap(jsonArray(qun(["peer", "list", "--json"], store: b)))
        XCTAssertEqual(peers.compactMap { stringField($0, "url") }, [proxy.url], "B knows A by the proxy's address only")
        let recording = proxy.recording()
        assertSomethingRecorded(recording)
        assertAnswered(proxy.exchanges(), ["info", "snapshot", "pull", "push"])

        let needles = memberNeedles(everyone, ids: foundingIDs + latecomerIDs + newcomerIDs,
                                    extra: [("laterNote", Self.laterNote), ("movedCity", Self.movedCity), ("addedTag", Self.addedTag)])
            + operatorNeedles() + (try secretNeedles(invite: code))
        assertSearchSees(recording, teamOf: a)
        assertUnreadable(needles, in: haystacks(recording), "on the wire")
    }

    /// The snapshot a new laptop starts from is the whole store, team secret included (the
    /// SQLite file holds it): through the proxy it must be as unreadable as any page.
    func testTheSnapshotIsUnreadable() throws {
        let a = initStore("a", operator: Self.founder)
        let ids = add(Self.foundingMembers + [Self.latecomer], to: a)
        let server = try serve(a)
        let proxy = try startProxy(inFrontOf: server)
        let code = invite(a, url: proxy.url)
        let b = path("b")
        let joined = qun(["init", "--name", Self.joiner, "--join", code], store: b)
        XCTAssertTrue(joined.contains("snapshot"), "B joined from a snapshot: \(joined)")

        // B starts with A's records: the snapshot came through the proxy.
        XCTAssertEqual(Set(exportedMembers(export(b)).keys), Set(ids))
        let snapshots = proxy.exchanges().filter { $0.request.path?.hasSuffix("/snapshot") == true }
        XCTAssertEqual(snapshots.count, 1, "one snapshot download through the proxy: \(proxy.exchanges().map(\.description))")
        let answer = try XCTUnwrap(snapshots.first?.response, "the snapshot's answer was recorded")
        XCTAssertEqual(answer.status, 200, answer.startLine)
        XCTAssertGreaterThanOrEqual(answer.body.count, 4096, "at least one SQLite page came down")

        let needles = memberNeedles(Self.foundingMembers + [Self.latecomer], ids: ids)
            + operatorNeedles(joined: false) + (try secretNeedles(invite: code))
            + [Needle(label: "the header of an SQLite file ('SQLite format 3')", bytes: Array("SQLite format 3\u{0}".utf8))]
        assertSearchSees(proxy.recording(), teamOf: a)
        assertUnreadable(needles, in: haystacks(proxy.recording()), "in the join's traffic")
    }

    /// A bundle file goes wherever files go (a USB stick, a chat, a mail): the records in it
    /// must be unreadable without the team key, compressed or not, and a teammate still
    /// imports it.
    func testABundleFileIsUnreadable() throws {
        let a = initStore("a", operator: Self.founder)
        let people = Self.foundingMembers + [Self.latecomer]
        let ids = add(people, to: a)
        qun(["member", "edit", ids[0], "--notes", Self.laterNote], store: a)
        let code = invite(a)
        let bundle = path("a.qunbundle")
        qun(["bundle", "export", bundle.path], store: a)
        let bytes = [UInt8](try Data(contentsOf: bundle))
        XCTAssertGreaterThan(bytes.count, 0, "the bundle file is not empty")

        // The header of a bundle may name its sender; the records and the secret must not show.
        let needles = memberNeedles(people, ids: ids, extra: [("laterNote", Self.laterNote)])
            + (try secretNeedles(invite: code))
        assertUnreadable(needles, in: withInflatedGzip([Haystack(place: "the bundle file", bytes: bytes)]), "in the bundle file")

        // A teammate reads it all.
        let b = joinEmpty("b", operator: Self.joiner, inviter: a)
        qun(["bundle", "import", bundle.path], store: b)
        let members = exportedMembers(export(b))
        XCTAssertEqual(Set(members.keys), Set(ids))
        XCTAssertEqual(Set(members.values.compactMap { stringField($0, "name") }), Set(people.map(\.name)))
        XCTAssertEqual(stringField(members[ids[0]], "notes"), Self.laterNote)
    }

    /// Requests captured on the way and sent again byte for byte get a 401 and nothing else:
    /// at once (the server remembers the MACs it has seen) and minutes later (too old), even
    /// after the server restarted and forgot what it had seen.
    func testARecordedRequestReplayedLaterGetsNothing() throws {
        let a = initStore("a", operator: Self.founder)
        let ids = add(Self.foundingMembers, to: a)
        var server = try serve(a)
        let proxy = try startProxy(inFrontOf: server)
        // B starts empty, so its first pull asks for everything A holds.
        let b = joinEmpty("b", operator: Self.joiner, inviter: a)
        let report = sync(b, with: proxy.url)
        XCTAssertGreaterThan(report["received"].flatMap(intValue) ?? 0, 0, "B pulled A's records: \(report)")
        XCTAssertEqual(Set(exportedMembers(export(b)).keys), Set(ids))

        let recorded = proxy.exchanges()
        assertSomethingRecorded(proxy.recording())
        assertAnswered(recorded, ["info", "pull"])
        let needles = memberNeedles(Self.foundingMembers, ids: ids) + operatorNeedles() + (try secretNeedles(invite: invite(a)))

        // At once, straight to the server.
        for exchange in recorded {
            let answer = try proxy.replay(exchange.request)
            let what = "\(exchange.description), replayed at once"
            XCTAssertEqual(answer.status, 401, "\(what): answered '\(answer.startLine)' (\(answer.body.count) bytes), not refused")
            assertUnreadable(needles, in: haystacks(answer, "its answer"), what)
        }
        // The server still serves its team.
        sync(b, with: server.url)

        // Six minutes later, by the server's clock: the same store served again, which has
        // forgotten any request it saw, with its clock six minutes ahead.
        XCTAssertEqual(server.child.stop(), 0, "qun serve stops cleanly: \(server.child.stderr)")
        server = try serve(a, env: Self.sixMinutesAhead)
        let port = try XCTUnwrap(URLComponents(string: server.url)?.port.flatMap { UInt16(exactly: $0) }, server.url)
        for exchange in recorded {
            let answer = try proxy.replay(exchange.request, toPort: port)
            let what = "\(exchange.description), replayed six minutes later"
            XCTAssertEqual(answer.status, 401, "\(what): answered '\(answer.startLine)' (\(answer.body.count) bytes), not refused")
            if answer.status == 401 {
                // Refused for being stale: the refusal tells the server's clock.
                let serverTime = answer.header("X-Qun-Server-Time").flatMap { Int64($0) }
                XCTAssertNotNil(serverTime, "\(what): a stale request's 401 carries X-Qun-Server-Time: \(answer.headers)")
                if let serverTime {
                    let expected = Int64(Date().timeIntervalSince1970 * 1000) + 360_000
                    XCTAssertLessThan(abs(serverTime - expected), 60_000, "\(what): X-Qun-Server-Time \(serverTime) is the server's clock, six minutes ahead")
                }
            }
            assertUnreadable(needles, in: haystacks(answer, "its answer"), what)
        }
        // A laptop whose clock agrees with the server's still syncs.
        sync(b, with: server.url, env: Self.sixMinutesAhead)
    }

    // MARK: - The team

    static let founder = "林晓"
    static let joiner = "王芳"

    /// A member with a value in every free-text field, each one distinctive enough that
    /// finding its bytes anywhere means it was readable there.
    struct Person {
        /// How failure messages name this member: they stay ASCII, because `swift test`
        /// drops whole chunks of a test's output when a multi-byte character straddles two reads.
        var key: String
        var name: String
        var phone: String
        var wechat: String
        var email: String
        var notes: String
        var city: String
        var tag: String

        var options: [String] {
            ["--phone", phone, "--wechat", wechat, "--email", email, "--notes", notes, "--city", city, "--tag", tag]
        }

        var fields: [(String, String)] {
            [("name", name), ("phone", phone), ("WeChat id", wechat), ("email", email), ("notes", notes), ("city", city), ("tag", tag)]
        }
    }

    static let foundingMembers = [
        Person(key: "founding member 1", name: "张秘密伟", phone: "13912345678", wechat: "wx_secret_lin88", email: "zhang.weimi@example.org",
               notes: "只在周末回复的秘密备注", city: "苏州工业园区", tag: "核心读书会"),
        Person(key: "founding member 2", name: "欧阳静怡", phone: "13698765432", wechat: "wx_ouyang_private", email: "ouyang.jingyi@example.net",
               notes: "她的孩子在实验小学读三年级", city: "杭州西溪湿地", tag: "付费会员组"),
    ]
    /// Added on A after B joined: reaches B in a pull.
    static let latecomer = Person(key: "the latecomer", name: "慕容雪晴", phone: "13500001111", wechat: "wx_murong_snow", email: "murong.xq@example.com",
                                  notes: "从线下摄影活动认识的", city: "成都高新区", tag: "线下摄影组")
    /// Added on B: reaches A in a push.
    static let newcomer = Person(key: "the newcomer", name: "司马远航", phone: "13755550123", wechat: "wx_sima_hidden", email: "sima.yuanhang@example.com",
                                 notes: "B端新增的私密备注内容", city: "宁波北仑区", tag: "新人观察组")
    static let laterNote = "周三晚上才方便联系的新备注"
    static let movedCity = "厦门鼓浪屿"
    static let addedTag = "搬家后的新标签"

    /// `member add` for each; their ids, in order.
    private func add(_ people: [Person], to store: URL, file: StaticString = #filePath, line: UInt = #line) -> [String] {
        people.map { addMember($0.name, $0.options, store: store, file: file, line: line) }
    }

    private func startProxy(inFrontOf server: ServeProcess) throws -> RecordingProxy {
        let proxy = try RecordingProxy(inFrontOf: server.url)
        proxies.append(proxy)
        return proxy
    }

    // MARK: - Needles

    /// A byte sequence that must not be found, and what it is, for the failure message.
    struct Needle {
        var label: String
        var bytes: [UInt8]

        /// `value` as UTF-8; the label shows it only when it is ASCII (see `Person.key`).
        static func text(_ what: String, _ value: String) -> Needle {
            Needle(label: value.allSatisfy(\.isASCII) ? "\(what) '\(value)'" : what, bytes: Array(value.utf8))
        }
    }

    private func memberNeedles(_ people: [Person], ids: [String], extra: [(String, String)] = []) -> [Needle] {
        people.flatMap { person in person.fields.map { Needle.text("the \($0.0) of \(person.key)", $0.1) } }
            + ids.map { Needle.text("a member id", $0) }
            + extra.map { Needle.text($0.0, $0.1) }
    }

    private func operatorNeedles(joined: Bool = true) -> [Needle] {
        [Needle.text("the operator name of A (founder)", Self.founder)] + (joined ? [Needle.text("the operator name of B (joiner)", Self.joiner)] : [])
    }

    /// The invite and the team secret it carries, as hex and as its 32 raw bytes.
    private func secretNeedles(invite code: String, file: StaticString = #filePath, line: UInt = #line) throws -> [Needle] {
        let hex = try XCTUnwrap(
            code.split(separator: ":").first { $0.count == 64 && $0.allSatisfy(\.isHexDigit) }.map(String.init),
            "the invite carries the team secret as 64 hex digits: \(code)", file: file, line: line)
        var raw: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            raw.append(UInt8(hex[index..<next], radix: 16)!)
            index = next
        }
        return [
            Needle.text("the invite", code),
            Needle(label: "the team secret in hex '\(hex.prefix(8))...'", bytes: Array(hex.utf8)),
            Needle(label: "the team secret's 32 raw bytes (\(hex.prefix(8))...)", bytes: raw),
        ]
    }

    // MARK: - Haystacks

    /// Bytes to search, and where they came from.
    struct Haystack {
        var place: String
        var bytes: [UInt8]
    }

    /// Every direction of every recorded connection as it crossed the wire, every de-chunked
    /// body (chunk headers could split a needle), and what their gzip streams inflate to.
    private func haystacks(_ recording: [RecordedConnection]) -> [Haystack] {
        var plain: [Haystack] = []
        for connection in recording {
            for direction in RecordingProxy.Direction.allCases {
                let bytes = connection.bytes(direction)
                let place = "connection \(connection.index), \(direction.rawValue)"
                plain.append(Haystack(place: place, bytes: bytes))
                let messages = HTTPMessage.messages(in: bytes, responses: direction == .serverToClient, closed: true)
                for message in messages where message.isChunked {
                    plain.append(Haystack(place: "\(place), de-chunked body of '\(message.startLine)' at offset \(message.offset)",
                                          bytes: message.body))
                }
            }
        }
        return withInflatedGzip(plain)
    }

    /// One raw answer, its de-chunked body, and what its gzip streams inflate to.
    private func haystacks(_ answer: HTTPMessage, _ place: String) -> [Haystack] {
        var plain = [Haystack(place: place, bytes: answer.raw)]
        if answer.isChunked { plain.append(Haystack(place: "\(place), de-chunked body", bytes: answer.body)) }
        return withInflatedGzip(plain)
    }

    /// `haystacks`, plus the output of every gzip stream (magic 1f 8b 08) found in them.
    private func withInflatedGzip(_ haystacks: [Haystack], file: StaticString = #filePath, line: UInt = #line) -> [Haystack] {
        var result = haystacks
        for haystack in haystacks {
            for offset in occurrences(of: [0x1f, 0x8b, 0x08], in: haystack.bytes) {
                let inflated = gunzip(haystack.bytes[offset...], file: file, line: line)
                if !inflated.isEmpty {
                    result.append(Haystack(place: "the gzip stream at offset \(offset) of \(haystack.place), inflated", bytes: inflated))
                }
            }
        }
        return result
    }

    /// What `gzip -dc` makes of `bytes`: the first stream inflated (trailing bytes, such as
    /// the next HTTP message, are ignored), possibly cut short, or nothing when it is no gzip
    /// stream at all (random bytes can start with the magic too). The command-line tool,
    /// because Foundation on Linux has no gzip decoder and this target links no zlib.
    private func gunzip(_ bytes: ArraySlice<UInt8>, file: StaticString, line: UInt) -> [UInt8] {
        let scratch = home.appendingPathComponent(".gunzip", isDirectory: true)
        let token = UUID().uuidString
        let input = scratch.appendingPathComponent("\(token).gz")
        let output = scratch.appendingPathComponent("\(token).out")
        defer {
            try? FileManager.default.removeItem(at: input)
            try? FileManager.default.removeItem(at: output)
        }
        do {
            try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
            try Data(bytes).write(to: input)
            _ = FileManager.default.createFile(atPath: output.path, contents: nil)
            let inHandle = try FileHandle(forReadingFrom: input)
            let outHandle = try FileHandle(forWritingTo: output)
            defer {
                try? inHandle.close()
                try? outHandle.close()
            }
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["gzip", "-d", "-c", "-q"]
            process.standardInput = inHandle
            process.standardOutput = outHandle
            process.standardError = FileHandle.nullDevice
            let finished = DispatchSemaphore(value: 0)
            process.terminationHandler = { _ in finished.signal() }
            try process.run()
            if finished.wait(timeout: .now() + 30) == .timedOut {
                process.terminate()
                XCTFail("gzip -dc did not finish within 30 s", file: file, line: line)
                return []
            }
            // 127: no gzip on this machine; the search would be blind to compressed data.
            XCTAssertNotEqual(process.terminationStatus, 127, "gzip is needed to look into compressed streams", file: file, line: line)
            return [UInt8](try Data(contentsOf: output))
        } catch {
            XCTFail("could not run gzip -dc: \(error)", file: file, line: line)
            return []
        }
    }

    /// Every offset at which `needle` occurs in `bytes`, byte for byte (memchr for the first
    /// byte, memcmp for the rest: recordings hold megabytes, and this runs per needle).
    private func occurrences(of needle: [UInt8], in bytes: [UInt8]) -> [Int] {
        guard !needle.isEmpty, needle.count <= bytes.count else { return [] }
        var found: [Int] = []
        bytes.withUnsafeBytes { haystack in
            needle.withUnsafeBytes { needle in
                guard let base = haystack.baseAddress, let pattern = needle.baseAddress else { return }
                let first = Int32(needle[0])
                var start = 0
                while start + needle.count <= haystack.count,
                      let hit = memchr(base + start, first, haystack.count - start - needle.count + 1) {
                    let offset = UnsafeRawPointer(hit) - base
                    if memcmp(hit, pattern, needle.count) == 0 { found.append(offset) }
                    start = offset + 1
                }
            }
        }
        return found
    }

    // MARK: - Assertions

    /// Fails (once, so that the report stays readable) when any needle is found, naming each
    /// one found and the first places it was found at.
    private func assertUnreadable(_ needles: [Needle], in haystacks: [Haystack], _ context: String,
                                  file: StaticString = #filePath, line: UInt = #line) {
        var readable: [String] = []
        for needle in needles {
            var places: [String] = []
            for haystack in haystacks {
                for offset in occurrences(of: needle.bytes, in: haystack.bytes) {
                    places.append("offset \(offset) of \(haystack.place)")
                }
            }
            guard !places.isEmpty else { continue }
            let shown = places.prefix(3).joined(separator: "; ") + (places.count > 3 ? "; and \(places.count - 3) more" : "")
            readable.append("\(needle.label), found \(places.count) times: \(shown)")
        }
        guard !readable.isEmpty else { return }
        XCTFail("\(context): \(readable.count) of \(needles.count) values looked for can be read:\n  "
                + readable.joined(separator: "\n  "), file: file, line: line)
    }

    /// The proxy saw bytes both ways: a search of an empty recording proves nothing.
    private func assertSomethingRecorded(_ recording: [RecordedConnection], file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertFalse(recording.isEmpty, "no connection went through the proxy", file: file, line: line)
        XCTAssertGreaterThan(recording.map(\.clientToServer.count).reduce(0, +), 0, "nothing was sent through the proxy", file: file, line: line)
        XCTAssertGreaterThan(recording.map(\.serverToClient.count).reduce(0, +), 0, "nothing was answered through the proxy", file: file, line: line)
    }

    /// The team id crosses the wire in clear by design (`X-Qun-Team`, so that a server can
    /// refuse another team's laptop before anything else): finding it proves that the search
    /// looks at the bytes that were really sent.
    private func assertSearchSees(_ recording: [RecordedConnection], teamOf store: URL,
                                  file: StaticString = #filePath, line: UInt = #line) {
        guard let team = stringField(status(store, file: file, line: line), "team") else {
            XCTFail("status --json names no team", file: file, line: line)
            return
        }
        let sent = recording.reduce(0) { $0 + occurrences(of: Array(team.utf8), in: $1.clientToServer).count }
        XCTAssertGreaterThan(sent, 0, "the team id \(team), sent in clear in every request, is not in the recording", file: file, line: line)
    }

    /// A request to each endpoint (the last component of its path) went through the proxy and
    /// was answered 200.
    private func assertAnswered(_ exchanges: [RecordedExchange], _ endpoints: [String],
                                file: StaticString = #filePath, line: UInt = #line) {
        for endpoint in endpoints {
            XCTAssertTrue(
                exchanges.contains { $0.request.path?.hasSuffix("/" + endpoint) == true && $0.response?.status == 200 },
                "no \(endpoint) request was answered 200 through the proxy; recorded: \(exchanges.map(\.description))",
                file: file, line: line)
        }
    }
}
