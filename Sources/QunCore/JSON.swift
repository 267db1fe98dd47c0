/// A JSON value with one canonical rendering: object keys sorted by their UTF-8 bytes,
/// integers in decimal, no insignificant whitespace in `compact`, non-ASCII text left as UTF-8.
///
/// Converged replicas must print byte-identical exports, so the rendering cannot depend on
/// dictionary order or on a platform's JSON encoder.
public indirect enum JSON: Hashable, Sendable {
    case null
    case bool(Bool)
    case int(Int64)
    case real(Double)
    case string(String)
    case array([JSON])
    case object([(String, JSON)])

    public static func == (a: JSON, b: JSON) -> Bool { a.compact == b.compact }
    public func hash(into hasher: inout Hasher) { hasher.combine(compact) }

    /// One line, no spaces.
    public var compact: String {
        var out = ""
        write(to: &out)
        return out
    }

    /// Objects and arrays of objects spread over lines with two-space indentation; scalars
    /// and arrays of scalars stay on one line.
    public var pretty: String {
        var out = ""
        writePretty(to: &out, indent: 0)
        return out
    }

    private static func sorted(_ members: [(String, JSON)]) -> [(String, JSON)] {
        members.sorted { $0.0.utf8.lexicographicallyPrecedes($1.0.utf8) }
    }

    public func write(to out: inout String) {
        switch self {
        case .null: out += "null"
        case .bool(let flag): out += flag ? "true" : "false"
        case .int(let number): out += String(number)
        case .real(let number):
            out += number.isFinite ? String(number) : "null"
        case .string(let text): JSON.writeString(text, to: &out)
        case .array(let items):
            out += "["
            for (index, item) in items.enumerated() {
                if index > 0 { out += "," }
                item.write(to: &out)
            }
            out += "]"
        case .object(let members):
            out += "{"
            for (index, member) in JSON.sorted(members).enumerated() {
                if index > 0 { out += "," }
                JSON.writeString(member.0, to: &out)
                out += ":"
                member.1.write(to: &out)
            }
            out += "}"
        }
    }

    private var isContainer: Bool {
        switch self {
        case .array(let items): return !items.isEmpty
        case .object(let members): return !members.isEmpty
        default: return false
        }
    }

    private func writePretty(to out: inout String, indent: Int) {
        let pad = String(repeating: " ", count: indent + 2)
        let closing = String(repeating: " ", count: indent)
        switch self {
        case .array(let items) where items.contains(where: \.isContainer):
            out += "[\n"
            for (index, item) in items.enumerated() {
                out += pad
                item.writePretty(to: &out, indent: indent + 2)
                out += index == items.count - 1 ? "\n" : ",\n"
            }
            out += closing + "]"
        case .object(let members) where !members.isEmpty:
            out += "{\n"
            let sortedMembers = JSON.sorted(members)
            for (index, member) in sortedMembers.enumerated() {
                out += pad
                JSON.writeString(member.0, to: &out)
                out += ": "
                member.1.writePretty(to: &out, indent: indent + 2)
                out += index == sortedMembers.count - 1 ? "\n" : ",\n"
            }
            out += closing + "}"
        default:
            write(to: &out)
        }
    }

    static func writeString(_ text: String, to out: inout String) {
        out += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case let s where s.value < 0x20 || s.value == 0x2028 || s.value == 0x2029:
                let hex = String(s.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }
}
