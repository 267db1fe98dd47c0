/// A scalar field value. SQLite stores each case natively (NULL, INTEGER, REAL, TEXT), so a
/// value costs no more on disk than the user's data.
public enum Value: Hashable, Sendable, CustomStringConvertible {
    case null
    case int(Int64)
    case real(Double)
    case text(String)

    public var text: String? {
        if case .text(let string) = self { return string }
        return nil
    }

    public var int: Int64? {
        if case .int(let number) = self { return number }
        return nil
    }

    public var isNull: Bool { self == .null }

    public var description: String {
        switch self {
        case .null: return "null"
        case .int(let number): return String(number)
        case .real(let number): return String(number)
        case .text(let string): return string
        }
    }

    public var json: JSON {
        switch self {
        case .null: return .null
        case .int(let number): return .int(number)
        case .real(let number): return .real(number)
        case .text(let string): return .string(string)
        }
    }
}
