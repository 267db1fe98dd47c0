import Foundation
import QunCore

/// A plaintext that carries steering data and a change batch together (a pull page, a push):
///
///     head length (varint) | head (JSON object) | change batch (QCB1, may be empty)
///
/// Inside the envelope, so that vectors and cursors are as sealed as the changes.
public enum SealedFrame {
    /// The largest head accepted: vectors of a few hundred replicas fit many times over.
    public static let maximumHeadBytes = 1 << 20

    public static func encode(head: some Encodable, batch: [UInt8]) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = try encoder.encode(head)
        var writer = ByteWriter(capacity: json.count + batch.count + 4)
        writer.uvarint(json.count)
        writer.raw(json)
        writer.raw(batch)
        return writer.bytes
    }

    /// Splits a frame into its decoded head and the batch bytes.
    ///
    /// - Throws: `QunCore.DecodingError` when the frame is cut or its head is not the
    ///   expected JSON.
    public static func decode<Head: Decodable>(_ bytes: [UInt8], head: Head.Type) throws -> (head: Head, batch: ArraySlice<UInt8>) {
        var reader = ByteReader(bytes)
        let length = try reader.count(limit: maximumHeadBytes)
        let start = reader.offset
        _ = try reader.raw(length)
        let decoded: Head
        do {
            decoded = try JSONDecoder().decode(Head.self, from: Data(bytes[start..<(start + length)]))
        } catch {
            throw QunCore.DecodingError.malformed("the frame's head is not the expected JSON", offset: start)
        }
        return (decoded, bytes[(start + length)...])
    }
}
