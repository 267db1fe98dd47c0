import ArgumentParser
import Foundation
import QunStore
import QunSync

/// `qun serve [--listen ADDR:PORT] [--tls-cert FILE --tls-key FILE]`: the HTTP sync endpoint
/// teammates run `qun sync` against.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve sync for teammates over HTTP.",
        discussion: """
            Prints one line, `serving STORE on http://HOST:PORT`, then answers `qun sync` from \
            teammates until interrupted (Ctrl-C or SIGTERM). Every request must be signed with \
            the team secret and made within 5 minutes of this laptop's clock; a copy of a \
            request is refused. It listens on 127.0.0.1 (this laptop only) unless --listen says \
            otherwise, e.g. --listen 0.0.0.0:7420 for the office network; port 0 picks a free \
            port.

            Every page, snapshot and answer is sealed with the team's key (ChaCha20-Poly1305): \
            someone on the network sees the team id, replica ids and sizes, never a record. For \
            a hub on the internet, add HTTPS with --tls-cert and --tls-key (PEM files); \
            teammates then sync with https://HOST:PORT, and --tls-ca FILE when the certificate \
            is the team's own.
            """)

    @OptionGroup var globals: GlobalOptions

    @Option(name: .long, help: ArgumentHelp("The address and port to listen on (port 0: any free port).", valueName: "addr:port"))
    var listen = "127.0.0.1:7420"

    @Option(name: .customLong("tls-cert"), help: ArgumentHelp("Serve HTTPS with this PEM certificate (chain); needs --tls-key.", valueName: "file"))
    var tlsCertificate: String?

    @Option(name: .customLong("tls-key"), help: ArgumentHelp("The PEM private key of --tls-cert.", valueName: "file"))
    var tlsKey: String?

    func validate() throws {
        _ = try ListenAddress(parsing: listen)
        switch (tlsCertificate, tlsKey) {
        case (nil, nil): break
        case (_?, nil): throw ValidationError("--tls-cert needs --tls-key: the private key of the certificate")
        case (nil, _?): throw ValidationError("--tls-key needs --tls-cert: the certificate the key belongs to")
        case let (certificate?, key?):
            for (flag, file) in [("--tls-cert", certificate), ("--tls-key", key)] where !FileManager.default.isReadableFile(atPath: file) {
                throw ValidationError("\(flag) \(file): no readable file there")
            }
        }
    }

    func run() async throws {
        let address = try ListenAddress(parsing: listen)
        let store = try globals.openStore()
        let path = store.directory.path
        let tls = tlsCertificate.map { TLSFiles(certificate: $0, privateKey: tlsKey ?? "") }
        let server = SyncServer(store: store, host: address.host, port: address.port, tls: tls)
        let scheme = tls == nil ? "http" : "https"
        try await server.run { port in
            // One line on stdout, flushed at once: scripts and tests read the port from it.
            FileHandle.standardOutput.write(Data("serving \(path) on \(scheme)://\(address.urlHost):\(port)\n".utf8))
            if !address.isLoopback {
                Console.note("listening on \(address.host): reachable by anyone on the network; only holders of the team secret get answers, and every answer is sealed")
            }
        }
    }
}

/// `HOST:PORT` for `--listen`: an IPv4 address, a host name, or `[IPv6]`, and a port 0–65535.
struct ListenAddress: Equatable {
    var host: String
    var port: Int

    init(parsing text: String) throws {
        let usage = "--listen '\(text)' is not an address: give HOST:PORT, e.g. 127.0.0.1:7420 (this laptop only), 0.0.0.0:7420 (every network) or [::1]:7420; port 0 picks a free port"
        var host: Substring
        let portText: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]"), text[close...].hasPrefix("]:") else { throw ValidationError(usage) }
            host = text[text.index(after: text.startIndex)..<close]
            portText = text[text.index(close, offsetBy: 2)...]
            guard !host.isEmpty, host.allSatisfy({ $0.isHexDigit || $0 == ":" || $0 == "." }), host.contains(":") else {
                throw ValidationError(usage)
            }
        } else {
            guard let colon = text.lastIndex(of: ":") else { throw ValidationError(usage) }
            host = text[..<colon]
            portText = text[text.index(after: colon)...]
            guard !host.isEmpty, host.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "." || $0 == "-") }) else {
                throw ValidationError(usage)
            }
        }
        guard !portText.isEmpty, portText.allSatisfy(\.isASCII), portText.allSatisfy(\.isNumber),
              portText.count <= 5, let port = Int(portText) else { throw ValidationError(usage) }
        guard (0...65_535).contains(port) else {
            throw ValidationError("--listen port \(port) is out of range: give 1 to 65535, or 0 for any free port")
        }
        self.host = String(host)
        self.port = port
    }

    /// The host as it appears in a URL (IPv6 in brackets).
    var urlHost: String { host.contains(":") ? "[\(host)]" : host }

    /// Whether only this laptop can connect.
    var isLoopback: Bool {
        host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }
}
