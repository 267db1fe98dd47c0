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
        var out: [UInt8] = []
        write(to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Objects and arrays of objects spread over lines with two-space indentation; scalars
    /// and arrays of scalars stay on one line.
    public var pretty: String {
        var out: [UInt8] = []
        out.reserveCapacity(4096)
        writePretty(to: &out, indent: 0)
        return String(decoding: out, as: UTF8.self)
    }

    private static func sorted(_ members: [(String, JSON)]) -> [(String, JSON)] {
        func precedes(_ a: String, _ b: String) -> Bool { a.utf8.lexicographicallyPrecedes(b.utf8) }
        // Callers usually build objects in key order already: check before sorting.
        var inOrder = true
        for index in members.indices.dropFirst() where !precedes(members[index - 1].0, members[index].0) {
            inOrder = false
            break
        }
        return inOrder ? members : members.sorted { precedes($0.0, $1.0) }
    }

    // Rendering goes to a byte buffer: appending to a String costs several times more.
    func write(to out: inout [UInt8]) {
        switch self {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let flag): out.append(contentsOf: (flag ? "true" : "false").utf8)
        case .int(let number): out.append(contentsOf: String(number).utf8)
        case .real(let number):
            out.append(contentsOf: (number.isFinite ? String(number) : "null").utf8)
        case .string(let text): JSON.writeString(text, to: &out)
        case .array(let items):
            out.append(UInt8(ascii: "["))
            for (index, item) in items.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                item.write(to: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let members):
            out.append(UInt8(ascii: "{"))
            for (index, member) in JSON.sorted(members).enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                JSON.writeString(member.0, to: &out)
                out.append(UInt8(ascii: ":"))
                member.1.write(to: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    private var isContainer: Bool {
        switch self {
        case .array(let items): return !items.isEmpty
        case .object(let members): return !members.isEmpty
        default: return false
        }
    }

    private static func newline(_ out: inout [UInt8], indent: Int) {
        out.append(UInt8(ascii: "\n"))
        out.append(contentsOf: repeatElement(UInt8(ascii: " "), count: indent))
    }

    private func writePretty(to out: inout [UInt8], indent: Int) {
        switch self {
        case .array(let items) where items.contains(where: \.isContainer):
            out.append(UInt8(ascii: "["))
            for (index, item) in items.enumerated() {
                JSON.newline(&out, indent: indent + 2)
                item.writePretty(to: &out, indent: indent + 2)
                if index < items.count - 1 { out.append(UInt8(ascii: ",")) }
            }
            JSON.newline(&out, indent: indent)
            out.append(UInt8(ascii: "]"))
        case .object(let members) where !members.isEmpty:
            out.append(UInt8(ascii: "{"))
            let sortedMembers = JSON.sorted(members)
            for (index, member) in sortedMembers.enumerated() {
                JSON.newline(&out, indent: indent + 2)
                JSON.writeString(member.0, to: &out)
                out.append(contentsOf: ": ".utf8)
                member.1.writePretty(to: &out, indent: indent + 2)
                if index < sortedMembers.count - 1 { out.append(UInt8(ascii: ",")) }
            }
            JSON.newline(&out, indent: indent)
            out.append(UInt8(ascii: "}"))
        default:
            write(to: &out)
        }
    }

    static func writeString(_ text: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        // Most strings need no escaping: append their bytes whole.
        if !text.utf8.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C || $0 == 0xE2 }) {
            out.append(contentsOf: text.utf8)
            out.append(UInt8(ascii: "\""))
            return
        }
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out.append(contentsOf: "\\\"".utf8)
            case "\\": out.append(contentsOf: "\\\\".utf8)
            case "\n": out.append(contentsOf: "\\n".utf8)
            case "\r": out.append(contentsOf: "\\r".utf8)
            case "\t": out.append(contentsOf: "\\t".utf8)
            case let s where s.value < 0x20 || s.value == 0x2028 || s.value == 0x2029:
                let hex = String(s.value, radix: 16)
                out.append(contentsOf: ("\\u" + String(repeating: "0", count: 4 - hex.count) + hex).utf8)
            default: out.append(contentsOf: String(scalar).utf8)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
