import AsyncHTTPClient
import CompressNIO
import Crypto
import Foundation
import HTTPTypes
import NIOCore
import NIOHTTP1
import QunCore
import QunStore

/// One page of `POST /v1/pull`, checked.
public struct PulledPage: Sendable, Equatable {
    public var changes: [Change]
    /// The peer's version vector when it answered.
    public var vector: VersionVector
    /// Whether more pages follow.
    public var more: Bool
    /// Where the next page starts (`after`), nil for an empty page.
    public var next: ChangeID?
}

extension SyncConnection {
    /// `GET /v1/info`: who the peer is and what it holds.
    ///
    /// - Parameter holding: this laptop's version vector, sent so the peer learns what it
    ///   holds (for its `status` and `bundle export --for`) also after a sync that only pulled.
    public func info(holding: VersionVector? = nil) async throws -> PeerInfo {
        let headers = holding.map { [(SyncAPI.vectorHeader, $0.description)] } ?? []
        let answer = try await exchange(.GET, SyncAPI.infoPath, headers: headers, limit: 64 * 1024)
        guard answer.status == 200 else { throw failure(answer) }
        do {
            return try JSONDecoder().decode(PeerInfo.self, from: Data(answer.body.readableBytesView))
        } catch {
            throw SyncClientError.malformedAnswer(url: url, reason: "its info is not the expected JSON")
        }
    }

    /// `POST /v1/pull`: one page of what a holder of `vector` lacks, after `cursor`.
    ///
    /// Asks for gzip and inflates the page with a size cap; the signature was checked over the
    /// compressed bytes.
    public func pullPage(vector: VersionVector, after cursor: ChangeID?, limit: Int) async throws -> PulledPage {
        let limit = min(max(limit, 1), SyncAPI.maximumPageSize)
        let request = PullRequest(vector: vector.description, after: cursor?.description, limit: limit)
        let body = Array(try JSONEncoder().encode(request))
        let answer = try await exchange(
            .POST, SyncAPI.pullPath, body: body,
            headers: [("Content-Type", SyncAPI.jsonMediaType), ("Accept-Encoding", "gzip")])
        guard answer.status == 200 else { throw failure(answer) }

        let encoding = answer.headers.first(name: "Content-Encoding")?.lowercased() ?? "identity"
        let bytes: [UInt8]
        switch encoding {
        case "gzip":
            bytes = try gunzip(answer.body)
        case "identity":
            bytes = Array(answer.body.readableBytesView)
        default:
            throw SyncClientError.malformedAnswer(url: url, reason: "unknown Content-Encoding '\(encoding.prefix(40))'")
        }
        let changes: [Change]
        do {
            changes = try ChangeBatch.decode(bytes)
        } catch {
            throw SyncClientError.malformedAnswer(url: url, reason: "the page is not a valid change batch: \(error)")
        }
        guard let vectorText = answer.headers.first(name: SyncAPI.vectorHeader),
              let peerVector = VersionVector(parsing: vectorText) else {
            throw SyncClientError.malformedAnswer(url: url, reason: "missing or malformed \(SyncAPI.vectorHeader)")
        }
        let more: Bool
        switch answer.headers.first(name: SyncAPI.moreHeader) {
        case "true": more = true
        case "false", nil: more = false
        case let other?: throw SyncClientError.malformedAnswer(url: url, reason: "\(SyncAPI.moreHeader) is '\(other.prefix(20))'")
        }
        var next: ChangeID?
        if let text = answer.headers.first(name: SyncAPI.nextHeader) {
            guard let cursor = ChangeID(cursor: text) else {
                throw SyncClientError.malformedAnswer(url: url, reason: "malformed \(SyncAPI.nextHeader) '\(text.prefix(80))'")
            }
            next = cursor
        }
        guard changes.count <= limit else {
            throw SyncClientError.malformedAnswer(url: url, reason: "a page of \(changes.count) changes for a limit of \(limit)")
        }
        if more, next == nil || next == cursor {
            throw SyncClientError.malformedAnswer(url: url, reason: "more pages announced without a new cursor")
        }
        return PulledPage(changes: changes, vector: peerVector, more: more, next: next)
    }

    /// `POST /v1/push`: the peer applies `changes`, all of them or none.
    ///
    /// A batch larger than the peer's body limit (`maximumBodyBytes`, from its info) is sent as
    /// several requests, split in halves; the answers are added up. Batches of
    /// `gzipThreshold` bytes or more go gzip-encoded. `vector` (this store's version vector)
    /// tells the peer what this laptop holds.
    public func pushPage(
        _ changes: [Change], vector: VersionVector, maximumBodyBytes: Int = SyncAPI.maximumBodyBytes
    ) async throws -> PushResponse {
        let batch = ChangeBatch.encode(changes)
        if batch.count > maximumBodyBytes {
            guard changes.count > 1 else {
                throw SyncClientError.changeTooLarge(url: url, bytes: batch.count, limit: maximumBodyBytes)
            }
            let middle = changes.count / 2
            let first = try await pushPage(Array(changes[..<middle]), vector: vector, maximumBodyBytes: maximumBodyBytes)
            let second = try await pushPage(Array(changes[middle...]), vector: vector, maximumBodyBytes: maximumBodyBytes)
            return PushResponse(
                received: first.received + second.received, applied: first.applied + second.applied,
                duplicates: first.duplicates + second.duplicates, held: first.held + second.held,
                heldAheadMilliseconds: max(first.heldAheadMilliseconds, second.heldAheadMilliseconds),
                vector: second.vector)
        }
        var headers = [("Content-Type", SyncAPI.batchMediaType), (SyncAPI.vectorHeader, vector.description)]
        var body = batch
        if batch.count >= Self.gzipThreshold {
            var buffer = ByteBuffer(bytes: batch)
            body = Array(try buffer.compress(with: .gzip()).readableBytesView)
            headers.append(("Content-Encoding", "gzip"))
        }
        let answer = try await exchange(.POST, SyncAPI.pushPath, body: body, headers: headers, limit: 64 * 1024)
        guard answer.status == 200 else { throw failure(answer) }
        let response: PushResponse
        do {
            response = try JSONDecoder().decode(PushResponse.self, from: Data(answer.body.readableBytesView))
        } catch {
            throw SyncClientError.malformedAnswer(url: url, reason: "its push answer is not the expected JSON")
        }
        guard VersionVector(parsing: response.vector) != nil else {
            throw SyncClientError.malformedAnswer(url: url, reason: "malformed vector in the push answer")
        }
        return response
    }

    /// `GET /v1/snapshot`: streams a copy of the peer's store to `file` (created with owner-only
    /// permissions: it holds the team secret), then checks the signature over all of it.
    /// On any failure the file is removed.
    ///
    /// - Returns: the number of bytes written.
    @discardableResult
    public func snapshot(to file: URL) async throws -> Int64 {
        let (request, mac) = signedRequest(.GET, SyncAPI.snapshotPath, body: [], headers: [])
        var written: Int64 = 0
        var complete = false
        guard FileManager.default.createFile(atPath: file.path, contents: nil, attributes: [.posixPermissions: 0o600]),
              let handle = FileHandle(forWritingAtPath: file.path) else {
            throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: file.path])
        }
        defer {
            try? handle.close()
            if !complete { try? FileManager.default.removeItem(at: file) }
        }
        do {
            let response = try await http.execute(request, timeout: Self.snapshotTimeout)
            let status = Int(response.status.code)
            guard status == 200 else {
                // An error answer is small: collect it and let the common path explain it.
                let body = try await response.body.collect(upTo: 64 * 1024)
                try check(status, response.headers, bodyDigest: SyncSigner.digest(Array(body.readableBytesView)), requestMAC: mac)
                throw failure(Answer(status: status, headers: response.headers, body: body))
            }
            var hasher = SHA256()
            for try await part in response.body {
                part.withUnsafeReadableBytes { hasher.update(bufferPointer: $0) }
                try handle.write(contentsOf: Data(part.readableBytesView))
                written += Int64(part.readableBytes)
            }
            try handle.synchronize()
            try check(status, response.headers, bodyDigest: hasher.finalize().hexString, requestMAC: mac)
        } catch {
            throw classify(error)
        }
        complete = true
        return written
    }

    /// Inflates a gzip page with `Gzip` (the server's bounded decoder), in the client's
    /// words on failure.
    private func gunzip(_ body: ByteBuffer) throws -> [UInt8] {
        do {
            return try Gzip.decompress(body, limit: Self.maximumAnswerBytes)
        } catch let error as SyncError where error.status == .contentTooLarge {
            throw SyncClientError.answerTooLarge(url: url, limit: Self.maximumAnswerBytes)
        } catch {
            throw SyncClientError.malformedAnswer(url: url, reason: "the gzip-encoded page is damaged or incomplete")
        }
    }
}
