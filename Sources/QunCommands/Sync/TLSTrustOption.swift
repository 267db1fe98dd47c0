import ArgumentParser
import Foundation

/// `--tls-ca FILE`: certificates to trust for `https://` peers besides the system's, for a
/// team hub that serves HTTPS with its own certificate (`qun serve --tls-cert`).
struct TLSTrustOption: ParsableArguments {
    @Option(name: .customLong("tls-ca"), help: ArgumentHelp(
        "Also trust the certificates in this PEM file for https:// peers (a hub's own certificate).", valueName: "file"))
    var file: String?

    func validate() throws {
        if let file, !FileManager.default.isReadableFile(atPath: file) {
            throw ValidationError("--tls-ca \(file): no readable file there; give the PEM certificate the hub serves with --tls-cert")
        }
    }
}
