/// For every origin replica, the highest `seq` such that this store holds all of
/// `1...seq` from it. Two stores compare vectors to learn exactly which changes each lacks.
public struct VersionVector: Hashable, Sendable, CustomStringConvertible {
    public private(set) var entries: [ReplicaID: Int64]

    public init(_ entries: [ReplicaID: Int64] = [:]) {
        self.entries = entries.filter { $0.value > 0 }
    }

    public subscript(replica: ReplicaID) -> Int64 {
        get { entries[replica] ?? 0 }
        set { entries[replica] = newValue > 0 ? newValue : nil }
    }

    /// Whether the change with this id is covered by the vector.
    public func contains(_ id: ChangeID) -> Bool { id.seq <= self[id.replica] }

    /// The pointwise maximum.
    public func merged(with other: VersionVector) -> VersionVector {
        VersionVector(entries.merging(other.entries, uniquingKeysWith: max))
    }

    /// True when this vector covers everything `other` covers.
    public func dominates(_ other: VersionVector) -> Bool {
        other.entries.allSatisfy { self[$0.key] >= $0.value }
    }

    /// Total number of changes the vector covers.
    public var count: Int64 { entries.values.reduce(0, +) }

    /// `HEX:SEQ,HEX:SEQ` sorted by replica: the form `--since` takes and `status` prints.
    public var description: String {
        entries.sorted { $0.key < $1.key }.map { "\($0.key.hex):\($0.value)" }.joined(separator: ",")
    }

    /// Parses the `description` form; an empty string is the empty vector.
    public init?(parsing text: String) {
        var entries: [ReplicaID: Int64] = [:]
        for part in text.split(separator: ",", omittingEmptySubsequences: true) {
            let pieces = part.trimmingCharacters(in: " ").split(separator: ":")
            guard pieces.count == 2, let replica = ReplicaID(hex: String(pieces[0])),
                  let seq = Int64(pieces[1]), seq >= 0, entries[replica] == nil else { return nil }
            entries[replica] = seq
        }
        self.init(entries)
    }

    public var json: JSON {
        .object(entries.map { ($0.key.hex, JSON.int($0.value)) })
    }
}

extension Substring {
    func trimmingCharacters(in character: Character) -> Substring {
        var result = self
        while result.first == character { result.removeFirst() }
        while result.last == character { result.removeLast() }
        return result
    }
}
