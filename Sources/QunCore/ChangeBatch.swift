/// The compact binary form of a list of changes, shared by bundle files and the HTTP wire.
///
/// Layout (all integers LEB128 varints unless noted):
///
///     "QCB1"
///     replica count, then each replica id as 16 raw bytes
///     string count, then each string as length + UTF-8 (collections, records, fields)
///     change count, then per change:
///         replica index, seq, hlc, collection index, record index, field index,
///         operation code (1 byte), payload length, payload
///
/// Interning replicas and strings keeps a change to a dozen bytes of metadata: no per-change
/// keys repeated as in JSON. Decoding checks every bound, so a truncated or hostile batch is
/// an error, never a crash or a partial result.
public enum ChangeBatch {
    public static let magic: [UInt8] = Array("QCB1".utf8)

    public static func encode(_ changes: [Change]) -> [UInt8] {
        var replicas: [ReplicaID: Int] = [:]
        var replicaList: [ReplicaID] = []
        // Keyed by UTF-8 bytes, not `String`: Swift's `String` equality is canonical
        // equivalence, so "e\u{301}" would otherwise be sent as an earlier "\u{E9}".
        var strings: [[UInt8]: Int] = [:]
        var stringList: [String] = []
        func replicaIndex(_ replica: ReplicaID) -> Int {
            if let index = replicas[replica] { return index }
            replicas[replica] = replicaList.count
            replicaList.append(replica)
            return replicaList.count - 1
        }
        func stringIndex(_ text: String) -> Int {
            let key = Array(text.utf8)
            if let index = strings[key] { return index }
            strings[key] = stringList.count
            stringList.append(text)
            return stringList.count - 1
        }
        var body = ByteWriter(capacity: changes.count * 24)
        body.uvarint(changes.count)
        for change in changes {
            body.uvarint(replicaIndex(change.id.replica))
            body.uvarint(UInt64(change.id.seq))
            body.uvarint(UInt64(bitPattern: change.hlc.rawValue))
            body.uvarint(stringIndex(change.collection))
            body.uvarint(stringIndex(change.record))
            body.uvarint(stringIndex(change.field))
            body.byte(change.operation.code)
            let payload = change.operation.payload
            body.uvarint(payload.count)
            body.raw(payload)
        }
        var out = ByteWriter(capacity: body.bytes.count + 16 * replicaList.count + 40 * stringList.count)
        out.raw(magic)
        out.uvarint(replicaList.count)
        for replica in replicaList { out.raw(replica.bytes) }
        out.uvarint(stringList.count)
        for text in stringList { out.string(text) }
        out.raw(body.bytes)
        return out.bytes
    }

    /// Decodes a batch.
    ///
    /// - Parameter maximumChanges: the most changes the batch may hold; more is refused as
    ///   soon as the count is read (`DecodingError.tooManyChanges`), before any is decoded.
    public static func decode(_ bytes: [UInt8], maximumChanges: Int = .max) throws -> [Change] {
        var reader = ByteReader(bytes)
        guard Array(try reader.raw(4)) == magic else {
            throw DecodingError.malformed("not a qun change batch (bad magic)", offset: 0)
        }
        let replicaCount = try reader.count(limit: reader.remaining / 16)
        var replicaList: [ReplicaID] = []
        replicaList.reserveCapacity(replicaCount)
        for _ in 0..<replicaCount { replicaList.append(ReplicaID(bytes: try reader.raw(16))!) }
        let stringCount = try reader.count(limit: reader.remaining)
        var stringList: [String] = []
        stringList.reserveCapacity(stringCount)
        for _ in 0..<stringCount { stringList.append(try reader.string()) }

        func index<T>(_ list: [T], _ what: String) throws -> T {
            let start = reader.offset
            let value = try reader.uvarint()
            guard value < UInt64(list.count) else {
                throw DecodingError.malformed("\(what) index \(value) out of range", offset: start)
            }
            return list[Int(value)]
        }

        let countStart = reader.offset
        let changeCount = try reader.count(limit: reader.remaining / 8)
        guard changeCount <= maximumChanges else {
            throw DecodingError.tooManyChanges(changeCount, limit: maximumChanges, offset: countStart)
        }
        var changes: [Change] = []
        changes.reserveCapacity(changeCount)
        for _ in 0..<changeCount {
            let replica = try index(replicaList, "replica")
            let seqStart = reader.offset
            let seq = try reader.uvarint()
            guard seq >= 1, seq <= UInt64(Int64.max) else {
                throw DecodingError.malformed("change seq \(seq) out of range", offset: seqStart)
            }
            let hlcStart = reader.offset
            let hlc = try reader.uvarint()
            guard hlc <= UInt64(Int64.max) else {
                throw DecodingError.malformed("hlc out of range", offset: hlcStart)
            }
            let collection = try index(stringList, "collection")
            let record = try index(stringList, "record")
            let field = try index(stringList, "field")
            let code = try reader.byte()
            let payloadLength = try reader.count(limit: reader.remaining)
            let payloadStart = reader.offset
            let operation: Operation
            do {
                operation = try Operation(code: code, payload: try reader.raw(payloadLength))
            } catch let error as DecodingError {
                throw DecodingError.malformed("change \(replica.hex):\(seq): \(error)", offset: payloadStart)
            }
            guard !collection.isEmpty, !record.isEmpty else {
                throw DecodingError.malformed("change \(replica.hex):\(seq) has an empty collection or record id", offset: payloadStart)
            }
            changes.append(Change(
                id: ChangeID(replica: replica, seq: Int64(seq)),
                hlc: HLC(rawValue: Int64(hlc)),
                collection: collection, record: record, field: field, operation: operation))
        }
        guard reader.isAtEnd else {
            throw DecodingError.malformed("\(reader.remaining) unexpected bytes after the last change", offset: reader.offset)
        }
        return changes
    }
}
