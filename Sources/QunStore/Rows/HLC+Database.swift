import GRDB
import QunCore

/// A clock reading is stored as its raw 64-bit value (milliseconds << 16 | counter), so that
/// SQL orders and compares readings as integers.
extension HLC: DatabaseValueConvertible {
    public var databaseValue: DatabaseValue { rawValue.databaseValue }

    /// Nil for anything but an integer.
    public static func fromDatabaseValue(_ dbValue: DatabaseValue) -> HLC? {
        guard case .int64(let raw) = dbValue.storage else { return nil }
        return HLC(rawValue: raw)
    }
}
