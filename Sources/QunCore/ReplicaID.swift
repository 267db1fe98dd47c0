/// The identity of one store: 128 random bits, made once by `qun init` and never reused.
///
/// Two stores that share a replica id would hand out the same `(replica, seq)` pairs and
/// silently lose each other's writes, which is why a store that finds itself copied takes a
/// new id (see `QunStore`).
public struct ReplicaID: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The two 64-bit halves, most significant first: comparing them compares the ids.
    public let high: UInt64
    public let low: UInt64

    public init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    /// A fresh id from the system's random number generator.
    public static func random() -> ReplicaID {
        var rng = SystemRandomNumberGenerator()
        return ReplicaID(high: rng.next(), low: rng.next())
    }

    /// Parses the 32-character lowercase or uppercase hex form.
    public init?(hex: String) {
        let utf8 = Array(hex.utf8)
        guard utf8.count == 32,
              utf8.allSatisfy({ (48...57).contains($0) || (65...70).contains($0) || (97...102).contains($0) }),
              let high = UInt64(String(decoding: utf8[0..<16], as: UTF8.self), radix: 16),
              let low = UInt64(String(decoding: utf8[16..<32], as: UTF8.self), radix: 16)
        else { return nil }
        self.init(high: high, low: low)
    }

    /// The 32-character lowercase hex form used in files, on the wire and in `--json` output.
    public var hex: String { Hex.pad(high) + Hex.pad(low) }

    public var description: String { hex }

    /// The 16 bytes, big-endian.
    public var bytes: [UInt8] {
        (0..<8).map { UInt8(truncatingIfNeeded: high >> (56 - 8 * $0)) }
            + (0..<8).map { UInt8(truncatingIfNeeded: low >> (56 - 8 * $0)) }
    }

    public init?(bytes: some Collection<UInt8>) {
        guard bytes.count == 16 else { return nil }
        var high: UInt64 = 0
        var low: UInt64 = 0
        for (index, byte) in bytes.enumerated() {
            if index < 8 { high = high << 8 | UInt64(byte) } else { low = low << 8 | UInt64(byte) }
        }
        self.init(high: high, low: low)
    }

    public static func < (a: ReplicaID, b: ReplicaID) -> Bool {
        (a.high, a.low) < (b.high, b.low)
    }

    /// A short code for this replica in Crockford base32 (no I, L, O, U), four characters:
    /// the prefix of member numbers handed out by this replica.
    public var numberPrefix: String {
        let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ")
        var bits = high >> 44  // top 20 bits
        var chars: [Character] = []
        for _ in 0..<4 {
            chars.append(alphabet[Int(bits & 31)])
            bits >>= 5
        }
        return String(chars.reversed())
    }
}

enum Hex {
    static func pad(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
