import Foundation
import XCTest

/// `qun serve --tls-cert/--tls-key` for a hub on the internet: teammates sync over HTTPS
/// with the hub's own certificate (`--tls-ca`), a laptop that does not trust it is told so,
/// and the sealed payloads travel inside TLS, so that even the clear routing headers are
/// hidden from the network.
final class TLSEndToEndTests: SyncTestCase {
    /// A self-signed certificate for 127.0.0.1 and its key, made with the openssl command.
    private func makeCertificate(file: StaticString = #filePath, line: UInt = #line) throws -> (certificate: String, key: String) {
        let directory = path("tls")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let certificate = directory.appendingPathComponent("hub.pem").path
        let key = directory.appendingPathComponent("hub-key.pem").path
        let openssl = Process()
        openssl.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        openssl.arguments = ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                             "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                             "-keyout", key, "-out", certificate]
        openssl.standardOutput = FileHandle.nullDevice
        openssl.standardError = FileHandle.nullDevice
        try openssl.run()
        openssl.waitUntilExit()
        XCTAssertEqual(openssl.terminationStatus, 0, "openssl could not make a certificate", file: file, line: line)
        return (certificate, key)
    }

    func testTeammatesSyncWithAHubOverHTTPSAndTheWireShowsNotEvenTheHeaders() throws {
        let (certificate, key) = try makeCertificate()
        let hub = initStore("hub", operator: "林晓")
        addMember("张三", ["--phone", "13912345678", "--wechat", "wx_zhang_88", "--city", "杭州"], store: hub)
        let server = try serve(hub, arguments: ["--tls-cert", certificate, "--tls-key", key])
        XCTAssertTrue(server.url.hasPrefix("https://127.0.0.1:"), server.url)
        let proxy = try RecordingProxy(inFrontOf: server.url)
        defer { proxy.stop() }
        let address = "https://127.0.0.1:\(proxy.port)"
        let code = invite(hub, url: address)

        // A laptop that does not trust the hub's certificate is told what to do, and nothing
        // is created.
        let untrusting = path("untrusting")
        qunFails(["init", "--name", "阿杰", "--join", code], store: untrusting, stderrContains: ["certificate", "--tls-ca"])
        XCTAssertFalse(FileManager.default.fileExists(atPath: untrusting.appendingPathComponent("store.sqlite").path))

        // With the certificate: the join, then a sync both ways.
        let laptop = path("laptop")
        qun(["init", "--name", "阿杰", "--join", code, "--tls-ca", certificate], store: laptop)
        addMember("李四", ["--notes", "只在周末回复"], store: laptop)
        let report = sync(laptop, with: address, options: ["--tls-ca", certificate])
        XCTAssertEqual(report["sent"].flatMap(intValue).map { $0 > 0 }, true, "\(report)")
        XCTAssertEqual(export(laptop), export(hub))
        qunFails(["sync", address], store: laptop, stderrContains: ["--tls-ca"])

        // On the wire: TLS records only. No record, no header name, not even the team id.
        proxy.stop()
        let recording = proxy.recording()
        XCTAssertFalse(recording.isEmpty)
        let teamID = try XCTUnwrap(stringField(status(hub), "team"))
        for connection in recording {
            XCTAssertEqual(connection.clientToServer.first, 0x16, "connection \(connection.index) opens with a TLS handshake")
            for direction in [RecordingProxy.Direction.clientToServer, .serverToClient] {
                let bytes = connection.bytes(direction)
                for needle in ["张三", "李四", "13912345678", "wx_zhang_88", "只在周末回复", "林晓", "X-Qun-Team", "POST /v2", teamID] {
                    XCTAssertFalse(contains(bytes, Array(needle.utf8)), "connection \(connection.index) \(direction): '\(needle.unicodeScalars.allSatisfy(\.isASCII) ? needle : "a member field")' readable")
                }
            }
        }
    }

    func testServeRefusesHalfAndUnusableTLSFiles() throws {
        let hub = initStore("hub", operator: "林晓")
        let (certificate, key) = try makeCertificate()
        qunFails(["serve", "--listen", "127.0.0.1:0", "--tls-cert", certificate], store: hub, stderrContains: ["--tls-key"])
        qunFails(["serve", "--listen", "127.0.0.1:0", "--tls-key", key], store: hub, stderrContains: ["--tls-cert"])
        let garbage = path("garbage.pem")
        try Data("not a certificate".utf8).write(to: garbage)
        qunFails(["serve", "--listen", "127.0.0.1:0", "--tls-cert", garbage.path, "--tls-key", key], store: hub,
                 stderrContains: ["cannot serve HTTPS", "garbage.pem"])
        qunFails(["serve", "--listen", "127.0.0.1:0", "--tls-cert", certificate, "--tls-key", certificate], store: hub,
                 stderrContains: ["cannot serve HTTPS", "private key"])
        qunFails(["sync", "https://127.0.0.1:1", "--tls-ca", garbage.path], store: hub, stderrContains: ["cannot trust the certificates"])
    }

    private func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard !needle.isEmpty, haystack.count >= needle.count else { return false }
        return (0...(haystack.count - needle.count)).contains { haystack[$0..<($0 + needle.count)].elementsEqual(needle) }
    }
}
