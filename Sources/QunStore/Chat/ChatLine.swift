/// A moment as a chat export wrote it: the group's own wall clock, with no time zone.
///
/// Exports write local times ("2024-01-05 20:31:12"), and two laptops in different zones must
/// read the same message as the same moment, or they would count it twice. So the time is kept
/// as written — seconds since 1970-01-01 00:00:00 *of that wall clock* — and the hour of day
/// and the weekday reported by `qun report hours` are the group's own.
public struct ChatTime: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var seconds: Int64

    public init(seconds: Int64) { self.seconds = seconds }

    /// From the fields of a wall-clock time; nil when they are not a real time.
    public init?(year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int) {
        guard (0...23).contains(hour), (0...59).contains(minute), (0...60).contains(second),
              let date = CalendarDay(year: year, month: month, day: day) else { return nil }
        seconds = Int64(date.daysSinceEpoch) * 86_400 + Int64(hour * 3600 + minute * 60 + min(second, 59))
    }

    public var day: CalendarDay {
        CalendarDay(daysSinceEpoch: Int(seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400))
    }

    /// 0 to 23.
    public var hour: Int { Int(((seconds % 86_400) + 86_400) % 86_400) / 3600 }

    /// "YYYY-MM-DD HH:MM:SS".
    public var description: String {
        let inDay = Int(((seconds % 86_400) + 86_400) % 86_400)
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : String(n) }
        return "\(day) \(two(inDay / 3600)):\(two(inDay / 60 % 60)):\(two(inDay % 60))"
    }

    public static func < (a: ChatTime, b: ChatTime) -> Bool { a.seconds < b.seconds }
}

/// Who wrote a chat line, as the export names them.
public struct ChatSender: Hashable, Sendable {
    /// The most stable handle the export gives, with its kind: `qq:12345678`, `wxid:wxid_abc`,
    /// `email:a@b.c`, or `name:昵称` when the export gives only a display name. Senders are
    /// matched to members (and linked with `--link`) by this key.
    public var key: String
    /// The display name the export shows (群昵称 or nickname), as written.
    public var nickname: String

    public init(key: String, nickname: String) {
        self.key = key
        self.nickname = nickname
    }
}

/// One message or system line of a chat export, before it is stored.
public struct ChatLine: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        /// Something a person said (text, picture, sticker, voice, link...).
        case message
        /// "xx 加入了群聊": `sender` is the person who joined.
        case join
        /// "xx 退出了群聊" / "xx 被移出群聊": `sender` is the person who left.
        case leave
        /// "xx 撤回了一条消息": counted as nothing.
        case recall
        /// Any other line the platform wrote (拍一拍, announcements, group renamed...): counted as nothing.
        case system
    }

    /// The line of the file where the message starts (1-based; a CSV record's first line).
    public var line: Int
    public var time: ChatTime
    public var sender: ChatSender
    public var kind: Kind
    /// The message text, lines joined with "\n", or the system line's text.
    public var text: String
    /// The platform's own message id when the export has one (WeChat's `MsgSvrID`), which
    /// identifies a message better than its time and text.
    public var platformID: String?
    /// For a join: who invited the joiner (`"张三"邀请"李四"加入了群聊`), by display name.
    public var inviter: String?

    public init(line: Int, time: ChatTime, sender: ChatSender, kind: Kind, text: String,
                platformID: String? = nil, inviter: String? = nil) {
        self.line = line
        self.time = time
        self.sender = sender
        self.kind = kind
        self.text = text
        self.platformID = platformID
        self.inviter = inviter
    }
}

/// A line of a chat export that could not be read, by line number.
public struct ChatProblem: Error, Sendable, Equatable, CustomStringConvertible {
    public var line: Int
    public var reason: String

    public init(line: Int, reason: String) {
        self.line = line
        self.reason = reason
    }

    public var description: String { "line \(line): \(reason)" }
}
