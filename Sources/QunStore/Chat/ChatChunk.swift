import Crypto
import QunCore

/// One stored line of a chat: what `chat_message` holds, and what a chunk carries.
struct ChatRecordLine: Equatable {
    /// 64 bits of the line's hash (`ChatLineID`).
    var id: Int64
    var at: Int64
    var kind: ChatLine.Kind
    var sender: String
    var nickname: String
    var length: Int
    var inviter: String?
    /// Only with `--keep-text`.
    var text: String?

    /// The `chat_message.kind` of a stored kind; recall and system lines are not stored.
    var storedKind: Int64 {
        switch kind {
        case .join: return 1
        case .leave: return 2
        case .message, .recall, .system: return 0
        }
    }
}

/// A chunk of an import: the lines of a few hundred messages packed into the one text value
/// of a `chat` record, so that a million messages are a few thousand changes in the log and
/// on the wire, not a million.
///
/// A chunk is a fact, written once: its record id is the hash of its text, so two laptops
/// that pack the same lines hold one record. The messages a store knows are the union of the
/// lines of its live chunks (`ChatMaterialiser`), which does not depend on how the lines were
/// cut into chunks or in what order chunks arrive.
///
/// The text is line-based so `qun history` can show it: a first line `qun chat v1`, then one
/// line per chat line, tab-separated:
///
///     id (16 hex) | kind m/j/l | at (seconds) | sender key | nickname | length | inviter | text
///
/// where text is `-` when not kept and `=` followed by the text when kept. Tabs, line breaks
/// and backslashes inside fields are escaped (`\t`, `\n`, `\r`, `\\`). A line a reader cannot
/// decode (a newer laptop's, or a broken one) is skipped on every laptop alike.
enum ChatChunk {
    static let header = "qun chat v1"
    /// Lines per chunk: a chunk stays well under a commit block's byte budget.
    static let maximumLines = 256

    static func encode(_ lines: [ChatRecordLine]) -> String {
        var out = header
        out.reserveCapacity(lines.count * 72)
        for line in lines {
            out += "\n"
            out += hex(UInt64(bitPattern: line.id))
            out += "\t"
            out += line.kind == .join ? "j" : line.kind == .leave ? "l" : "m"
            out += "\t\(line.at)\t"
            escape(line.sender, into: &out)
            out += "\t"
            escape(line.nickname, into: &out)
            out += "\t\(line.length)\t"
            escape(line.inviter ?? "", into: &out)
            out += "\t"
            if let text = line.text {
                out += "="
                escape(text, into: &out)
            } else {
                out += "-"
            }
        }
        return out
    }

    /// The lines of a chunk's text; nil when it is not a chunk at all.
    static func decode(_ text: String) -> [ChatRecordLine]? {
        var rows = text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true)[...]
        guard let first = rows.popFirst(), String(decoding: first, as: UTF8.self) == header else { return nil }
        var lines: [ChatRecordLine] = []
        lines.reserveCapacity(rows.count)
        for row in rows {
            let fields = row.split(separator: UInt8(ascii: "\t"), omittingEmptySubsequences: false)
            guard fields.count == 8,
                  let id = UInt64(String(decoding: fields[0], as: UTF8.self), radix: 16),
                  let at = Int64(String(decoding: fields[2], as: UTF8.self)),
                  let length = Int(String(decoding: fields[5], as: UTF8.self)), length >= 0
            else { continue }
            let kind: ChatLine.Kind
            switch String(decoding: fields[1], as: UTF8.self) {
            case "m": kind = .message
            case "j": kind = .join
            case "l": kind = .leave
            default: continue
            }
            let sender = unescape(fields[3])
            guard !sender.isEmpty else { continue }
            let inviter = unescape(fields[6])
            let textField = fields[7]
            let text: String?
            if textField.first == UInt8(ascii: "=") {
                text = unescape(textField.dropFirst())
            } else {
                text = nil
            }
            lines.append(ChatRecordLine(id: Int64(bitPattern: id), at: at, kind: kind, sender: sender,
                                        nickname: unescape(fields[4]), length: length,
                                        inviter: inviter.isEmpty ? nil : inviter, text: text))
        }
        return lines
    }

    /// The record id of a chunk: the first 16 bytes of its text's SHA-256, in hex.
    static func recordID(_ text: String) -> String {
        SHA256.hash(data: Array(text.utf8)).prefix(16).hexString
    }

    private static func hex(_ value: UInt64) -> String {
        let text = String(value, radix: 16)
        return String(repeating: "0", count: 16 - text.utf8.count) + text
    }

    private static func escape(_ text: String, into out: inout String) {
        if !text.utf8.contains(where: { $0 == 9 || $0 == 10 || $0 == 13 || $0 == 92 }) {
            out += text
            return
        }
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\t": out += "\\t"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\\": out += "\\\\"
            default: out.unicodeScalars.append(scalar)
            }
        }
    }

    private static func unescape<S: Collection>(_ bytes: S) -> String where S.Element == UInt8 {
        guard bytes.contains(UInt8(ascii: "\\")) else { return String(decoding: bytes, as: UTF8.self) }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var escaped = false
        for byte in bytes {
            if escaped {
                switch byte {
                case UInt8(ascii: "t"): out.append(9)
                case UInt8(ascii: "n"): out.append(10)
                case UInt8(ascii: "r"): out.append(13)
                default: out.append(byte)
                }
                escaped = false
            } else if byte == UInt8(ascii: "\\") {
                escaped = true
            } else {
                out.append(byte)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// The id of a chat line, from the line itself: `SHA-256("qun chat line v1" | sender | at |
/// kind | text | occurrence)`, first 8 bytes. The same message in two overlapping exports
/// gets the same id on every laptop, whoever imports it and however the file is cut.
///
/// `occurrence` tells apart identical lines — the same sender saying the same thing twice in
/// one second ("哈哈哈"): the first is 0, the next 1, counted within the file. Two exports
/// that both hold such a pair number them alike.
enum ChatLineID {
    static func make(sender: String, at: Int64, kind: ChatLine.Kind, text: String, occurrence: Int) -> Int64 {
        var hasher = SHA256()
        var head: [UInt8] = Array("qun chat line v1".utf8)
        head.append(0)
        head += sender.utf8
        head.append(0)
        head += String(at).utf8
        head.append(0)
        head += kind.rawValue.utf8
        head.append(0)
        hasher.update(data: head)
        hasher.update(data: Array(text.utf8))
        hasher.update(data: [0] + Array(String(occurrence).utf8))
        var value: UInt64 = 0
        for byte in hasher.finalize().prefix(8) { value = value << 8 | UInt64(byte) }
        return Int64(bitPattern: value)
    }
}
