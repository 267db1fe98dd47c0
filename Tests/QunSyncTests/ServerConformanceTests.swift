import Foundation
import NIOHTTP1
import QunCore
import QunStore
import QunSync
import XCTest

/// The server against its contract, `schema/sync-api.json`: every documented operation
/// answers only documented statuses, with the documented headers and media types, and
/// nothing undocumented answers at all.
final class ServerConformanceTests: ServerTestCase {
    /// The OpenAPI document, with `$ref`s resolved on demand.
    private struct Contract {
        let document: [String: Any]

        init() throws {
            let url = URL(fileURLWithPath: #filePath)
                .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
                .appendingPathComponent("schema/sync-api.json")
            let object = try JSONSerialization.jsonObject(with: Data(contentsOf: url))
            document = try XCTUnwrap(object as? [String: Any], "sync-api.json is a JSON object")
        }

        /// `["/v1/info": ["get": operation], ...]`
        var operations: [(path: String, method: String, operation: [String: Any])] {
            let paths = document["paths"] as? [String: Any] ?? [:]
            return paths.sorted { $0.key < $1.key }.flatMap { path, item in
                (item as? [String: Any] ?? [:]).sorted { $0.key < $1.key }.compactMap { method, operation in
                    (operation as? [String: Any]).map { (path, method.uppercased(), $0) }
                }
            }
        }

        func resolve(_ value: Any?) -> [String: Any] {
            guard var object = value as? [String: Any] else { return [:] }
            while let reference = object["$ref"] as? String, reference.hasPrefix("#/") {
                var target: Any? = document
                for key in reference.dropFirst(2).split(separator: "/") {
                    target = (target as? [String: Any])?[String(key)]
                }
                object = target as? [String: Any] ?? [:]
            }
            return object
        }

        /// The documented response for a status, resolved; nil when undocumented.
        func response(_ operation: [String: Any], status: Int) -> [String: Any]? {
            guard let responses = operation["responses"] as? [String: Any], let response = responses[String(status)] else {
                return nil
            }
            return resolve(response)
        }
    }

    /// Checks one answer against the documented response for its status.
    private func check(
        _ reply: Reply, against contract: Contract, _ operation: [String: Any], _ what: String,
        file: StaticString = #filePath, line: UInt = #line
    ) {
        guard let response = contract.response(operation, status: reply.status) else {
            XCTFail("\(what): status \(reply.status) is not documented (\(reply.text.prefix(200)))", file: file, line: line)
            return
        }
        let headers = response["headers"] as? [String: Any] ?? [:]
        for (name, header) in headers {
            let value = reply[name]
            XCTAssertNotNil(value, "\(what): documented header \(name) is missing", file: file, line: line)
            let schema = contract.resolve(contract.resolve(header)["schema"])
            if let value, let pattern = schema["pattern"] as? String {
                XCTAssertNotNil(value.range(of: pattern, options: .regularExpression),
                                "\(what): \(name) '\(value)' does not match \(pattern)", file: file, line: line)
            }
            if let value, let allowed = schema["enum"] as? [String] {
                XCTAssertTrue(allowed.contains(value), "\(what): \(name) '\(value)' not in \(allowed)", file: file, line: line)
            }
        }
        let content = response["content"] as? [String: Any] ?? [:]
        if content.isEmpty {
            XCTAssertTrue(reply.body.isEmpty, "\(what): no content is documented", file: file, line: line)
        } else {
            let mediaType = reply["Content-Type"]?.split(separator: ";").first.map {
                $0.trimmingCharacters(in: .whitespaces)
            }
            XCTAssertTrue(mediaType.map { content.keys.contains($0) } ?? false,
                          "\(what): Content-Type \(reply["Content-Type"] ?? "none") is not one of \(content.keys.sorted())",
                          file: file, line: line)
            if mediaType == SyncAPI.jsonMediaType {
                let schema = contract.resolve(contract.resolve(content[SyncAPI.jsonMediaType])["schema"])
                let object = (try? JSONSerialization.jsonObject(with: Data(reply.body))) as? [String: Any]
                XCTAssertNotNil(object, "\(what): the body is a JSON object", file: file, line: line)
                for key in schema["required"] as? [String] ?? [] {
                    XCTAssertNotNil(object?[key], "\(what): required property '\(key)' is missing", file: file, line: line)
                }
                let properties = schema["properties"] as? [String: Any] ?? [:]
                for key in object?.keys.sorted() ?? [] {
                    XCTAssertNotNil(properties[key], "\(what): property '\(key)' is not documented", file: file, line: line)
                }
            }
        }
    }

    /// Requests that should provoke each documented status of each operation.
    private func probes(
        for path: String, store: Store, client: Store
    ) throws -> [(status: Int, body: [UInt8], headers: [String: String], signing: Signing)] {
        var probes: [(Int, [UInt8], [String: String], Signing)] = []
        let oversize = [UInt8](repeating: 0x20, count: SyncAPI.maximumBodyBytes + 1)
        switch path {
        case SyncAPI.pullPath:
            let pull = Array(try JSONEncoder().encode(PullRequest(vector: "", limit: 3)))
            probes.append((200, pull, [:], .valid))
            probes.append((200, pull, ["Accept-Encoding": "gzip"], .valid))
            probes.append((400, Array("{".utf8), [:], .valid))
            probes.append((401, pull, [:], .none))
            probes.append((413, oversize, [:], .valid))
        case SyncAPI.pushPath:
            let batch = ChangeBatch.encode(try client.changes())
            probes.append((200, batch, [SyncAPI.vectorHeader: try client.versionVector().description], .valid))
            probes.append((400, Array("garbage".utf8), [:], .valid))
            probes.append((401, batch, [:], .none))
            let clash = try store.changes().filter { $0.id.replica == store.replica }.map { change -> Change in
                var change = change
                change.hlc = HLC(rawValue: change.hlc.rawValue + 1)
                return change
            }
            probes.append((409, ChangeBatch.encode(clash), [:], .valid))
            probes.append((413, try gzip([UInt8](repeating: 0, count: SyncAPI.maximumBodyBytes + 1)), ["Content-Encoding": "gzip"], .valid))
        default:
            probes.append((200, [], [:], .valid))
            probes.append((401, [], [:], .none))
        }
        return probes
    }

    func testEveryDocumentedOperationAnswersAsDocumented() async throws {
        let contract = try Contract()
        let operations = contract.operations
        XCTAssertEqual(Set(operations.map { "\($0.method) \($0.path)" }),
                       ["GET /v1/info", "POST /v1/pull", "POST /v1/push", "GET /v1/snapshot"])
        let (store, _) = try storeWithThreeReplicas()
        let peer = try await serve(store)
        let client = try makeStore("阿杰", team: store.team)
        try client.add("李四")

        for (path, method, operation) in operations {
            let responses = (operation["responses"] as? [String: Any] ?? [:]).keys.compactMap { Int($0) }
            var provoked: Set<Int> = []
            for probe in try probes(for: path, store: store, client: client) {
                let what = "\(method) \(path) expecting \(probe.status)"
                let reply = try await peer.send(HTTPMethod(rawValue: method), path, body: probe.body,
                                                headers: probe.headers, signing: probe.signing)
                XCTAssertEqual(reply.status, probe.status, "\(what): \(reply.text.prefix(200))")
                check(reply, against: contract, operation, what)
                if case .valid = probe.signing, reply.status != 413 || probe.headers["Content-Encoding"] != nil {
                    XCTAssertEqual(reply.signatureValid, true, "\(what): X-Qun-Signature verifies")
                }
                provoked.insert(reply.status)
            }
            XCTAssertEqual(provoked, Set(responses), "\(method) \(path): every documented status is exercised")
        }
    }

    func testNothingUndocumentedAnswers() async throws {
        let contract = try Contract()
        let documented = Set(contract.operations.map { "\($0.method) \($0.path)" })
        let store = try makeStore("林晓")
        let peer = try await serve(store)
        let paths = [SyncAPI.infoPath, SyncAPI.pullPath, SyncAPI.pushPath, SyncAPI.snapshotPath,
                     "/v1/unknown", "/", "/v2/info", "/v1/info/extra"]
        let methods: [HTTPMethod] = [.GET, .POST, .PUT, .DELETE, .PATCH]
        var answered: Set<String> = []
        for path in paths {
            for method in methods {
                let body = method == .POST && path == SyncAPI.pullPath ? Array(#"{"vector":""}"#.utf8)
                    : method == .POST && path == SyncAPI.pushPath ? ChangeBatch.encode([]) : []
                let reply = try await peer.send(method, path, body: body)
                XCTAssertEqual(reply.signatureValid, true, "\(method) \(path): even a 404 is signed")
                let key = "\(method.rawValue) \(path)"
                if documented.contains(key) {
                    XCTAssertEqual(reply.status, 200, key)
                    answered.insert(key)
                } else {
                    XCTAssertEqual(reply.status, 404, "\(key) is not documented, so it must not answer")
                }
            }
        }
        XCTAssertEqual(answered, documented, "every documented operation answers")
    }
}
