import Foundation

/// Writes iCalendar text (RFC 5545): content lines of `NAME;PARAM=VALUE:value`, ended by
/// CRLF, folded so that no line is longer than 75 octets.
///
/// Folding counts octets, not characters: a line of Chinese text reaches the limit after
/// 25 characters. A fold never falls inside a UTF-8 sequence, since readers that unfold
/// byte-wise would otherwise see invalid UTF-8 on either side of the break.
public struct ICalendarWriter: Sendable {
    public static let maximumLineOctets = 75

    private var bytes: [UInt8] = []

    public init() {}

    /// The finished text.
    public var text: String { String(decoding: bytes, as: UTF8.self) }

    /// `BEGIN:COMPONENT`.
    public mutating func begin(_ component: String) { line("BEGIN:\(component)") }

    /// `END:COMPONENT`.
    public mutating func end(_ component: String) { line("END:\(component)") }

    /// A property whose value is TEXT: escaped here.
    public mutating func text(_ name: String, _ value: String, parameters: [(String, String)] = []) {
        property(name, Self.escape(value), parameters: parameters)
    }

    /// A property with a value already in its iCalendar form (a date, a number, a URI).
    public mutating func property(_ name: String, _ value: String, parameters: [(String, String)] = []) {
        let parameterText = parameters.map { ";\($0.0)=\($0.1)" }.joined()
        line("\(name)\(parameterText):\(value)")
    }

    private mutating func line(_ content: String) {
        bytes.append(contentsOf: Self.fold(content))
    }

    /// TEXT escaping: backslash, semicolon, comma and newline (RFC 5545 §3.3.11). A CR is
    /// dropped (a CRLF in the source is one newline); other control characters, which TEXT
    /// may not hold, become spaces.
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case ";": out += "\\;"
            case ",": out += "\\,"
            case "\n": out += "\\n"
            case "\r": break
            case "\t": out += " "
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F { out += " " } else { out.unicodeScalars.append(scalar) }
            }
        }
        return out
    }

    /// One content line as CRLF-ended octets, folded at 75 octets: each continuation line
    /// starts with a space, which counts toward its 75.
    public static func fold(_ line: String) -> [UInt8] {
        var out: [UInt8] = []
        var lineLength = 0
        for scalar in line.unicodeScalars {
            let encoded = Array(String(scalar).utf8)
            if lineLength + encoded.count > maximumLineOctets {
                out.append(contentsOf: [13, 10, 32])
                lineLength = 1
            }
            out.append(contentsOf: encoded)
            lineLength += encoded.count
        }
        out.append(contentsOf: [13, 10])
        return out
    }
}
