/// Appends LEB128 varints, fixed-width integers and length-prefixed strings to a byte
/// buffer: the building blocks of the change batch format.
public struct ByteWriter: Sendable {
    public private(set) var bytes: [UInt8] = []

    public init(capacity: Int = 0) { bytes.reserveCapacity(capacity) }

    /// Empties the buffer, keeping its memory for the next use.
    public mutating func reset() { bytes.removeAll(keepingCapacity: true) }

    public mutating func byte(_ value: UInt8) { bytes.append(value) }

    public mutating func raw(_ data: some Sequence<UInt8>) { bytes.append(contentsOf: data) }

    public mutating func uvarint(_ value: UInt64) {
        var rest = value
        while rest >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: rest) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(rest))
    }

    public mutating func uvarint(_ value: Int) { uvarint(UInt64(value)) }

    /// Zig-zag, so that small negative numbers stay short.
    public mutating func svarint(_ value: Int64) {
        uvarint(UInt64(bitPattern: (value << 1) ^ (value >> 63)))
    }

    public mutating func fixed64(_ value: UInt64) {
        for shift in stride(from: 0, to: 64, by: 8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt64(shift))) }
    }

    public mutating func string(_ text: String) {
        uvarint(text.utf8.count)
        bytes.append(contentsOf: text.utf8)
    }
}

/// Why a byte buffer could not be decoded. Every read is bounds-checked: hostile or
/// truncated input produces one of these, never a crash.
public enum DecodingError: Error, Equatable, CustomStringConvertible {
    case truncated(offset: Int)
    case malformed(String, offset: Int)
    /// A batch announcing more changes than its reader accepts.
    case tooManyChanges(Int, limit: Int, offset: Int)

    public var description: String {
        switch self {
        case .truncated(let offset): return "data ends early (at byte \(offset))"
        case .malformed(let what, let offset): return "\(what) (at byte \(offset))"
        case .tooManyChanges(let count, let limit, _): return "the batch holds \(count) changes, more than the \(limit) accepted"
        }
    }
}

/// Reads what `ByteWriter` wrote.
public struct ByteReader {
    public let bytes: [UInt8]
    public private(set) var offset: Int
    private let end: Int

    public init(_ bytes: [UInt8], from start: Int = 0, to end: Int? = nil) {
        self.bytes = bytes
        offset = start
        self.end = end ?? bytes.count
    }

    public var isAtEnd: Bool { offset >= end }
    public var remaining: Int { end - offset }

    public mutating func byte() throws -> UInt8 {
        guard offset < end else { throw DecodingError.truncated(offset: offset) }
        defer { offset += 1 }
        return bytes[offset]
    }

    public mutating func raw(_ count: Int) throws -> ArraySlice<UInt8> {
        guard count >= 0, count <= end - offset else { throw DecodingError.truncated(offset: offset) }
        defer { offset += count }
        return bytes[offset..<offset + count]
    }

    public mutating func uvarint() throws -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let next = try byte()
            if shift == 63 && next > 1 { throw DecodingError.malformed("varint overflows 64 bits", offset: offset) }
            result |= UInt64(next & 0x7F) << shift
            if next & 0x80 == 0 { return result }
            shift += 7
            if shift > 63 { throw DecodingError.malformed("varint too long", offset: offset) }
        }
    }

    /// A varint that must fit in a non-negative `Int` no larger than `limit`.
    public mutating func count(limit: Int) throws -> Int {
        let start = offset
        let value = try uvarint()
        guard value <= UInt64(limit) else {
            throw DecodingError.malformed("count \(value) exceeds \(limit)", offset: start)
        }
        return Int(value)
    }

    public mutating func svarint() throws -> Int64 {
        let raw = try uvarint()
        return Int64(bitPattern: raw >> 1) ^ -Int64(bitPattern: raw & 1)
    }

    public mutating func fixed64() throws -> UInt64 {
        let slice = try raw(8)
        var value: UInt64 = 0
        for (index, byte) in slice.enumerated() { value |= UInt64(byte) << UInt64(8 * index) }
        return value
    }

    public mutating func string() throws -> String {
        let start = offset
        let length = try count(limit: remaining)
        let slice = try raw(length)
        guard let text = String(validating: slice, as: UTF8.self) else {
            throw DecodingError.malformed("text is not valid UTF-8", offset: start)
        }
        return text
    }
}
