import CompressNIO
import NIOCore

/// gzip for the plaintext inside a sealed body (`SealedEnvelope.Flags.gzip`): pull pages
/// out, pushed pages in.
///
/// Decompression is bounded: a small body that inflates past the limit (a "gzip bomb") is
/// refused as soon as the output passes the limit, without inflating the rest.
enum Gzip {
    static func compress(_ bytes: [UInt8]) throws -> ByteBuffer {
        var input = ByteBuffer(bytes: bytes)
        return try input.compress(with: .gzip())
    }

    /// Inflates a gzip body of at most `limit` bytes of output.
    ///
    /// - Throws: `SyncError.bodyTooLarge` past the limit, `SyncError` 400 for anything that is
    ///   not one complete gzip stream.
    static func decompress(_ body: ByteBuffer, limit: Int) throws -> [UInt8] {
        // A gzip stream is at least a 10-byte header and an 8-byte trailer.
        guard body.readableBytes >= 18 else { throw damaged }
        var input = body
        let decompressor = CompressionAlgorithm.gzip().decompressor
        try decompressor.startStream()
        defer { try? decompressor.finishStream() }
        var output = ByteBufferAllocator().buffer(capacity: min(limit + 1, max(64 * 1024, input.readableBytes * 4)))
        while true {
            do {
                try input.decompressStream(to: &output, with: decompressor)
                break
            } catch let error as CompressNIOError where error == .bufferOverflow {
                guard output.readableBytes <= limit else { throw SyncError.bodyTooLarge }
                // Grow geometrically, but never beyond one byte past the limit.
                output.reserveCapacity(minimumWritableBytes: min(output.capacity, limit + 1 - output.readableBytes))
            } catch is CompressNIOError {
                throw damaged
            }
        }
        guard output.readableBytes <= limit else { throw SyncError.bodyTooLarge }
        // zlib stops quietly at the end of its input, so a cut-off stream looks complete: the
        // trailer's ISIZE (output length mod 2^32, little-endian) must match, and nothing may
        // follow the stream.
        let size = body.getBytes(at: body.writerIndex - 4, length: 4)!
            .reversed().reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        guard input.readableBytes == 0, size == UInt32(truncatingIfNeeded: output.readableBytes) else {
            throw damaged
        }
        return output.readBytes(length: output.readableBytes) ?? []
    }

    private static let damaged = SyncError.badRequest(
        "the gzip-encoded body is damaged or incomplete: send the page again; nothing was applied")
}
