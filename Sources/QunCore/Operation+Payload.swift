extension Operation {
    /// The operation's bytes as stored in the change log's `payload` column and sent on the
    /// wire. Self-contained, so an older qun can keep and forward operations it cannot read.
    public var payload: [UInt8] {
        var writer = ByteWriter()
        switch self {
        case .set(let value): Operation.write(value, to: &writer)
        case .add(let element), .append(let element): writer.string(element)
        case .remove(let element, let observed):
            writer.string(element)
            Operation.write(observed, to: &writer)
        case .delete: break
        case .restore(let observed): Operation.write(observed, to: &writer)
        case .signature(let first, let bytes):
            writer.uvarint(UInt64(first))
            writer.raw(bytes)
        case .roster(let bytes): writer.raw(bytes)
        case .unknown(_, let payload): writer.raw(payload)
        }
        return writer.bytes
    }

    /// Rebuilds an operation from its code and payload. Unknown codes are kept as `.unknown`;
    /// a known code with a malformed payload is an error.
    public init(code: UInt8, payload: some Collection<UInt8>) throws {
        var reader = ByteReader(Array(payload))
        switch code {
        case 1: self = .set(try Operation.readValue(&reader))
        case 2: self = .add(try reader.string())
        case 3:
            let element = try reader.string()
            self = .remove(element, observed: try Operation.readIDs(&reader))
        case 4: self = .append(try reader.string())
        case 5: self = .delete
        case 6: self = .restore(observed: try Operation.readIDs(&reader))
        case 7:
            let start = reader.offset
            let first = try reader.uvarint()
            guard first >= 1, first <= UInt64(Int64.max) else {
                throw DecodingError.malformed("signature block start \(first) out of range", offset: start)
            }
            guard reader.remaining == 64 else {
                throw DecodingError.malformed("a signature is 64 bytes, not \(reader.remaining)", offset: reader.offset)
            }
            self = .signature(first: Int64(first), bytes: Array(try reader.raw(64)))
        case 8: self = .roster(Array(try reader.raw(reader.remaining)))
        case 0: throw DecodingError.malformed("operation code 0 is invalid", offset: 0)
        default: self = .unknown(code: code, payload: Array(payload)); return
        }
        guard reader.isAtEnd else {
            throw DecodingError.malformed("\(name) operation has \(reader.remaining) trailing bytes", offset: reader.offset)
        }
    }

    static func write(_ value: Value, to writer: inout ByteWriter) {
        switch value {
        case .null: writer.byte(0)
        case .int(let number): writer.byte(1); writer.svarint(number)
        case .real(let number): writer.byte(2); writer.fixed64(number.bitPattern)
        case .text(let text): writer.byte(3); writer.string(text)
        }
    }

    static func readValue(_ reader: inout ByteReader) throws -> Value {
        let start = reader.offset
        switch try reader.byte() {
        case 0: return .null
        case 1: return .int(try reader.svarint())
        case 2: return .real(Double(bitPattern: try reader.fixed64()))
        case 3: return .text(try reader.string())
        case let tag: throw DecodingError.malformed("unknown value type \(tag)", offset: start)
        }
    }

    static func write(_ ids: [ChangeID], to writer: inout ByteWriter) {
        writer.uvarint(ids.count)
        for id in ids {
            writer.raw(id.replica.bytes)
            writer.uvarint(UInt64(id.seq))
        }
    }

    static func readIDs(_ reader: inout ByteReader) throws -> [ChangeID] {
        let count = try reader.count(limit: reader.remaining / 17)
        var ids: [ChangeID] = []
        ids.reserveCapacity(count)
        for _ in 0..<count {
            let replica = ReplicaID(bytes: try reader.raw(16))!
            let start = reader.offset
            let seq = try reader.uvarint()
            guard seq >= 1, seq <= UInt64(Int64.max) else {
                throw DecodingError.malformed("change seq \(seq) out of range", offset: start)
            }
            ids.append(ChangeID(replica: replica, seq: Int64(seq)))
        }
        return ids
    }
}
