/// The kinds of group-chat export `ChatExportReader` reads, named as `--format` spells them.
public enum ChatFormat: String, CaseIterable, Sendable {
    /// QQ's "消息管理器 → 导出为 .txt": a header line per message (`2024-01-05 20:31:12 昵称(12345678)`)
    /// followed by the message's lines.
    case qq
    /// The CSV that WeChat export tools write (MemoTrace/留痕/WeChatMsg, PyWxDump): one row per
    /// message with `StrContent`, `StrTime`, `NickName`, `Sender`… or `消息ID,类型,发送人,时间,内容`.
    case wechatCSV = "wechat-csv"
    /// Any CSV with a header naming (at least) a time and a sender column; see `ChatColumn`.
    case csv
}

/// Which `ChatLine` field a column of a plain CSV holds (for `--map COL=FIELD`).
public enum ChatColumn: String, CaseIterable, Sendable {
    /// When the line was written: `2024-01-05 20:31[:12]`, `2024/01/05 …`, ISO `2024-01-05T20:31:12`.
    case time
    /// The display name.
    case sender
    /// A stable handle for the sender (QQ number, WeChat id…): becomes the key `id:<value>`.
    case senderID = "sender_id"
    case text
    /// `message` (the default), `join`, `leave`, `recall` or `system`, in English or Chinese.
    case type
    /// The platform's message id (`ChatLine.platformID`).
    case id

    /// The header names a plain CSV is understood by without `--map` (compared case-insensitively).
    public var defaultHeaderNames: [String] {
        switch self {
        case .time: return ["time", "时间", "date", "日期", "datetime", "发送时间", "timestamp"]
        case .sender: return ["sender", "发送者", "发送人", "昵称", "nickname", "name", "群昵称", "用户"]
        case .senderID: return ["sender_id", "id", "qq", "qq号", "微信号", "wechat", "wxid", "user_id", "uid"]
        case .text: return ["text", "content", "内容", "消息", "message", "msg", "消息内容"]
        case .type: return ["type", "类型", "消息类型", "kind"]
        case .id: return ["message_id", "msg_id", "msgid", "消息id"]
        }
    }
}
