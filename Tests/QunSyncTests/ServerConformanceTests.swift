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

        /// The roster's operations need a roster laptop's key or an invite, which these probes
        /// (signed with the team secret) do not have: `RosterEndToEndTests` and
        /// `SyncAuthEndToEndTests` drive them.
        static let rosterPaths: Set<String> = [SyncAPI.rosterPath, SyncAPI.joinPath]

        /// `["/v2/info": ["post": operation], ...]`
        var operations: [(path: String, method: String, operation: [String: Any])] {
            let paths = (document["paths"] as? [String: Any] ?? [:]).filter { !Contract.rosterPaths.contains($0.key) }
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
            let optional = (header as? [String: Any])?["required"] as? Bool == false
            if !optional {
                XCTAssertNotNil(value, "\(what): documented header \(name) is missing", file: file, line: line)
            }
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

    /// One probe: a request that should provoke `status`.
    private struct Probe {
        var status: Int
        var method: HTTPMethod = .POST
        var body: [UInt8]
        var signing: Signing = .valid
        var sealing: Sealing = .sealed
        var compress = false
        var binding: String?
    }

    /// Requests that should provoke each documented status of each operation.
    private func probes(for path: String, store: Store, client: Store) throws -> [Probe] {
        let oversize = [UInt8](repeating: 0x20, count: SyncAPI.maximumBodyBytes + 1)
        let empty = Array("{}".utf8)
        var probes = [
            Probe(status: 401, body: empty, signing: .none),
            Probe(status: 401, body: empty, signing: .stampedOff(SyncAPI.freshnessWindowMilliseconds + 60_000)),
            Probe(status: 400, body: empty, sealing: .clear),
            Probe(status: 413, body: oversize, sealing: .clear),
        ]
        switch path {
        case SyncAPI.pullPath:
            let binding = SealContext.pullBinding(after: nil)
            probes.append(Probe(status: 200, body: Array(try JSONEncoder().encode(PullRequest(vector: "", limit: 3))), binding: binding))
            probes.append(Probe(status: 400, body: Array("{".utf8)))
        case SyncAPI.pushPath:
            let frame = try SealedFrame.encode(
                head: PushHead(vector: try client.versionVector().description), batch: ChangeBatch.encode(try client.changes()))
            probes.append(Probe(status: 200, body: frame))
            probes.append(Probe(status: 400, body: Array("garbage".utf8)))
            let clash = try store.changes().filter { $0.id.replica == store.replica }.map { change -> Change in
                var change = change
                change.hlc = HLC(rawValue: change.hlc.rawValue + 1)
                return change
            }
            probes.append(Probe(status: 409, body: try SealedFrame.encode(head: PushHead(vector: nil), batch: ChangeBatch.encode(clash))))
            probes.append(Probe(status: 413, body: [UInt8](repeating: 0, count: SyncAPI.maximumBodyBytes + 1), compress: true))
        case SyncAPI.infoPath, SyncAPI.snapshotPath:
            probes.append(Probe(status: 200, body: empty))
        default:
            // Protocol 1: whatever the body, an older laptop is told to upgrade.
            probes = [
                Probe(status: 401, method: .GET, body: [], signing: .none),
                Probe(status: 426, method: path.hasSuffix("pull") || path.hasSuffix("push") ? .POST : .GET, body: Array(#"{"vector":""}"#.utf8), sealing: .clear),
            ]
        }
        return probes
    }

    func testEveryDocumentedOperationAnswersAsDocumented() async throws {
        let contract = try Contract()
        let operations = contract.operations
        XCTAssertEqual(Set(operations.map { "\($0.method) \($0.path)" }),
                       ["POST /v2/info", "POST /v2/pull", "POST /v2/push", "POST /v2/snapshot",
                        "GET /v1/info", "POST /v1/pull", "POST /v1/push", "GET /v1/snapshot"])
        let (store, _) = try storeWithThreeReplicas()
        let peer = try await serve(store)
        let client = try makeStore("阿杰", team: store.team)
        try client.add("李四")

        for (path, method, operation) in operations {
            let documented = (operation["responses"] as? [String: Any] ?? [:])
            let responses = documented.keys.compactMap { Int($0) }.filter { status in
                contract.response(operation, status: status)?["x-qun-not-probed"] as? Bool != true
            }
            var provoked: Set<Int> = []
            for probe in try probes(for: path, store: store, client: client) {
                let what = "\(method) \(path) expecting \(probe.status)"
                let reply = try await peer.send(probe.method, path, body: probe.body, signing: probe.signing,
                                                sealing: probe.sealing, binding: probe.binding, compress: probe.compress)
                XCTAssertEqual(reply.status, probe.status, "\(what): \(reply.text.prefix(200))")
                check(reply, against: contract, operation, what)
                switch probe.signing {
                case .valid, .stampedOff:
                    if reply.status != 413 || probe.compress {
                        XCTAssertEqual(reply.signatureValid, true, "\(what): X-Qun-Signature verifies")
                    }
                default: break
                }
                if reply.status == 200 { XCTAssertEqual(reply.opened, true, "\(what): the answer opens") }
                provoked.insert(reply.status)
            }
            XCTAssertEqual(provoked, Set(responses), "\(method) \(path): every documented status is exercised")
        }
    }

    func testNothingUndocumentedAnswers() async throws {
        let contract = try Contract()
        // Protocol 1's operations answer only 426 (see above); the rest must answer 200 or 404.
        let documented = Set(contract.operations.filter { $0.operation["deprecated"] as? Bool != true }.map { "\($0.method) \($0.path)" })
        let store = try makeStore("林晓")
        let peer = try await serve(store)
        let paths = [SyncAPI.infoPath, SyncAPI.pullPath, SyncAPI.pushPath, SyncAPI.snapshotPath,
                     "/v2/unknown", "/", "/v3/info", "/v2/info/extra"]
        let methods: [HTTPMethod] = [.GET, .POST, .PUT, .DELETE, .PATCH]
        var answered: Set<String> = []
        for path in paths {
            for method in methods {
                let body = path == SyncAPI.pullPath ? Array(#"{"vector":""}"#.utf8)
                    : path == SyncAPI.pushPath ? try SealedFrame.encode(head: PushHead(vector: nil), batch: ChangeBatch.encode([]))
                    : Array("{}".utf8)
                let reply = try await peer.send(method, path, body: body,
                                                binding: path == SyncAPI.pullPath ? SealContext.pullBinding(after: nil) : nil)
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
