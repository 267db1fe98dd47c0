/// QQ's text export ("消息管理器 → 导出为 .txt"), read a line at a time.
///
/// ```
/// 消息记录（此消息记录为文本格式，不支持重新导入）
///
/// ================================================================
/// 消息分组:我的群聊
/// ================================================================
/// 消息对象:读书会
/// ================================================================
///
/// 2024-01-05 20:31:12 小王(读书会)(12345678)
/// 第一行
///
/// 第三行
///
/// 2024-01-05 8:01:02 李四<lisi@example.com>
/// 早
/// ```
///
/// A message is a header line — time, then the sender: a nickname followed by the QQ number in
/// parentheses, or by an e-mail address in angle brackets — and the lines below it up to the
/// next header. The QQ number is the *last* parenthesised number, as nicknames hold
/// parentheses of their own. Blank lines inside a message are kept; those around it (QQ puts
/// one between messages) are not. A line shaped like a header only starts a message after a
/// blank line or when it ends with a QQ number or address, so a message quoting a time stays
/// one message.
///
/// The preamble names the group (`消息对象:读书会`, the first one when an export holds several
/// conversations). A header whose time is not real (`2024-13-45 25:61:00`), a message that is
/// not UTF-8 text, and text before the first header are problems, by line; reading goes on.
struct QQChatExport {
    private struct Header {
        var line: Int
        var time: ChatTime
        var sender: ChatSender
        var isSystem: Bool
    }

    private(set) var group: String?
    private(set) var problems: [ChatProblem] = []

    private var current: Header?
    /// After a header that could not be read: its lines are skipped.
    private var skipping = false
    private var body: [UInt8] = []
    /// Where each line of `body` starts, and its line number: to name the line that is not UTF-8.
    private var bodyLines: [(offset: Int, line: Int)] = []
    /// The length of `body` up to its last line that is not blank.
    private var bodyEnd = 0
    private var atMessageStart = true
    /// A `=====` line inside a message: a new conversation's preamble if 消息分组/消息对象 follows.
    private var pendingSeparator: (line: Int, bytes: [UInt8])?
    /// A run of lines before any header: one problem for the run.
    private var stray: (line: Int, count: Int)?

    private static let groupPrefixes = [Array("消息对象:".utf8), Array("消息对象：".utf8)]
    private static let preamblePrefixes = [Array("消息分组:".utf8), Array("消息分组：".utf8), Array("消息记录".utf8)]
    private static let recallNotice = Array("撤回了一条消息".utf8)

    mutating func feed(_ line: UnsafeBufferPointer<UInt8>, _ number: Int, emit: (ChatLine) throws -> Void) throws {
        if let separator = pendingSeparator {
            pendingSeparator = nil
            if QQChatExport.startsPreamble(line) {
                try endMessage(emit: emit)
            } else {
                separator.bytes.withUnsafeBufferPointer { append($0, separator.line) }
            }
        }
        if line.count >= 16, line.allSatisfy({ $0 == 0x3D }) {
            if current != nil || skipping {
                pendingSeparator = (number, Array(line))
            }
            atMessageStart = true
            return
        }
        if line.isBlank {
            if current != nil { append(line, number) }
            atMessageStart = true
            return
        }
        if line[0] &- 0x30 < 10, let (fields, end) = ChatTimeText.scan(line, requireSeconds: true),
           end < line.count, line[end] == 0x20 || line[end] == 0x09 {
            let senderPart = UnsafeBufferPointer(rebasing: line[(end + 1)...])
            if !senderPart.isBlank {
                let id = QQChatExport.senderID(senderPart)
                if atMessageStart || id != nil || (current == nil && !skipping) {
                    try endMessage(emit: emit)
                    flushStray()
                    startMessage(fields, senderPart, id, number)
                    atMessageStart = false
                    return
                }
            }
        }
        atMessageStart = false
        if current == nil && !skipping {
            if let prefix = QQChatExport.groupPrefixes.first(where: { line.hasPrefix($0) }) {
                flushStray()
                if group == nil {
                    group = UnsafeBufferPointer(rebasing: line[prefix.count...]).utf8String?.trimmingSpaces
                    if group?.isEmpty == true { group = nil }
                }
            } else if QQChatExport.preamblePrefixes.contains(where: { line.hasPrefix($0) }) {
                flushStray()
            } else if let run = stray {
                stray = (run.line, run.count + 1)
            } else {
                stray = (number, 1)
            }
            return
        }
        if skipping { return }
        append(line, number)
    }

    mutating func finish(emit: (ChatLine) throws -> Void) throws {
        pendingSeparator = nil
        try endMessage(emit: emit)
        flushStray()
    }

    private static func startsPreamble(_ line: UnsafeBufferPointer<UInt8>) -> Bool {
        groupPrefixes.contains { line.hasPrefix($0) } || preamblePrefixes.contains { line.hasPrefix($0) }
    }

    private mutating func flushStray() {
        guard let run = stray else { return }
        stray = nil
        let lines = run.count == 1 ? "" : " (and the \(run.count - 1) lines below it)"
        problems.append(ChatProblem(line: run.line, reason: "not part of a QQ message\(lines): no message header such as \"2024-01-05 20:31:12 昵称(12345678)\" above it"))
    }

    // MARK: Sender

    enum SenderID: Equatable {
        /// The QQ number's digits, from `open` (the parenthesis) on.
        case qq(open: Int)
        case email(open: Int)
    }

    /// Where the sender's id starts in the header's sender part (trailing spaces excluded).
    static func senderID(_ part: UnsafeBufferPointer<UInt8>) -> SenderID? {
        var end = part.count
        while end > 0, part[end - 1] == 0x20 || part[end - 1] == 0x09 { end -= 1 }
        guard end >= 3 else { return nil }
        if part[end - 1] == 0x29 {  // ")"
            var i = end - 2
            while i >= 0, part[i] &- 0x30 < 10 { i -= 1 }
            let digits = end - 2 - i
            if i >= 0, part[i] == 0x28, digits >= 5 { return .qq(open: i) }
            return nil
        }
        if part[end - 1] == 0x3E {  // ">"
            var i = end - 2
            while i >= 0, part[i] != 0x3C, part[i] != 0x20 { i -= 1 }
            if i >= 0, part[i] == 0x3C, i < end - 2 { return .email(open: i) }
        }
        return nil
    }

    /// The sender a header names. Nil when its bytes are not UTF-8.
    static func sender(_ part: UnsafeBufferPointer<UInt8>, _ id: SenderID?) -> ChatSender? {
        var end = part.count
        while end > 0, part[end - 1] == 0x20 || part[end - 1] == 0x09 { end -= 1 }
        var start = 0
        while start < end, part[start] == 0x20 { start += 1 }
        func text(_ from: Int, _ to: Int) -> String? {
            var to = to
            while to > from, part[to - 1] == 0x20 { to -= 1 }
            return UnsafeBufferPointer(rebasing: part[from..<max(from, to)]).utf8String
        }
        switch id {
        case .qq(let open):
            guard let nickname = text(start, open), let number = text(open + 1, end - 1) else { return nil }
            return ChatSender(key: "qq:" + number, nickname: nickname)
        case .email(let open):
            guard let nickname = text(start, open), let address = text(open + 1, end - 1) else { return nil }
            return ChatSender(key: "email:" + address, nickname: nickname)
        case nil:
            guard let nickname = text(start, end) else { return nil }
            return ChatSender(key: "name:" + nickname, nickname: nickname)
        }
    }

    /// A person named in a system line ("李四(12345678)" or "李四").
    static func sender(named name: String) -> ChatSender {
        let bytes = Array(name.utf8)
        return bytes.withUnsafeBufferPointer { part in
            if let id = senderID(part), case .qq = id, let sender = sender(part, id) { return sender }
            return ChatSender(key: "name:" + name, nickname: name)
        }
    }

    // MARK: Messages

    private mutating func startMessage(_ fields: ChatTimeFields, _ part: UnsafeBufferPointer<UInt8>, _ id: SenderID?, _ number: Int) {
        guard let time = fields.time else {
            problems.append(ChatProblem(line: number, reason: "\(fields.description) is not a real date and time; the message is skipped"))
            skipping = true
            return
        }
        guard let sender = QQChatExport.sender(part, id) else {
            problems.append(ChatProblem(line: number, reason: "the sender is not valid UTF-8 text; the message is skipped"))
            skipping = true
            return
        }
        let isSystem: Bool
        switch id {
        case .qq: isSystem = sender.key == "qq:10000" || sender.key == "qq:1000000"
        case .email: isSystem = false
        case nil: isSystem = sender.nickname == "系统消息"
        }
        current = Header(line: number, time: time, sender: sender, isSystem: isSystem)
    }

    private mutating func append(_ line: UnsafeBufferPointer<UInt8>, _ number: Int) {
        let blank = line.isBlank
        if bodyLines.isEmpty && blank { return }
        if !bodyLines.isEmpty { body.append(0x0A) }
        bodyLines.append((body.count, number))
        body.append(contentsOf: line)
        if !blank { bodyEnd = body.count }
    }

    private mutating func endMessage(emit: (ChatLine) throws -> Void) throws {
        defer {
            current = nil
            skipping = false
            body.removeAll(keepingCapacity: true)
            bodyLines.removeAll(keepingCapacity: true)
            bodyEnd = 0
        }
        guard let header = current else { return }
        let end = bodyEnd
        guard let text = body.withUnsafeBufferPointer({ UnsafeBufferPointer(rebasing: $0[..<end]).utf8String }) else {
            problems.append(ChatProblem(line: badLine(), reason: "not valid UTF-8 text; the message of line \(header.line) is skipped"))
            return
        }
        if header.isSystem {
            let events = ChatSystemText.qq(text)
            if events.isEmpty || events.contains(where: { $0.name == nil }) {
                try emit(ChatLine(line: header.line, time: header.time, sender: header.sender, kind: .system, text: text))
                return
            }
            for event in events {
                guard let name = event.name else { continue }
                try emit(ChatLine(line: header.line, time: header.time, sender: QQChatExport.sender(named: name),
                                  kind: event.kind, text: text, inviter: event.inviter))
            }
            return
        }
        let kind: ChatLine.Kind = isRecallNotice(by: header.sender.nickname) ? .recall : .message
        try emit(ChatLine(line: header.line, time: header.time, sender: header.sender, kind: kind, text: text))
    }

    /// The whole text is "撤回了一条消息", "昵称撤回了一条消息" or "昵称 撤回了一条消息".
    private func isRecallNotice(by nickname: String) -> Bool {
        let notice = QQChatExport.recallNotice
        guard bodyEnd >= notice.count, bodyEnd <= notice.count + nickname.utf8.count + 8 else { return false }
        return body.withUnsafeBufferPointer { all in
            let text = UnsafeBufferPointer(rebasing: all[..<bodyEnd])
            guard text.suffix(notice.count).elementsEqual(notice) else { return false }
            let before = String(decoding: text.dropLast(notice.count), as: UTF8.self).trimmingSpaces
            return before.isEmpty || before == nickname || before == "你"
        }
    }

    /// The first line of the message in progress that is not UTF-8.
    private func badLine() -> Int {
        body.withUnsafeBufferPointer { all in
            for (index, start) in bodyLines.enumerated() {
                let stop = index + 1 < bodyLines.count ? bodyLines[index + 1].offset - 1 : bodyEnd
                if stop > start.offset, UnsafeBufferPointer(rebasing: all[start.offset..<min(stop, all.count)]).utf8String == nil {
                    return start.line
                }
            }
            return current?.line ?? 0
        }
    }
}
