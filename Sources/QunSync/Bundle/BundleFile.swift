import Crypto
import Foundation
import QunCore
import QunStore

/// Bundle files carry changes between laptops without a network (sneakernet).
///
/// Layout of format 2 (see `schema/bundle-format.md`):
///
///     "QUNB", format version (1 byte, 2), team id (16 bytes)
///     a sealed envelope (`SealedEnvelope`, purpose "bundle") of:
///         header length (varint), header (JSON), change batch (`ChangeBatch`)
///
/// Only the team id is in clear, so that a bundle of another team gets its own message; who
/// sent it, what it holds and every change are sealed with the team's key. A truncated,
/// corrupted or other team's bundle fails before anything is applied; the header names the
/// sender and the version vector it had, so the receiver learns what the sender holds.
///
/// Format 1 (clear, HMAC-SHA256), written by earlier releases, is still read.
public enum BundleFile {
    public static let magic: [UInt8] = Array("QUNB".utf8)
    public static let formatVersion: UInt8 = 2
    /// The clear, MAC-only format of earlier releases: read, never written.
    public static let clearFormatVersion: UInt8 = 1

    /// What the header of a bundle says.
    public struct Header: Codable, Equatable, Sendable {
        /// Team id (hex).
        public var team: String
        /// Sending replica (hex) and its operator.
        public var from: String
        public var operatorName: String
        /// Milliseconds since 1970 when written.
        public var created: Int64
        /// The sender's version vector when it wrote the bundle.
        public var vector: String
        /// The vector the bundle's changes start after (empty: everything).
        public var since: String
        public var count: Int
        public var schema: Int
    }

    /// Serialises a header and changes into sealed bundle bytes (format 2).
    public static func encode(header: Header, changes: [Change], team: Store.Team) throws -> [UInt8] {
        var writer = ByteWriter()
        writer.raw(magic)
        writer.byte(formatVersion)
        writer.raw(team.id.bytes)
        writer.raw(try SealedEnvelope.seal(
            try plaintext(header: header, changes: changes), ring: KeyRing(team: team), purpose: .bundle,
            context: SealContext.bundle(team: team.id.hex)))
        return writer.bytes
    }

    /// Serialises a header and changes into a clear bundle of format 1, as earlier releases
    /// wrote them: only to prove that such bundles still import.
    public static func encodeClear(header: Header, changes: [Change], team: Store.Team) throws -> [UInt8] {
        var writer = ByteWriter()
        writer.raw(magic)
        writer.byte(clearFormatVersion)
        writer.raw(try plaintext(header: header, changes: changes))
        let mac = HMAC<SHA256>.authenticationCode(for: writer.bytes, using: TeamKeys.bundleKey(team))
        writer.raw(Array(mac))
        return writer.bytes
    }

    /// `header length | header | batch length | batch`: the body of both formats.
    private static func plaintext(header: Header, changes: [Change]) throws -> [UInt8] {
        var writer = ByteWriter()
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let headerBytes = try encoder.encode(header)
        writer.uvarint(headerBytes.count)
        writer.raw(headerBytes)
        let batch = ChangeBatch.encode(changes)
        writer.uvarint(batch.count)
        writer.raw(batch)
        return writer.bytes
    }

    /// Checks and decodes bundle bytes of either format. Throws `BundleError` for anything
    /// that is not an intact bundle of `team`.
    public static func decode(_ bytes: [UInt8], team: Store.Team) throws -> (header: Header, changes: [Change]) {
        guard bytes.count >= magic.count, Array(bytes.prefix(magic.count)) == magic else {
            throw BundleError.notABundle
        }
        guard bytes.count > magic.count else { throw BundleError.truncated }
        switch bytes[magic.count] {
        case formatVersion: return try decodeSealed(bytes, team: team)
        case clearFormatVersion: return try decodeClear(bytes, team: team)
        case let version: throw BundleError.newerFormat(Int(version))
        }
    }

    private static func decodeSealed(_ bytes: [UInt8], team: Store.Team) throws -> (header: Header, changes: [Change]) {
        let teamStart = magic.count + 1
        guard bytes.count >= teamStart + 16 else { throw BundleError.truncated }
        guard bytes.count > teamStart + 16 else { throw BundleError.truncated }
        let bundleTeam = Array(bytes[teamStart..<(teamStart + 16)])
        guard bundleTeam == team.id.bytes else {
            throw BundleError.foreignTeam(bundleTeam: bundleTeam.map { String(format: "%02x", $0) }.joined())
        }
        let plaintext: [UInt8]
        do {
            plaintext = try SealedEnvelope.open(
                bytes[(teamStart + 16)...], ring: KeyRing(team: team), purpose: .bundle,
                context: SealContext.bundle(team: team.id.hex)).plaintext
        } catch let error as SealError {
            switch error {
            case .truncated: throw BundleError.truncated
            case .notSealed: throw BundleError.corrupted("its sealed part does not begin as it should")
            case .damaged: throw BundleError.corrupted("it does not open with this team's key (damaged in transit, or not made with this team's secret)")
            case .trailingBytes: throw BundleError.corrupted("unexpected bytes at the end")
            case .unknownEpoch(let epoch): throw BundleError.unknownEpoch(Int(epoch))
            }
        }
        let (header, changes) = try readBody(plaintext, from: 0, to: plaintext.count)
        guard header.team == team.id.hex else { throw BundleError.corrupted("its sealed header names another team") }
        return (header, changes)
    }

    private static func decodeClear(_ bytes: [UInt8], team: Store.Team) throws -> (header: Header, changes: [Change]) {
        // The header is read before the MAC is checked only to tell another team's bundle
        // apart; nothing of it is trusted until the MAC verifies.
        let bodyStart = magic.count + 1
        let macStart: Int
        do {
            var reader = ByteReader(bytes, from: bodyStart)
            let headerLength = try reader.count(limit: Int.max)
            let headerBytes = Data(try reader.raw(headerLength))
            if let header = try? JSONDecoder().decode(Header.self, from: headerBytes), header.team != team.id.hex {
                throw BundleError.foreignTeam(bundleTeam: header.team)
            }
            let batchLength = try reader.count(limit: Int.max)
            _ = try reader.raw(batchLength)
            macStart = reader.offset
        } catch let error as DecodingError {
            if case .truncated = error { throw BundleError.truncated }
            throw BundleError.corrupted(error.description)
        }
        guard bytes.count - macStart >= 32 else { throw BundleError.truncated }
        guard bytes.count - macStart == 32 else {
            throw BundleError.corrupted("\(bytes.count - macStart - 32) unexpected bytes at the end")
        }
        let valid = HMAC<SHA256>.isValidAuthenticationCode(
            Array(bytes[macStart...]), authenticating: bytes[..<macStart], using: TeamKeys.bundleKey(team))
        guard valid else { throw BundleError.corrupted("its checksum does not match (damaged in transit, or not made with this team's secret)") }
        return try readBody(bytes, from: bodyStart, to: macStart)
    }

    /// Reads `header length | header | batch length | batch` filling exactly `start..<end`.
    private static func readBody(_ bytes: [UInt8], from start: Int, to end: Int) throws -> (header: Header, changes: [Change]) {
        do {
            var reader = ByteReader(bytes, from: start, to: end)
            let headerLength = try reader.count(limit: Int.max)
            let header: Header
            do {
                header = try JSONDecoder().decode(Header.self, from: Data(try reader.raw(headerLength)))
            } catch let error as DecodingError {
                throw error
            } catch {
                throw BundleError.corrupted("its header is unreadable")
            }
            let batchLength = try reader.count(limit: Int.max)
            let batch = Array(try reader.raw(batchLength))
            guard reader.offset == end else { throw BundleError.corrupted("\(end - reader.offset) unexpected bytes after the changes") }
            let changes = try ChangeBatch.decode(batch)
            guard changes.count == header.count else {
                throw BundleError.corrupted("it announces \(header.count) changes but holds \(changes.count)")
            }
            return (header, changes)
        } catch let error as DecodingError {
            throw BundleError.corrupted(error.description)
        }
    }
}

/// Why a bundle was refused. Nothing is applied in any of these cases.
public enum BundleError: Error, Equatable, CustomStringConvertible {
    case notABundle
    case newerFormat(Int)
    case truncated
    case corrupted(String)
    case foreignTeam(bundleTeam: String)
    case unknownEpoch(Int)
    case unknownPeer(String)
    case cannotRead(path: String, reason: String)
    case cannotWrite(path: String, reason: String)

    public var description: String {
        switch self {
        case .notABundle:
            return "not a qun bundle file: check the file name; nothing was imported"
        case .newerFormat(let version):
            return "this bundle uses format \(version), made by a newer qun: upgrade qun to import it; nothing was imported"
        case .truncated:
            return "the bundle file is truncated (incomplete copy or download): copy it again; nothing was imported"
        case .corrupted(let reason):
            return "the bundle file is damaged: \(reason); copy it again; nothing was imported"
        case .foreignTeam(let team):
            return "this bundle belongs to another team (\(team.prefix(8))…), not to this store's team: nothing was imported"
        case .unknownEpoch(let epoch):
            return "this bundle is sealed with key epoch \(epoch), which this laptop does not hold yet: sync with a teammate first, or upgrade qun; nothing was imported"
        case .unknownPeer(let peer):
            return "no teammate '\(peer)' is known to this store yet: import a bundle from them first, or export everything (leave out --for)"
        case .cannotRead(let path, let reason):
            return "cannot read \(path): \(reason)"
        case .cannotWrite(let path, let reason):
            return "cannot write \(path): \(reason)"
        }
    }
}
