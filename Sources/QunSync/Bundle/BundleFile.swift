import Crypto
import Foundation
import QunCore
import QunStore

/// Bundle files carry changes between laptops without a network (sneakernet).
///
/// Layout (see `schema/bundle-format.md`):
///
///     "QUNB", format version (1 byte)
///     header length (varint), header (JSON)
///     batch length (varint), change batch (`ChangeBatch`)
///     HMAC-SHA256 of everything above, keyed from the team secret (32 bytes)
///
/// The MAC makes a truncated, corrupted or other team's bundle fail before anything is
/// applied; the header names the sender and the version vector it had, so the receiver
/// learns what the sender holds.
public enum BundleFile {
    public static let magic: [UInt8] = Array("QUNB".utf8)
    public static let formatVersion: UInt8 = 1

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

    /// Serialises a header and changes into bundle bytes.
    public static func encode(header: Header, changes: [Change], team: Store.Team) throws -> [UInt8] {
        var writer = ByteWriter()
        writer.raw(magic)
        writer.byte(formatVersion)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let headerBytes = try encoder.encode(header)
        writer.uvarint(headerBytes.count)
        writer.raw(headerBytes)
        let batch = ChangeBatch.encode(changes)
        writer.uvarint(batch.count)
        writer.raw(batch)
        let mac = HMAC<SHA256>.authenticationCode(for: writer.bytes, using: TeamKeys.bundleKey(team))
        writer.raw(Array(mac))
        return writer.bytes
    }

    /// Checks and decodes bundle bytes. Throws `BundleError` for anything that is not an
    /// intact bundle of `team`.
    public static func decode(_ bytes: [UInt8], team: Store.Team) throws -> (header: Header, changes: [Change]) {
        guard bytes.count >= magic.count, Array(bytes.prefix(magic.count)) == magic else {
            throw BundleError.notABundle
        }
        var reader = ByteReader(bytes, from: magic.count)
        let header: Header
        let batchStart: Int
        let batchLength: Int
        do {
            let version = try reader.byte()
            guard version == formatVersion else { throw BundleError.newerFormat(Int(version)) }
            // A length beyond the end is a cut-off file: `raw` reports it as truncated.
            let headerLength = try reader.count(limit: Int.max)
            let headerBytes = Data(try reader.raw(headerLength))
            do {
                header = try JSONDecoder().decode(Header.self, from: headerBytes)
            } catch {
                throw BundleError.corrupted("its header is unreadable")
            }
            guard header.team == team.id.hex else {
                throw BundleError.foreignTeam(bundleTeam: header.team)
            }
            batchLength = try reader.count(limit: Int.max)
            batchStart = reader.offset
            _ = try reader.raw(batchLength)
        } catch let error as DecodingError {
            if case .truncated = error { throw BundleError.truncated }
            throw BundleError.corrupted(error.description)
        }
        let macStart = batchStart + batchLength
        guard bytes.count - macStart >= 32 else { throw BundleError.truncated }
        guard bytes.count - macStart == 32 else {
            throw BundleError.corrupted("\(bytes.count - macStart - 32) unexpected bytes at the end")
        }
        let valid = HMAC<SHA256>.isValidAuthenticationCode(
            Array(bytes[macStart...]), authenticating: bytes[..<macStart], using: TeamKeys.bundleKey(team))
        guard valid else { throw BundleError.corrupted("its checksum does not match (damaged in transit, or not made with this team's secret)") }
        do {
            let changes = try ChangeBatch.decode(Array(bytes[batchStart..<macStart]))
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
        case .unknownPeer(let peer):
            return "no teammate '\(peer)' is known to this store yet: import a bundle from them first, or export everything (leave out --for)"
        case .cannotRead(let path, let reason):
            return "cannot read \(path): \(reason)"
        case .cannotWrite(let path, let reason):
            return "cannot write \(path): \(reason)"
        }
    }
}
