import AsyncHTTPClient
import CompressNIO
import Crypto
import Foundation
import HTTPTypes
import NIOCore
import NIOHTTP1
import QunCore
import QunStore

/// One page of `POST /v2/pull`, checked.
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
    /// `POST /v2/info`: who the peer is and what it holds.
    ///
    /// - Parameter holding: this laptop's version vector, sent so the peer learns what it
    ///   holds (for its `status` and `bundle export --for`) also after a sync that only pulled.
    public func info(holding: VersionVector? = nil) async throws -> PeerInfo {
        let request = Array(try JSONEncoder().encode(InfoRequest(vector: holding?.description)))
        let answer = try await exchange(SyncAPI.infoPath, plaintext: request, limit: 1 << 20)
        guard answer.status == 200 else { throw failure(answer) }
        do {
            return try JSONDecoder().decode(PeerInfo.self, from: Data(answer.body.readableBytesView))
        } catch {
            throw SyncClientError.malformedAnswer(url: url, reason: "its info is not the expected JSON")
        }
    }

    /// `POST /v2/pull`: one page of what a holder of `vector` lacks, after `cursor`.
    ///
    /// The page is opened (it must be sealed for this request and this cursor) and inflated
    /// with a size cap.
    public func pullPage(vector: VersionVector, after cursor: ChangeID?, limit: Int) async throws -> PulledPage {
        let limit = min(max(limit, 1), SyncAPI.maximumPageSize)
        let request = PullRequest(vector: vector.description, after: cursor?.description, limit: limit)
        let answer = try await exchange(
            SyncAPI.pullPath, plaintext: Array(try JSONEncoder().encode(request)),
            binding: SealContext.pullBinding(after: cursor?.description))
        guard answer.status == 200 else { throw failure(answer) }

        let head: PullPageHead
        let changes: [Change]
        do {
            let frame = try SealedFrame.decode(Array(answer.body.readableBytesView), head: PullPageHead.self)
            head = frame.head
            changes = try ChangeBatch.decode(Array(frame.batch), maximumChanges: limit + CommitBlock.maximumChanges)
        } catch {
            throw SyncClientError.malformedAnswer(url: url, reason: "the page is not a valid change batch: \(error)")
        }
        guard let peerVector = VersionVector(parsing: head.vector) else {
            throw SyncClientError.malformedAnswer(url: url, reason: "a malformed vector in the page")
        }
        var next: ChangeID?
        if let text = head.next {
            guard let parsed = ChangeID(cursor: text) else {
                throw SyncClientError.malformedAnswer(url: url, reason: "a malformed next cursor '\(text.prefix(80))'")
            }
            next = parsed
        }
        // A page runs on past its limit to the end of a commit block, never further.
        guard changes.count <= limit + CommitBlock.maximumChanges else {
            throw SyncClientError.malformedAnswer(url: url, reason: "a page of \(changes.count) changes for a limit of \(limit)")
        }
        if head.more, next == nil || next == cursor {
            throw SyncClientError.malformedAnswer(url: url, reason: "more pages announced without a new cursor")
        }
        return PulledPage(changes: changes, vector: peerVector, more: head.more, next: next)
    }

    /// `POST /v2/push`: the peer applies `changes`, all of them or none.
    ///
    /// A page larger than the peer's body limit (`maximumBodyBytes`, from its info) is sent as
    /// several requests, split in halves; the answers are added up. Pages of
    /// `gzipThreshold` bytes or more are compressed inside the seal. `vector` (this store's
    /// version vector) tells the peer what this laptop holds.
    public func pushPage(
        _ changes: [Change], vector: VersionVector, maximumBodyBytes: Int = SyncAPI.maximumBodyBytes
    ) async throws -> PushResponse {
        let frame = try SealedFrame.encode(head: PushHead(vector: vector.description), batch: ChangeBatch.encode(changes))
        // The peer's limit holds for the inflated plaintext; the envelope adds a few bytes a
        // chunk.
        if frame.count > maximumBodyBytes - Self.sealingAllowance(frame.count) {
            guard changes.count > 1 else {
                throw SyncClientError.changeTooLarge(url: url, bytes: frame.count, limit: maximumBodyBytes)
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
        let answer = try await exchange(SyncAPI.pushPath, plaintext: frame, compress: true, limit: 1 << 20)
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

    /// What an envelope adds to `size` bytes of plaintext, at most.
    static func sealingAllowance(_ size: Int) -> Int {
        SealedEnvelope.headerSize + (size / SealedEnvelope.chunkSize + 1) * 21
    }

    /// `POST /v2/snapshot`: streams a copy of the peer's store to `file` (created with
    /// owner-only permissions: it holds the team secret), opening the sealed chunks as they
    /// arrive, and checks the signature over all of it. On any failure the file is removed.
    ///
    /// - Returns: the number of bytes written (the SQLite file's size).
    @discardableResult
    public func snapshot(to file: URL) async throws -> Int64 {
        let plaintext = Array(try JSONEncoder().encode(SnapshotRequest()))
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
        var retried = false
        while true {
            let prepared = try sealedRequest(SyncAPI.snapshotPath, plaintext: plaintext, compress: false)
            do {
                let response = try await http.execute(prepared.request, timeout: Self.snapshotTimeout)
                let status = Int(response.status.code)
                guard status == 200 else {
                    // An error answer is small: collect it and let the common path explain it.
                    let body = try await response.body.collect(upTo: 64 * 1024)
                    do {
                        try check(status, response.headers, bodyDigest: SyncSigner.digest(Array(body.readableBytesView)),
                                  requestMAC: prepared.mac)
                    } catch let stale as StaleAnswer where !retried {
                        clockCorrection.adopt(peerTime: stale.serverTime, localTime: clock())
                        retried = true
                        continue
                    }
                    throw failure(Answer(status: status, headers: response.headers, body: body))
                }
                var hasher = SHA256()
                let context = SealContext.response(
                    team: team.id.hex, path: basePath + SyncAPI.snapshotPath, requestMAC: prepared.mac)
                var opener = SealedEnvelope.Opener(ring: ring, purpose: .wire, context: context)
                // A chunk that does not open is reported only after the whole answer is hashed:
                // the signature decides first, so an answer altered on the way is "not of the
                // team", not "malformed".
                var sealError: SealError?
                for try await part in response.body {
                    part.withUnsafeReadableBytes { hasher.update(bufferPointer: $0) }
                    guard sealError == nil else { continue }
                    do {
                        let opened = try opener.append(part.readableBytesView)
                        try handle.write(contentsOf: Data(opened))
                        written += Int64(opened.count)
                    } catch let error as SealError {
                        sealError = error
                    }
                }
                if sealError == nil {
                    do { _ = try opener.finish() } catch let error as SealError { sealError = error }
                }
                try check(status, response.headers, bodyDigest: hasher.finalize().hexString, requestMAC: prepared.mac)
                if let sealError { throw SyncClientError.malformedAnswer(url: url, reason: sealError.description) }
                try handle.synchronize()
            } catch {
                throw classify(error)
            }
            complete = true
            return written
        }
    }

    /// Inflates a gzip page with `Gzip` (the server's bounded decoder), in the client's
    /// words on failure.
    func gunzip(_ body: ByteBuffer) throws -> [UInt8] {
        do {
            return try Gzip.decompress(body, limit: Self.maximumAnswerBytes)
        } catch let error as SyncError where error.status == .contentTooLarge {
            throw SyncClientError.answerTooLarge(url: url, limit: Self.maximumAnswerBytes)
        } catch {
            throw SyncClientError.malformedAnswer(url: url, reason: "the gzip-encoded page is damaged or incomplete")
        }
    }
}

extension SyncConnection {
    /// `POST /v2/roster`: sends this laptop's roster commits; returns the peer's, and how many
    /// of this laptop's it newly applied. Sealed in key epoch 1, which every teammate holds
    /// (the roster is not the team's data).
    public func roster(_ changes: [Change]) async throws -> (changes: [Change], applied: Int, held: Int) {
        let answer = try await exchange(SyncAPI.rosterPath, plaintext: ChangeBatch.encode(changes), compress: true, epoch: 1)
        guard answer.status == 200 else { throw failure(answer) }
        do {
            let (head, batch) = try SealedFrame.decode(Array(answer.body.readableBytesView), head: RosterAnswerHead.self)
            return (try ChangeBatch.decode(Array(batch), maximumChanges: SyncAPI.maximumPageChanges), head.applied, head.held ?? 0)
        } catch {
            throw SyncClientError.malformedAnswer(url: url, reason: "its roster is not a head and a change batch")
        }
    }

    /// `POST /v2/join`: redeems the invite this connection was made with.
    public func join(_ request: JoinRequest) async throws -> JoinResponse {
        let answer = try await exchange(SyncAPI.joinPath, plaintext: Array(try JSONEncoder().encode(request)), limit: 1 << 20)
        guard answer.status == 200 else { throw failure(answer) }
        do {
            return try JSONDecoder().decode(JoinResponse.self, from: Data(answer.body.readableBytesView))
        } catch {
            throw SyncClientError.malformedAnswer(url: url, reason: "its join answer is not the expected JSON")
        }
    }
}

extension SyncClient {
    /// The roster step of a sync: each side learns the other's roster changes, and this
    /// laptop seals the rest of the sync with the newest key epoch it then holds.
    func exchangeRoster() async throws -> (applied: ApplyReport, peerApplied: Int, peerHeld: Int) {
        let mine = try await onStore { try $0.rosterChanges() }
        let theirs = try await connection.roster(mine)
        let report = try await onStore { try $0.apply(theirs.changes) }
        connection.keys.ring = try await onStore { try KeyRing(store: $0) }
        return (report, theirs.applied, theirs.held)
    }
}
