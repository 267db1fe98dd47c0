/// A chat as a plain CSV with a header, written by hand or by another tool: the columns are
/// found by name (`ChatColumn.defaultHeaderNames`: time/时间, sender/昵称, sender_id/qq/微信号,
/// text/内容, type/类型…) or named by `--map 列名=field` (a `nil` field ignores the column).
///
/// A time and a sender (a name or an id) are needed. The key is `id:<sender_id>` when the row
/// gives one, else `name:<sender>`. Times: see `ChatTimeText.cell`. The `type` column says what
/// the row is — message (the default, for any type not known), join, leave, recall, system, in
/// English or Chinese, or WeChat's 10000/10002; a system row's text is read as QQ or WeChat
/// system lines would be.
struct PlainCSVChatExport {
    private let columns: [ChatColumn: Int]
    private var clock: ChatWallClock
    private(set) var problems: [ChatProblem] = []

    init(header: ChatCSVHeader, path: String, mapping: [String: ChatColumn?], clock: ChatWallClock) throws {
        var columns: [ChatColumn: Int] = [:]
        var taken = Set<Int>()
        for name in mapping.keys.sorted() {
            guard let index = header.index(of: [name]) else {
                throw ChatReadError.mappedColumnMissing(path: path, column: name, header: header.names)
            }
            taken.insert(index)
        }
        // Mapped columns in the header's order, so that two mapped to one field resolve alike every time.
        for index in header.names.indices {
            guard let entry = mapping.first(where: { ChatCSVHeader.fold($0.key) == ChatCSVHeader.fold(header.names[index]) }),
                  let column = entry.value, columns[column] == nil else { continue }
            columns[column] = index
        }
        for column in ChatColumn.allCases where columns[column] == nil {
            if let index = header.index(of: column.defaultHeaderNames, excluding: taken) {
                columns[column] = index
                taken.insert(index)
            }
        }
        var missing: [String] = []
        if columns[.time] == nil { missing.append(ChatColumn.time.rawValue) }
        if columns[.sender] == nil && columns[.senderID] == nil { missing.append(ChatColumn.sender.rawValue) }
        guard missing.isEmpty else {
            throw ChatReadError.missingColumns(path: path, format: .csv, missing: missing, header: header.names)
        }
        self.columns = columns
        self.clock = clock
    }

    mutating func read(_ record: ChatCSVRecord, emit: (ChatLine) throws -> Void) throws {
        if record.isEmpty { return }
        let line = record.line
        let cell = record.withField(columns[.time] ?? -1) { ChatTimeText.cell($0, clock: &clock) }
        let time: ChatTime
        switch cell {
        case .time(let t): time = t
        case .empty:
            problems.append(ChatProblem(line: line, reason: "no time; the row is skipped"))
            return
        case .invalid:
            problems.append(ChatProblem(line: line, reason: "the time is not a date and time such as 2024-01-05 20:31:12; the row is skipped"))
            return
        }
        guard let name = record.string(columns[.sender]), let id = record.string(columns[.senderID]),
              let text = record.text(columns[.text]), let type = record.string(columns[.type]),
              let platform = record.string(columns[.id]) else {
            problems.append(ChatProblem(line: line, reason: "not valid UTF-8 text; the row is skipped"))
            return
        }
        guard !name.isEmpty || !id.isEmpty else {
            problems.append(ChatProblem(line: line, reason: "no sender; the row is skipped"))
            return
        }
        let sender = ChatSender(key: id.isEmpty ? "name:" + name : "id:" + id, nickname: name.isEmpty ? id : name)
        let platformID = platform.isEmpty ? nil : platform
        let kind = PlainCSVChatExport.kind(type)
        guard kind == .system else {
            try emit(ChatLine(line: line, time: time, sender: sender, kind: kind, text: text, platformID: platformID))
            return
        }
        let quoted = text.contains("\"") || text.contains("“")
        let events = (quoted ? ChatSystemText.weChat(text) : ChatSystemText.qq(text)).filter { $0.name != nil }
        if events.isEmpty {
            try emit(ChatLine(line: line, time: time, sender: sender, kind: .system, text: text, platformID: platformID))
            return
        }
        for (index, event) in events.enumerated() {
            let name = event.name ?? ""
            try emit(ChatLine(line: line, time: time, sender: ChatSender(key: "name:" + name, nickname: name),
                              kind: event.kind, text: text,
                              platformID: index == 0 ? platformID : platformID.map { "\($0)#\(index + 1)" },
                              inviter: event.inviter))
        }
    }

    static func kind(_ type: String) -> ChatLine.Kind {
        switch type.lowercased() {
        case "join", "joined", "加入", "入群", "进群", "加群": return .join
        case "leave", "left", "quit", "kick", "kicked", "退出", "退群", "离开", "移出", "被移出": return .leave
        case "recall", "recalled", "revoke", "撤回", "撤回消息": return .recall
        case "system", "系统", "系统消息", "系统通知", "通知", "10000", "10002": return .system
        default: return .message
        }
    }
}
