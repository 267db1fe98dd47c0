import Foundation
import QunCore
import QunStore
import XCTest

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A real `qun serve` answers nobody without the team secret: every path of
/// schema/sync-api.json (and any other) gets 401 and a body that tells nothing about the
/// store; another team's `qun sync` fails clearly and changes nothing on either side.
final class SyncAuthEndToEndTests: SyncTestCase {
    /// The paths and methods of schema/sync-api.json.
    static let endpoints: [(method: String, path: String)] = [
        ("POST", "/v2/info"), ("POST", "/v2/pull"), ("POST", "/v2/push"), ("POST", "/v2/snapshot"),
        ("POST", "/v2/roster"), ("POST", "/v2/join"),
        // Protocol 1, from older releases: told to upgrade when signed, refused like the rest when not.
        ("GET", "/v1/info"), ("POST", "/v1/pull"), ("POST", "/v1/push"), ("GET", "/v1/snapshot"),
    ]

    private var store: URL!
    private var secrets: [String] = []

    /// A served store with members whose names, ids and phone numbers no refusal may show.
    private func servedStore() throws -> ServeProcess {
        store = initStore("served", operator: "林晓")
        let people = [("张秘密", "13812345678", "wx_zhang_secret"), ("李机密", "13987654321", "wx_li_secret")]
        for (name, phone, wechat) in people {
            let id = addMember(name, ["--phone", phone, "--wechat", wechat, "--tag", "内部标签"], store: store)
            secrets += [name, phone, wechat, id, String(id.prefix(12))]
        }
        let status = status(store)
        secrets += ["林晓", "内部标签"]
        secrets += vector(status).keys.map { String($0) }
        // The team id is known to the other side already; the secret is not.
        if let team = stringField(status, "team") { teamID = team }
        return try serve(store)
    }

    private var teamID = ""

    /// The schema file itself, to make sure the list above covers every path it names.
    func testEndpointListMatchesTheSchema() throws {
        let schema = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("schema/sync-api.json")
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: schema)) as? [String: Any])
        let paths = try XCTUnwrap(object["paths"] as? [String: [String: Any]])
        var listed: Set<String> = []
        for (path, operations) in paths {
            for method in operations.keys { listed.insert("\(method.uppercased()) \(path)") }
        }
        XCTAssertEqual(listed, Set(Self.endpoints.map { "\($0.method) \($0.path)" }))
    }

    func testRequestsWithoutTheSecretGet401AndLearnNothing() throws {
        let server = try servedStore()
        let randomReplica = String(repeating: "ab", count: 16)
        let now = String(Int64(Date().timeIntervalSince1970 * 1000))
        let bodies: [String: Data] = [
            "/v1/pull": Data(#"{"vector":""}"#.utf8),
            "/v1/push": Data("QCB1 not really a batch".utf8),
            "/v2/info": Data("QSL1 not really an envelope".utf8),
            "/v2/pull": Data("QSL1 not really an envelope".utf8),
            "/v2/push": Data("QSL1 not really an envelope".utf8),
            "/v2/snapshot": Data("QSL1 not really an envelope".utf8),
        ]
        // No headers at all; all headers but a signature made without the secret; another
        // team; a malformed scheme.
        let credentials: [(String, [String: String])] = [
            ("no credentials", [:]),
            ("wrong secret", [
                "X-Qun-Team": teamID, "X-Qun-Replica": randomReplica, "X-Qun-Time": now,
                "Authorization": "Qun-HMAC-SHA256 " + String(repeating: "0f", count: 32),
            ]),
            ("another team", [
                "X-Qun-Team": String(repeating: "cd", count: 16), "X-Qun-Replica": randomReplica, "X-Qun-Time": now,
                "Authorization": "Qun-HMAC-SHA256 " + String(repeating: "1e", count: 32),
            ]),
            ("bearer token", [
                "X-Qun-Team": teamID, "X-Qun-Replica": randomReplica, "X-Qun-Time": now,
                "Authorization": "Bearer " + String(repeating: "2d", count: 32),
            ]),
        ]
        let extraPaths: [(method: String, path: String)] = [("GET", "/"), ("GET", "/v1/nope"), ("POST", "/v1/info"), ("GET", "/v2/nope")]
        for (label, headers) in credentials {
            for endpoint in Self.endpoints + extraPaths {
                let answer = try request(
                    server.url, endpoint.method, endpoint.path, headers: headers, body: bodies[endpoint.path])
                let what = "\(label): \(endpoint.method) \(endpoint.path)"
                XCTAssertEqual(answer.status, 401, "\(what): \(answer.text)")
                XCTAssertLessThan(answer.body.count, 1_000, "\(what): a short refusal")
                for secret in secrets {
                    XCTAssertFalse(answer.text.contains(secret), "\(what) leaks '\(secret)': \(answer.text)")
                    for (name, value) in answer.headers {
                        XCTAssertFalse(value.contains(secret), "\(what) leaks '\(secret)' in header \(name)")
                    }
                }
                XCTAssertNil(answer.header("X-Qun-Vector"), "\(what): no vector in a refusal")
                XCTAssertNil(answer.header("X-Qun-Signature"), "\(what): a refusal is not signed")
                if endpoint.path.hasPrefix("/v1/") || endpoint.path.hasPrefix("/v2/"), endpoint.path != "/v1/nope", endpoint.path != "/v2/nope" {
                    XCTAssertTrue(answer.text.contains("\"error\""), "\(what): an Error body: \(answer.text)")
                }
            }
        }
        // The server is unharmed and still refuses nothing to its team.
        XCTAssertFalse(server.child.hasExited, server.child.stderr)
        let teammate = joinEmpty("teammate", operator: "王", inviter: store)
        sync(teammate, with: server.url)
        XCTAssertEqual(export(teammate), export(store))
    }

    func testAnotherTeamCannotSync() throws {
        let server = try servedStore()
        let servedBefore = export(store)

        // A store of another team (init without --join).
        let stranger = initStore("stranger", operator: "外人")
        addMember("外来者", ["--tag", "别的团队"], store: stranger)
        let strangerBefore = export(stranger)
        let failed = qunFails(["sync", server.url], store: stranger)
        XCTAssertTrue(failed.stderr.contains(server.url), "names the peer: \(failed.stderr)")
        XCTAssertTrue(failed.stderr.localizedCaseInsensitiveContains("team"), "says it is about the team: \(failed.stderr)")
        for secret in secrets {
            XCTAssertFalse(failed.stderr.contains(secret), "the refusal leaks '\(secret)': \(failed.stderr)")
        }
        XCTAssertEqual(export(stranger), strangerBefore)
        XCTAssertEqual(export(store), servedBefore)

        // Registered as a peer and synced by name: the same refusal, in JSON too.
        qun(["peer", "add", "lin", server.url], store: stranger)
        qunFails(["sync", "lin", "--json"], store: stranger, stderrContains: ["team"])
        XCTAssertEqual(export(stranger), strangerBefore)

        // A store with the right team id but another secret (a forged or outdated invite):
        // its requests are signed, but with the wrong key.
        let forgedDirectory = path("forged")
        let team = try XCTUnwrap(ReplicaID(hex: teamID))
        do {
            let forged = try Store.create(
                at: forgedDirectory, operatorName: "冒充者", team: Store.Team(id: team, secret: Array(repeating: 7, count: 32)))
            _ = try forged.addMember(MemberDraft(name: "冒充的成员"))
            try forged.database.close()
        }
        let forgedBefore = export(forgedDirectory)
        let refused = qunFails(["sync", server.url], store: forgedDirectory)
        XCTAssertTrue(refused.stderr.contains(server.url), refused.stderr)
        XCTAssertEqual(export(forgedDirectory), forgedBefore)
        XCTAssertEqual(export(store), servedBefore, "nothing was pushed into the served store")
        XCTAssertFalse(server.child.hasExited, server.child.stderr)
        for secret in secrets {
            XCTAssertFalse(server.child.stderr.contains(secret), "the server log leaks '\(secret)'")
        }
    }

    // MARK: - Plain HTTP

    struct Answer {
        var status: Int
        var body: Data
        var headers: [String: String]
        var text: String { String(decoding: body, as: UTF8.self) }

        func header(_ name: String) -> String? {
            headers.first { $0.key.caseInsensitiveCompare(name) == .orderedSame }?.value
        }
    }

    private final class Box: @unchecked Sendable {
        var answer: Result<Answer, any Error>?
    }

    /// One plain request through URLSession, synchronously.
    private func request(_ base: String, _ method: String, _ path: String, headers: [String: String], body: Data?) throws -> Answer {
        var request = URLRequest(url: try XCTUnwrap(URL(string: base + path)))
        request.httpMethod = method
        request.timeoutInterval = 10
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        if let body {
            request.httpBody = body
            request.setValue(path == "/v1/push" ? "application/x-qun-batch" : "application/json", forHTTPHeaderField: "Content-Type")
        }
        let box = Box()
        let done = DispatchSemaphore(value: 0)
        let session = URLSession(configuration: .ephemeral)
        defer { session.finishTasksAndInvalidate() }
        session.dataTask(with: request) { data, response, error in
            if let error {
                box.answer = .failure(error)
            } else if let response = response as? HTTPURLResponse {
                var fields: [String: String] = [:]
                for (key, value) in response.allHeaderFields {
                    fields["\(key)"] = "\(value)"
                }
                box.answer = .success(Answer(status: response.statusCode, body: data ?? Data(), headers: fields))
            }
            done.signal()
        }.resume()
        guard done.wait(timeout: .now() + 20) == .success, let answer = box.answer else {
            throw ServeProcess.StartFailed(description: "\(method) \(path): no answer")
        }
        return try answer.get()
    }
}
