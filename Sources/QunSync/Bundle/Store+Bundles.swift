import Foundation
import QunCore
import QunStore

/// What `bundle export` wrote.
public struct BundleExportReport: Sendable, Equatable {
    public var path: String
    public var changes: Int
    public var bytes: Int
    /// The vector the bundle starts after.
    public var since: VersionVector
}

/// What `bundle import` did.
public struct BundleImportReport: Sendable, Equatable {
    public var path: String
    public var from: String
    public var operatorName: String
    public var apply: ApplyReport
}

extension Store {
    /// Writes the changes a holder of `since` lacks (all changes when empty) to `url`,
    /// atomically: a reader never sees a half-written bundle.
    @discardableResult
    ///
    /// - Parameter phase: told what is happening (`"writing 100000 changes"`), for a status
    ///   line on a terminal.
    public func exportBundle(
        to url: URL, since: VersionVector = VersionVector(), phase: ((String) -> Void)? = nil
    ) throws -> BundleExportReport {
        guard let team = identity.team else { throw StoreError.noTeam }
        let vector = try versionVector()
        phase?("reading changes")
        let changes = try changes(since: since)
        phase?("writing \(changes.count) changes")
        let header = BundleFile.Header(
            team: team.id.hex, from: identity.replica.hex, operatorName: identity.operatorName,
            created: now(), vector: vector.description, since: since.description,
            count: changes.count, schema: try schemaVersion())
        let bytes = try BundleFile.encode(header: header, changes: changes, team: team)
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).tmp")
        do {
            // Owner-only, whatever the umask: sealed, but still nobody else's business.
            guard FileManager.default.createFile(
                atPath: temporary.path, contents: Data(bytes), attributes: [.posixPermissions: Int(StoreFiles.fileMode)]) else {
                throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
            }
            StoreFiles.restrict(temporary.path, to: StoreFiles.fileMode)
            // rename(2) replaces an existing file atomically. (FileManager.replaceItemAt on
            // Linux deletes the existing file, then fails: the old bundle was lost.)
            guard rename(temporary.path, url.path) == 0 else {
                throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
            }
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw BundleError.cannotWrite(path: url.path, reason: error.localizedDescription)
        }
        return BundleExportReport(path: url.path, changes: changes.count, bytes: bytes.count, since: since)
    }

    /// Finds a peer replica by operator name or replica id prefix.
    public func peerReplica(named name: String) throws -> ReplicaID {
        let operators = try operatorNames().filter { $0.key != identity.replica }
        let byName = operators.filter { $0.value == name }.map(\.key)
        if byName.count == 1 { return byName[0] }
        let lower = name.lowercased()
        let byPrefix = operators.keys.filter { lower.count >= 4 && $0.hex.hasPrefix(lower) }
        if byPrefix.count == 1 { return byPrefix[0] }
        if byName.count > 1 || byPrefix.count > 1 {
            throw StoreError.ambiguous(collection: "peer", reference: name,
                                       candidates: (byName + byPrefix).map { "\($0.hex.prefix(8)) \(operators[$0] ?? "")" })
        }
        throw BundleError.unknownPeer(name)
    }

    /// Checks and applies a bundle file in one transaction: all of it or nothing.
    @discardableResult
    ///
    /// - Parameter phase: told what is happening (`"applying 100000 changes from 王"`), for a
    ///   status line on a terminal.
    public func importBundle(
        from url: URL, acceptSkew: Bool = false, phase: ((String) -> Void)? = nil
    ) throws -> BundleImportReport {
        guard let team = identity.team else { throw StoreError.noTeam }
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw BundleError.cannotRead(path: url.path, reason: (error as NSError).localizedDescription)
        }
        phase?("checking \(data.count) bytes")
        let (header, changes) = try BundleFile.decode([UInt8](data), team: team)
        phase?("applying \(changes.count) changes from \(header.operatorName)")
        let report = try apply(changes, acceptSkew: acceptSkew)
        if let sender = ReplicaID(hex: header.from), let vector = VersionVector(parsing: header.vector) {
            try recordPeerKnowledge(sender, vector: vector)
        }
        return BundleImportReport(path: url.path, from: header.from, operatorName: header.operatorName, apply: report)
    }
}
