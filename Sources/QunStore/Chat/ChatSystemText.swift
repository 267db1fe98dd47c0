/// A join, leave or recall that a platform's system line announces.
struct ChatSystemEvent: Equatable {
    var kind: ChatLine.Kind
    /// Who joined, left or recalled, by display name; nil for "你" (the person who made the
    /// export, whose display name the line does not give).
    var name: String?
    /// For a join: who invited, or whose QR code was scanned; nil when not said or "你".
    var inviter: String?
}

/// Understanding the system lines of QQ and WeChat ("李四加入本群。", `"张三"邀请"李四"加入了群聊`).
/// A line not understood is no event (an empty array): it is still read, as `.system`.
///
/// QQ writes names bare, so a name is what stands before or after the fixed words; WeChat
/// quotes every name (straight or curly quotes), so several invitees can be told apart.
enum ChatSystemText {
    private static let joinEnds = ["加入了本群", "加入本群", "加入了群聊", "加入群聊"]
    private static let leaveEnds = ["退出了本群", "退出本群", "退出了群聊", "退出群聊"]
    private static let removedEnds = ["移出了本群", "移出本群", "移出了群聊", "移出群聊",
                                      "踢出了本群", "踢出本群", "请出了本群", "请出本群"]
    private static let recallEnds = ["撤回了一条成员消息", "撤回了一条消息"]
    private static let listSeparators: Set<Character> = ["、", "，", ","]

    // MARK: QQ

    static func qq(_ text: String) -> [ChatSystemEvent] {
        var line = Substring(text.trimmingSpaces)
        while let last = line.last, "。.！!".contains(last) { line = line.dropLast() }
        if let body = line.removingSuffix(any: recallEnds) {
            return [ChatSystemEvent(kind: .recall, name: person(body))]
        }
        if var body = line.removingSuffix(any: joinEnds) {
            if body.hasPrefix("欢迎") { body = body.dropFirst(2) }
            if let via = body.firstRange(of: "通过") {
                var inviter: String?
                let how = body[via.upperBound...]
                if let scan = how.firstRange(of: "扫描"), let shared = how.firstRange(of: "分享的二维码"), scan.upperBound <= shared.lowerBound {
                    inviter = person(how[scan.upperBound..<shared.lowerBound])
                }
                return [ChatSystemEvent(kind: .join, name: person(body[..<via.lowerBound]), inviter: inviter)]
            }
            if let invite = body.firstRange(of: "邀请") {
                let inviter = person(body[..<invite.lowerBound])
                return list(body[invite.upperBound...]).map { ChatSystemEvent(kind: .join, name: $0, inviter: inviter) }
            }
            return [ChatSystemEvent(kind: .join, name: person(body))]
        }
        if let body = line.removingSuffix(any: leaveEnds) {
            return [ChatSystemEvent(kind: .leave, name: person(body))]
        }
        if let body = line.removingSuffix(any: removedEnds) {
            if let by = body.firstRange(of: "将"), !body[..<by.lowerBound].trimmingSpaces.isEmpty {
                return list(body[by.upperBound...]).map { ChatSystemEvent(kind: .leave, name: $0) }
            }
            var search = body.startIndex
            while let by = body[search...].firstRange(of: "被") {
                let before = body[..<by.lowerBound].trimmingSpaces
                if !before.isEmpty { return [ChatSystemEvent(kind: .leave, name: person(Substring(before)))] }
                search = by.upperBound
            }
            return [ChatSystemEvent(kind: .leave, name: person(body))]
        }
        return []
    }

    /// "你" is the exporter; an empty name is no one.
    private static func person(_ text: Substring) -> String? {
        let name = text.trimmingSpaces
        return name.isEmpty || name == "你" ? nil : name
    }

    private static func list(_ text: Substring) -> [String?] {
        let names = text.split(whereSeparator: { listSeparators.contains($0) }).map { person($0) }
        return names.isEmpty ? [nil] : names
    }

    // MARK: WeChat

    /// Stands for a quoted name in the pattern of a WeChat line.
    private static let placeholder: Character = "\u{FFFC}"

    static func weChat(_ text: String) -> [ChatSystemEvent] {
        var line = Substring(text)
        // Recalls of type 10002 come as XML, the readable line in <replacemsg>'s CDATA.
        if let open = line.firstRange(of: "<replacemsg><![CDATA["),
           let close = line[open.upperBound...].firstRange(of: "]]>") {
            line = line[open.upperBound..<close.lowerBound]
        }
        let (pattern, quoted) = quotedNames(line)
        func names(in range: Range<String.Index>) -> [String] {
            let before = pattern[..<range.lowerBound].filter { $0 == placeholder }.count
            let inside = pattern[range].filter { $0 == placeholder }.count
            return Array(quoted[before..<(before + inside)])
        }
        func firstRange(_ words: [String]) -> Range<String.Index>? {
            words.lazy.compactMap { pattern.firstRange(of: $0) }.first
        }
        if pattern.contains("拍了拍") { return [] }
        if let recall = firstRange(recallEnds) {
            return [ChatSystemEvent(kind: .recall, name: names(in: pattern.startIndex..<recall.lowerBound).last)]
        }
        if let join = firstRange(["二维码加入群聊", "二维码加入了群聊"]), let scan = pattern.firstRange(of: "通过扫描"),
           scan.upperBound <= join.lowerBound {
            let joiners = names(in: pattern.startIndex..<scan.lowerBound)
            let inviter = names(in: scan.upperBound..<join.lowerBound).first
            return (joiners.isEmpty ? [nil] : joiners.map { Optional($0) })
                .map { ChatSystemEvent(kind: .join, name: $0, inviter: inviter) }
        }
        if let join = firstRange(["加入了群聊", "加入群聊"]) {
            if let invite = pattern.firstRange(of: "邀请"), invite.upperBound <= join.lowerBound {
                let inviter = names(in: pattern.startIndex..<invite.lowerBound).first
                let joiners = names(in: invite.upperBound..<join.lowerBound)
                return (joiners.isEmpty ? [nil] : joiners.map { Optional($0) })
                    .map { ChatSystemEvent(kind: .join, name: $0, inviter: inviter) }
            }
            let joiners = names(in: pattern.startIndex..<join.lowerBound)
            return (joiners.isEmpty ? [nil] : joiners.map { Optional($0) }).map { ChatSystemEvent(kind: .join, name: $0) }
        }
        if let removed = firstRange(["移出了群聊", "移出群聊"]) {
            var leavers: [String] = []
            if let by = pattern.firstRange(of: "将"), by.upperBound <= removed.lowerBound {
                leavers = names(in: by.upperBound..<removed.lowerBound)
            } else if let by = pattern.firstRange(of: "被"), by.upperBound <= removed.lowerBound {
                leavers = names(in: pattern.startIndex..<by.lowerBound)
            } else {
                leavers = names(in: pattern.startIndex..<removed.lowerBound)
            }
            return (leavers.isEmpty ? [nil] : leavers.map { Optional($0) }).map { ChatSystemEvent(kind: .leave, name: $0) }
        }
        if let left = firstRange(["退出了群聊", "退出群聊"]) {
            let leavers = names(in: pattern.startIndex..<left.lowerBound)
            return (leavers.isEmpty ? [nil] : leavers.map { Optional($0) }).map { ChatSystemEvent(kind: .leave, name: $0) }
        }
        return []
    }

    /// The line with each quoted name replaced by `placeholder`, and the names in order.
    private static func quotedNames(_ line: Substring) -> (String, [String]) {
        var pattern = ""
        var names: [String] = []
        var name: String?
        for character in line {
            if var current = name {
                if character == "\"" || character == "”" {
                    names.append(current)
                    pattern.append(placeholder)
                    name = nil
                } else {
                    current.append(character)
                    name = current
                }
            } else if character == "\"" || character == "“" {
                name = ""
            } else {
                pattern.append(character)
            }
        }
        if let unclosed = name { pattern += "\"" + unclosed }
        return (pattern, names)
    }
}

extension StringProtocol {
    /// Without leading and trailing spaces, tabs and ideographic spaces.
    var trimmingSpaces: String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\u{3000}" || $0 == "\r" || $0 == "\n" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[first...last])
    }
}

extension Substring {
    /// The text before the first of `suffixes` it ends with, or nil.
    func removingSuffix(any suffixes: [String]) -> Substring? {
        for suffix in suffixes where hasSuffix(suffix) { return dropLast(suffix.count) }
        return nil
    }
}
