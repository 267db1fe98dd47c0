/// What `qun import chat` should do.
public struct ChatImportOptions: Sendable, Equatable {
    /// nil: tell from the file.
    public var format: ChatFormat?
    /// Plain CSV columns: header name → field (nil: ignore the column).
    public var mapping: [String: ChatColumn?] = [:]
    /// Keep the messages' text. Off by default: it is other people's words, and the
    /// activity figures need only who, when and how long.
    public var keepText = false
    /// Read and match everything, write nothing.
    public var dryRun = false
    /// Import the good lines even when some are bad.
    public var skipBad = false
    /// `--link 昵称=MEMBER`: a sender (by display name, sender key or QQ number) → a member
    /// reference; remembered on the member for later imports and for every laptop.
    public var links: [(sender: String, member: String)] = []

    public init() {}

    public static func == (a: ChatImportOptions, b: ChatImportOptions) -> Bool {
        a.format == b.format && a.mapping == b.mapping && a.keepText == b.keepText && a.dryRun == b.dryRun
            && a.skipBad == b.skipBad && a.links.map { "\($0.sender)=\($0.member)" } == b.links.map { "\($0.sender)=\($0.member)" }
    }
}

/// What an import of a chat export read, stored and matched.
public struct ChatImportReport: Sendable, Equatable {
    /// One person the file's lines name.
    public struct Sender: Sendable, Equatable {
        public var key: String
        /// The display name of the sender's latest line in the file.
        public var nickname: String
        /// Messages in the file (joins and leaves not counted).
        public var messages: Int
        /// The member matched, by id, and how; nil when unmatched.
        public var member: String?
        public var memberName: String?
        public var match: ChatMatch?
    }

    public var format: ChatFormat
    /// The group's name when the export gives it.
    public var group: String?
    /// Lines by kind, as read from the file (good lines only).
    public var messages = 0
    public var joins = 0
    public var leaves = 0
    /// Recall notices and other system lines: read, not counted.
    public var recalls = 0
    public var system = 0
    /// Messages, joins and leaves new to this store (written, or to be written by a dry run).
    public var added = 0
    /// Lines this store already held (an earlier import, or a teammate's).
    public var alreadyHeld = 0
    public var first: ChatTime?
    public var last: ChatTime?
    public var problems: [ChatProblem] = []
    /// Senders of messages, most messages first, then by key.
    public var senders: [Sender] = []
    /// Links written by this import: sender key → member id.
    public var linked: [(key: String, member: String)] = []
    public var dryRun: Bool
    /// True when nothing was written because of bad lines (and no `skipBad`).
    public var rejected = false

    public var unmatched: [Sender] { senders.filter { $0.member == nil } }

    public static func == (a: ChatImportReport, b: ChatImportReport) -> Bool {
        a.format == b.format && a.group == b.group && a.messages == b.messages && a.joins == b.joins && a.leaves == b.leaves
            && a.recalls == b.recalls && a.system == b.system && a.added == b.added && a.alreadyHeld == b.alreadyHeld
            && a.first == b.first && a.last == b.last && a.problems == b.problems && a.senders == b.senders
            && a.linked.map { "\($0.key)=\($0.member)" } == b.linked.map { "\($0.key)=\($0.member)" }
            && a.dryRun == b.dryRun && a.rejected == b.rejected
    }
}

/// Why a `--link` cannot be made.
public enum ChatLinkError: Error, Equatable, CustomStringConvertible {
    case invalid(String)
    case unknownSender(String)
    case ambiguousSender(String, keys: [String])

    public var description: String {
        switch self {
        case .invalid(let text):
            return "invalid --link '\(text)': write it as NICKNAME=MEMBER, e.g. --link 小王=王芳"
        case .unknownSender(let name):
            return "--link: no sender called '\(name)' in this file or an earlier import; nothing was imported. Give the name as the chat shows it, or the sender key (qq:12345678)"
        case .ambiguousSender(let name, let keys):
            return "--link: several senders are called '\(name)' (\(keys.joined(separator: ", "))); nothing was imported. Link each by its sender key, e.g. --link \(keys.first ?? "qq:NUMBER")=MEMBER"
        }
    }
}
