@preconcurrency import Crypto
import Foundation
import QunCore

/// The sealed envelope (`QSL1`, see schema/bundle-format.md): every sync payload and every
/// bundle body, encrypted and authenticated with ChaCha20-Poly1305 under a key only the
/// team's laptops hold.
///
///     "QSL1" | epoch (u32 BE) | flags (1 byte) | salt (16 bytes)
///     chunks: kind (0 more / 1 final) | length (u32 BE) | ciphertext | tag (16 bytes)
///
/// Each envelope has its own key, derived from the epoch key and a random salt, so nonces
/// (the chunk index) never repeat under one key however many laptops seal with the team's
/// key. The associated data of every chunk is the header, the chunk's kind and a *context*
/// that names where the envelope belongs (`SealContext`): a page cannot be cut (a final
/// chunk must come), reordered (the nonce is the index), moved to another request or
/// answer (the context), or read without the key.
///
/// Large plaintexts are cut into chunks of `chunkSize` so that a receiver can open a stream
/// (a snapshot) piece by piece without holding it whole (`SealedEnvelope.Opener`).
public enum SealedEnvelope {
    public static let magic: [UInt8] = Array("QSL1".utf8)
    public static let headerSize = 4 + 4 + 1 + 16
    public static let chunkSize = 1 << 20
    static let tagSize = 16
    static let chunkHeaderSize = 5

    /// What a sealed payload is for: each purpose has its own keys.
    public enum Purpose: String, Sendable {
        case wire
        case bundle
    }

    public struct Flags: OptionSet, Sendable, Equatable {
        public let rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }
        /// The plaintext was gzip-compressed before sealing.
        public static let gzip = Flags(rawValue: 1)
    }

    /// Seals `plaintext` under the ring's current epoch.
    public static func seal(
        _ plaintext: [UInt8], ring: KeyRing, purpose: Purpose, context: String, flags: Flags = []
    ) throws -> [UInt8] {
        var sealer = try Sealer(ring: ring, purpose: purpose, context: context, flags: flags)
        var output = sealer.header
        output.reserveCapacity(headerSize + plaintext.count + (plaintext.count / chunkSize + 1) * (chunkHeaderSize + tagSize))
        var start = 0
        repeat {
            let end = min(start + chunkSize, plaintext.count)
            output += try sealer.chunk(plaintext[start..<end], final: end == plaintext.count)
            start = end
        } while start < plaintext.count
        return output
    }

    /// Opens a whole envelope.
    ///
    /// - Returns: the plaintext and the envelope's flags (gzip is left to the caller, who
    ///   knows the size limit).
    /// - Throws: `SealError`.
    public static func open(
        _ envelope: some Collection<UInt8>, ring: KeyRing, purpose: Purpose, context: String
    ) throws -> (plaintext: [UInt8], flags: Flags, epoch: UInt32) {
        // One pass over the bytes as they are (the streaming `Opener` would copy them into
        // its buffer first): a page is opened whole on the hot path of every sync.
        let bytes = Array(envelope)
        var opener = Opener(ring: ring, purpose: purpose, context: context)
        var plaintext = try opener.openWhole(bytes)
        plaintext += try opener.finish()
        return (plaintext, opener.flags ?? [], opener.epoch ?? 0)
    }

    /// Whether `bytes` begin like an envelope (for a clear message to an older peer).
    public static func looksSealed(_ bytes: some Collection<UInt8>) -> Bool {
        bytes.count >= magic.count && Array(bytes.prefix(magic.count)) == magic
    }

    static func messageKey(_ epochKey: [UInt8], salt: some DataProtocol, purpose: Purpose) -> SymmetricKey {
        HKDF<SHA256>.deriveKey(
            inputKeyMaterial: SymmetricKey(data: epochKey), salt: Data(salt),
            info: Data("qun seal v1 \(purpose.rawValue)".utf8), outputByteCount: 32)
    }

    static func nonce(_ index: UInt64) -> ChaChaPoly.Nonce {
        var bytes = [UInt8](repeating: 0, count: 12)
        for shift in 0..<8 { bytes[4 + shift] = UInt8(truncatingIfNeeded: index >> UInt64(56 - 8 * shift)) }
        return try! ChaChaPoly.Nonce(data: bytes)  // 12 bytes: always a valid nonce.
    }

    static func associatedData(header: [UInt8], kind: UInt8, context: [UInt8]) -> [UInt8] {
        header + [kind] + context
    }

    /// Seals one envelope chunk by chunk: the header first, then each chunk in order.
    public struct Sealer {
        public let header: [UInt8]
        private let key: SymmetricKey
        private let context: [UInt8]
        private var index: UInt64 = 0
        private var finished = false

        public init(ring: KeyRing, purpose: Purpose, context: String, flags: Flags = []) throws {
            guard let epochKey = ring.key(epoch: ring.current) else { throw SealError.unknownEpoch(ring.current) }
            var salt = [UInt8](repeating: 0, count: 16)
            var generator = SystemRandomNumberGenerator()
            for position in salt.indices { salt[position] = generator.next() }
            var header = SealedEnvelope.magic
            header += withUnsafeBytes(of: ring.current.bigEndian) { Array($0) }
            header.append(flags.rawValue)
            header += salt
            self.header = header
            key = SealedEnvelope.messageKey(epochKey, salt: salt, purpose: purpose)
            self.context = Array(context.utf8)
        }

        /// The next chunk (at most `chunkSize` bytes of plaintext); the last one is `final`.
        public mutating func chunk(_ plaintext: some DataProtocol, final: Bool) throws -> [UInt8] {
            precondition(!finished, "a chunk after the final one")
            precondition(plaintext.count <= SealedEnvelope.chunkSize, "a chunk larger than chunkSize")
            let kind: UInt8 = final ? 1 : 0
            let box = try ChaChaPoly.seal(
                plaintext, using: key, nonce: SealedEnvelope.nonce(index),
                authenticating: SealedEnvelope.associatedData(header: header, kind: kind, context: context))
            index += 1
            finished = final
            var output = [kind]
            output += withUnsafeBytes(of: UInt32(plaintext.count).bigEndian) { Array($0) }
            output += box.ciphertext
            output += box.tag
            return output
        }
    }

    /// Opens an envelope as its bytes arrive: `append` returns the plaintext of every chunk
    /// completed so far, `finish` checks that the final chunk came and nothing followed.
    public struct Opener {
        private let ring: KeyRing
        private let purpose: Purpose
        private let context: [UInt8]
        private var pending: [UInt8] = []
        private var header: [UInt8]?
        private var key: SymmetricKey?
        private var index: UInt64 = 0
        private var sawFinal = false
        public private(set) var flags: Flags?
        public private(set) var epoch: UInt32?

        public init(ring: KeyRing, purpose: Purpose, context: String) {
            self.ring = ring
            self.purpose = purpose
            self.context = Array(context.utf8)
        }

        /// Feeds the next bytes of the envelope.
        ///
        /// - Throws: `SealError` as soon as the bytes cannot be an intact envelope for this
        ///   context: nothing of a chunk is returned before its tag checks out.
        public mutating func append(_ bytes: some Collection<UInt8>) throws -> [UInt8] {
            if sawFinal, !bytes.isEmpty { throw SealError.trailingBytes }
            pending += bytes
            var output: [UInt8] = []
            var consumed = 0
            defer { pending.removeFirst(consumed) }
            if header == nil {
                guard pending.count >= SealedEnvelope.headerSize else {
                    if !SealedEnvelope.magic.starts(with: pending.prefix(4)) { throw SealError.notSealed }
                    return []
                }
                try readHeader(Array(pending[..<SealedEnvelope.headerSize]))
                consumed = SealedEnvelope.headerSize
            }
            while pending.count - consumed >= SealedEnvelope.chunkHeaderSize {
                if sawFinal { throw SealError.trailingBytes }
                let kind = pending[consumed]
                guard kind <= 1 else { throw SealError.damaged }
                let length = pending[(consumed + 1)..<(consumed + 5)].reduce(0) { $0 << 8 | Int($1) }
                guard length <= SealedEnvelope.chunkSize else { throw SealError.damaged }
                let total = SealedEnvelope.chunkHeaderSize + length + SealedEnvelope.tagSize
                guard pending.count - consumed >= total else { break }
                let body = consumed + SealedEnvelope.chunkHeaderSize
                let ciphertext = pending[body..<(body + length)]
                let tag = pending[(body + length)..<(body + total - SealedEnvelope.chunkHeaderSize)]
                output += try openChunk(kind: kind, ciphertext: ciphertext, tag: tag)
                consumed += total
                sawFinal = kind == 1
            }
            if sawFinal, pending.count > consumed { throw SealError.trailingBytes }
            return output
        }

        /// Opens a whole envelope given at once, without buffering it.
        mutating func openWhole(_ bytes: [UInt8]) throws -> [UInt8] {
            guard bytes.count >= SealedEnvelope.headerSize else {
                if bytes.isEmpty || !SealedEnvelope.magic.starts(with: bytes.prefix(4)) { throw SealError.notSealed }
                throw SealError.truncated
            }
            try readHeader(Array(bytes[..<SealedEnvelope.headerSize]))
            var output: [UInt8] = []
            output.reserveCapacity(bytes.count)
            var offset = SealedEnvelope.headerSize
            while offset < bytes.count {
                if sawFinal { throw SealError.trailingBytes }
                guard bytes.count - offset >= SealedEnvelope.chunkHeaderSize else { throw SealError.truncated }
                let kind = bytes[offset]
                guard kind <= 1 else { throw SealError.damaged }
                let length = bytes[(offset + 1)..<(offset + 5)].reduce(0) { $0 << 8 | Int($1) }
                guard length <= SealedEnvelope.chunkSize else { throw SealError.damaged }
                let body = offset + SealedEnvelope.chunkHeaderSize
                guard bytes.count - body >= length + SealedEnvelope.tagSize else { throw SealError.truncated }
                output += try openChunk(kind: kind, ciphertext: bytes[body..<(body + length)],
                                        tag: bytes[(body + length)..<(body + length + SealedEnvelope.tagSize)])
                offset = body + length + SealedEnvelope.tagSize
                sawFinal = kind == 1
            }
            return output
        }

        private mutating func openChunk(kind: UInt8, ciphertext: ArraySlice<UInt8>, tag: ArraySlice<UInt8>) throws -> [UInt8] {
            do {
                let box = try ChaChaPoly.SealedBox(nonce: SealedEnvelope.nonce(index), ciphertext: ciphertext, tag: tag)
                let opened = try ChaChaPoly.open(
                    box, using: key!, authenticating: SealedEnvelope.associatedData(header: header!, kind: kind, context: context))
                index += 1
                return Array(opened)
            } catch {
                throw SealError.damaged
            }
        }

        /// Ends the envelope.
        ///
        /// - Throws: `SealError.truncated` when the final chunk has not come.
        public mutating func finish() throws -> [UInt8] {
            guard sawFinal, pending.isEmpty else {
                if header == nil, pending.isEmpty || !SealedEnvelope.magic.starts(with: pending.prefix(4)) {
                    throw SealError.notSealed
                }
                throw SealError.truncated
            }
            return []
        }

        private mutating func readHeader(_ bytes: [UInt8]) throws {
            guard Array(bytes[0..<4]) == SealedEnvelope.magic else { throw SealError.notSealed }
            let epoch = bytes[4..<8].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
            let flags = Flags(rawValue: bytes[8])
            guard flags.isSubset(of: [.gzip]) else { throw SealError.damaged }
            guard let epochKey = ring.key(epoch: epoch) else { throw SealError.unknownEpoch(epoch) }
            header = bytes
            key = SealedEnvelope.messageKey(epochKey, salt: bytes[9..<25], purpose: purpose)
            self.flags = flags
            self.epoch = epoch
        }
    }
}

/// Why an envelope did not open. None says anything about the plaintext.
public enum SealError: Error, Equatable, CustomStringConvertible {
    /// The bytes do not start like an envelope: clear text from an older qun, or not qun's.
    case notSealed
    /// The envelope ends before its final chunk.
    case truncated
    /// A chunk does not authenticate: damaged, sealed for another context, or with another
    /// team's key.
    case damaged
    /// Bytes after the final chunk.
    case trailingBytes
    /// Sealed under a key epoch this laptop does not hold.
    case unknownEpoch(UInt32)

    public var description: String {
        switch self {
        case .notSealed: return "the payload is not sealed (made by an older qun, or not by qun)"
        case .truncated: return "the sealed payload is cut short"
        case .damaged: return "the sealed payload does not open with this team's key (damaged on the way, moved from another request, or sealed by another team)"
        case .trailingBytes: return "unexpected bytes after the end of the sealed payload"
        case .unknownEpoch(let epoch): return "the payload is sealed with key epoch \(epoch), which this laptop does not hold: sync with a teammate who has it, or upgrade qun"
        }
    }
}
