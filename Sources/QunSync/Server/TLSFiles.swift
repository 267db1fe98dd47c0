import Foundation
import NIOSSL

/// The certificate and private key `qun serve --tls-cert/--tls-key` serves HTTPS with, for a
/// hub reachable from the internet. The payloads stay sealed inside TLS: TLS hides which
/// team and replicas talk, and guards against a network that tampers with the clear headers.
public struct TLSFiles: Sendable, Equatable {
    public var certificate: String
    public var privateKey: String

    public init(certificate: String, privateKey: String) {
        self.certificate = certificate
        self.privateKey = privateKey
    }

    /// The server configuration, read from the PEM files.
    ///
    /// - Throws: `SyncServerError.tlsFiles` naming the file that cannot be used.
    func serverConfiguration() throws -> TLSConfiguration {
        let chain: [NIOSSLCertificate]
        do {
            chain = try NIOSSLCertificate.fromPEMFile(certificate)
        } catch {
            throw SyncServerError.tlsFiles(path: certificate, reason: "not a readable PEM certificate (\(error))")
        }
        guard !chain.isEmpty else { throw SyncServerError.tlsFiles(path: certificate, reason: "it holds no certificate") }
        let key: NIOSSLPrivateKey
        do {
            key = try NIOSSLPrivateKey(file: privateKey, format: .pem)
        } catch {
            throw SyncServerError.tlsFiles(path: privateKey, reason: "not a readable PEM private key (\(error))")
        }
        return .makeServerConfiguration(certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
    }
}
