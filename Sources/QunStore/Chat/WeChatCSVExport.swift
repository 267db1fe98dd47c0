/// The CSV that WeChat export tools write, one row per message, by header name:
///
/// - MemoTrace/留痕/WeChatMsg (older): `localId,TalkerId,Type,SubType,IsSender,CreateTime,Status,StrContent,StrTime,Remark,NickName,Sender`
/// - MemoTrace (newer): `消息ID,类型,发送人,时间,内容,备注,昵称,更多信息`
/// - PyWxDump: `id,MsgSvrID,type_name,is_sender,talker,room_name,msg,src,CreateTime`
///
/// The time is `StrTime`/`时间` (the wall clock, as wanted), else `CreateTime`: Unix seconds
/// turned into the wall clock of the reader's time zone, or a written time (PyWxDump).
/// The sender's key is `wxid:<Sender or talker>` when that is a WeChat id, else
/// `name:<display name>` (发送人, NickName/昵称, Remark/备注, in that order). `MsgSvrID`/`消息ID`
/// is the platform id; `localId` is not, as it is renumbered by every export.
///
/// Rows of type 10000/10002 (or named 系统通知, 拍一拍, 撤回消息, 邀请加群…) are system lines,
/// read with `ChatSystemText.weChat`: an invitation of several people is one join line each
/// (the n-th from the second on gets the platform id `<MsgSvrID>#n`, so each stays distinct).
/// Every other type (text, image, voice, video, sticker, link, file…) is a message.
struct WeChatCSVExport {
    /// Whose system lines they are when the row names no one.
    static let systemSender = ChatSender(key: "system:wechat", nickname: "系统消息")
    private static let systemTypeNames: Set<String> = ["系统通知", "系统消息", "拍一拍", "撤回消息", "邀请加群", "system"]

    private let wallTime: Int?
    private let unixTime: Int?
    private let text: Int
    private let type: Int?
    private let senderID: Int?
    private let nicknames: [Int]
    private let platformID: Int?
    private var clock: ChatWallClock
    private(set) var problems: [ChatProblem] = []

    /// True when the header is one of these tools' (for detection).
    static func recognises(_ header: ChatCSVHeader) -> Bool {
        ["strcontent", "strtime", "nickname", "msgsvrid"].contains(where: header.contains)
            || (header.contains("消息id") && header.contains("发送人"))
    }

    init(header: ChatCSVHeader, path: String, clock: ChatWallClock) throws {
        wallTime = header.index(of: ["StrTime", "时间", "str_time"])
        unixTime = header.index(of: ["CreateTime", "create_time"])
        let text = header.index(of: ["StrContent", "msg", "content", "内容", "str_content"])
        var missing: [String] = []
        if wallTime == nil && unixTime == nil { missing.append("time (StrTime or CreateTime)") }
        if text == nil { missing.append("text (StrContent)") }
        guard let text, missing.isEmpty else {
            throw ChatReadError.missingColumns(path: path, format: .wechatCSV, missing: missing, header: header.names)
        }
        self.text = text
        type = header.index(of: ["Type", "type_name", "类型", "msgtype"])
        senderID = header.index(of: ["Sender", "talker", "wxid", "sender_id"])
        nicknames = ["发送人", "NickName", "昵称", "Remark", "备注", "display_name"].compactMap { header.index(of: [$0]) }
        platformID = header.index(of: ["MsgSvrID", "消息ID", "server_id"])
        self.clock = clock
    }

    mutating func read(_ record: ChatCSVRecord, emit: (ChatLine) throws -> Void) throws {
        if record.isEmpty { return }
        let line = record.line
        guard let time = time(of: record) else {
            problems.append(ChatProblem(line: line, reason: "no date and time in StrTime or CreateTime; the row is skipped"))
            return
        }
        guard let text = record.text(text), let typeValue = record.string(type), let id = record.string(senderID),
              let platform = record.string(platformID) else {
            problems.append(ChatProblem(line: line, reason: "not valid UTF-8 text; the row is skipped"))
            return
        }
        var nickname = ""
        for column in nicknames {
            guard let name = record.string(column) else {
                problems.append(ChatProblem(line: line, reason: "not valid UTF-8 text; the row is skipped"))
                return
            }
            if !name.isEmpty { nickname = name; break }
        }
        let sender: ChatSender?
        if WeChatCSVExport.isWeChatID(id) {
            sender = ChatSender(key: "wxid:" + id, nickname: nickname.isEmpty ? id : nickname)
        } else if !nickname.isEmpty {
            sender = ChatSender(key: "name:" + nickname, nickname: nickname)
        } else if !id.isEmpty {
            sender = ChatSender(key: "name:" + id, nickname: id)
        } else {
            sender = nil
        }
        let platformID = platform.isEmpty || platform == "0" ? nil : platform
        guard WeChatCSVExport.isSystem(typeValue) else {
            guard let sender else {
                problems.append(ChatProblem(line: line, reason: "no sender (NickName, Sender or talker is empty); the row is skipped"))
                return
            }
            try emit(ChatLine(line: line, time: time, sender: sender, kind: .message, text: text, platformID: platformID))
            return
        }
        let events = ChatSystemText.weChat(text)
        if events.isEmpty {
            try emit(ChatLine(line: line, time: time, sender: sender ?? WeChatCSVExport.systemSender, kind: .system,
                              text: text, platformID: platformID))
            return
        }
        for (index, event) in events.enumerated() {
            let id = index == 0 ? platformID : platformID.map { "\($0)#\(index + 1)" }
            if let name = event.name {
                try emit(ChatLine(line: line, time: time, sender: ChatSender(key: "name:" + name, nickname: name),
                                  kind: event.kind, text: text, platformID: id, inviter: event.inviter))
            } else if let sender, event.kind == .recall {
                try emit(ChatLine(line: line, time: time, sender: sender, kind: .recall, text: text, platformID: id))
            } else {
                // "你" joined or left: the export does not say under which name.
                try emit(ChatLine(line: line, time: time, sender: sender ?? WeChatCSVExport.systemSender, kind: .system,
                                  text: text, platformID: id))
            }
        }
    }

    private mutating func time(of record: ChatCSVRecord) -> ChatTime? {
        for column in [wallTime, unixTime] {
            guard let column else { continue }
            let cell = record.withField(column) { ChatTimeText.cell($0, clock: &clock) }
            if case .time(let time) = cell { return time }
        }
        return nil
    }

    static func isSystem(_ type: String) -> Bool {
        if let code = Int(type) { return code == 10000 || code == 10002 }
        return systemTypeNames.contains(type) || type.hasPrefix("消息撤回")
    }

    /// `wxid_…`, or a WeChat id as users choose them: 6 to 20 letters, digits, `_` or `-`,
    /// starting with a letter.
    static func isWeChatID(_ text: String) -> Bool {
        if text.hasPrefix("wxid_") { return true }
        let bytes = text.utf8
        guard (6...20).contains(bytes.count), let first = bytes.first,
              (0x41...0x5A).contains(first) || (0x61...0x7A).contains(first) else { return false }
        return bytes.allSatisfy { (0x30...0x39).contains($0) || (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0) || $0 == 0x5F || $0 == 0x2D }
    }
}
