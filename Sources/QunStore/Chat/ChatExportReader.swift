import Foundation

/// What reading an export found, besides the lines handed to `each`.
public struct ChatReadResult: Sendable, Equatable {
    /// The format read: the one given, or the one detected.
    public var format: ChatFormat
    /// The group's name when the export names it (QQ's `消息对象:读书会`); nil for CSV exports.
    public var group: String?
    /// The lines that could not be read, in file order. They did not stop the reading.
    public var problems: [ChatProblem]
    /// How many `ChatLine`s were handed to `each`.
    public var lines: Int

    public init(format: ChatFormat, group: String?, problems: [ChatProblem], lines: Int) {
        self.format = format
        self.group = group
        self.problems = problems
        self.lines = lines
    }
}

/// Reads a group-chat export — QQ's text export, a WeChat tool's CSV, or a plain CSV — into
/// `ChatLine`s, streaming: the file goes through a 1 MiB buffer and each line is handed over
/// as soon as it is read, so a 100 MB export costs a buffer of memory, not the file.
///
/// A bad line (a header whose time is not real, text that is not UTF-8, a quote that never
/// closes, a row without a time) is a `ChatProblem` in the result and reading goes on; only a
/// file that cannot be read at all throws a `ChatReadError`. See `QQChatExport`,
/// `WeChatCSVExport` and `PlainCSVChatExport` for what each format accepts.
public struct ChatExportReader: Sendable {
    /// nil: told from the file's first bytes (`detectFormat(bytes:)`).
    public var format: ChatFormat?
    /// For a plain CSV: header name → field (`--map 发言时间=time`); a nil field ignores the column.
    public var mapping: [String: ChatColumn?]
    /// The zone that turns Unix times (WeChat's `CreateTime`) into the wall clock: the
    /// machine's by default, where the export was most likely made.
    public var timeZone: TimeZone

    public init(format: ChatFormat? = nil, mapping: [String: ChatColumn?] = [:], timeZone: TimeZone = .current) {
        self.format = format
        self.mapping = mapping
        self.timeZone = timeZone
    }

    /// Reads the file, calling `each` for every line in file order. An error thrown by `each`
    /// stops the reading and is rethrown.
    public func read(contentsOf url: URL, each: (ChatLine) throws -> Void) throws -> ChatReadResult {
        let path = url.path
        let format = try self.format ?? detect(try ChatByteSource(path: path), path: path)
        var source = try ChatByteSource(path: path)
        defer { source.close() }
        return try read(source, path: path, format: format, each: each)
    }

    /// The same, for an export already in memory; `name` stands for the file in error messages.
    public func read(bytes: [UInt8], name: String = "the export", each: (ChatLine) throws -> Void) throws -> ChatReadResult {
        let format = try self.format ?? detect(ChatByteSource(bytes: bytes), path: name)
        return try read(ChatByteSource(bytes: bytes), path: name, format: format, each: each)
    }

    /// The format of an export from its first bytes (a byte order mark and blank lines
    /// skipped): `消息记录`, a `=====` line, `消息分组`/`消息对象` or a QQ header line → qq; a CSV
    /// header naming StrContent, StrTime, NickName or MsgSvrID (or 消息ID with 发送人) →
    /// wechat-csv; any other line with a comma → csv; otherwise nil.
    public static func detectFormat(bytes: [UInt8]) -> ChatFormat? {
        var source = ChatByteSource(bytes: bytes)
        return detectFormat(&source)
    }

    private func detect(_ source: ChatByteSource, path: String) throws -> ChatFormat {
        var source = source
        defer { source.close() }
        guard let format = ChatExportReader.detectFormat(&source) else { throw ChatReadError.unknownFormat(path: path) }
        return format
    }

    private static func detectFormat(_ source: inout ChatByteSource) -> ChatFormat? {
        var prefix = [UInt8](repeating: 0, count: 64 * 1024)
        var have = 0
        while have < prefix.count {
            let n = (try? prefix.withUnsafeMutableBytes { try source.read(into: UnsafeMutableRawBufferPointer(rebasing: $0[have...])) }) ?? 0
            if n == 0 { break }
            have += n
        }
        prefix.removeSubrange(have...)
        var firstLine: [UInt8]?
        for line in prefix.split(separator: 0x0A, omittingEmptySubsequences: true) {
            var bytes = Array(line)
            if bytes.last == 0x0D { bytes.removeLast() }
            if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
            firstLine = bytes
            break
        }
        guard let line = firstLine else { return nil }
        let qqStarts = ["消息记录", "消息分组", "消息对象", "================"].map { Array($0.utf8) }
        if qqStarts.contains(where: { line.starts(with: $0) }) { return .qq }
        let isQQHeader = line.withUnsafeBufferPointer { bytes -> Bool in
            guard let (_, end) = ChatTimeText.scan(bytes, requireSeconds: true), end < bytes.count, bytes[end] == 0x20 else { return false }
            return !bytes.isEmpty && !bytes.contains(0x2C)
                || QQChatExport.senderID(UnsafeBufferPointer(rebasing: bytes[(end + 1)...])) != nil
        }
        if isQQHeader { return .qq }
        // A CSV header is text: a first line that is not UTF-8, or holds control bytes, is
        // some other file (a picture, an archive, a database), not a chat export.
        guard line.contains(0x2C), String(validating: line, as: UTF8.self) != nil,
              !line.contains(where: { $0 < 0x20 && $0 != 0x09 }) else { return nil }
        var stream = ChatCSVStream()
        var header: ChatCSVHeader?
        try? line.withUnsafeBufferPointer { bytes in
            try stream.feed(bytes, 1) { header = ChatCSVHeader(record: $0) }
        }
        guard let header else { return .csv }
        return WeChatCSVExport.recognises(header) ? .wechatCSV : .csv
    }

    private func read(_ source: ChatByteSource, path: String, format: ChatFormat,
                      each: (ChatLine) throws -> Void) throws -> ChatReadResult {
        var lines = ChatTextLines(source: source)
        var count = 0
        func counted(_ line: ChatLine) throws {
            count += 1
            try each(line)
        }
        switch format {
        case .qq:
            var qq = QQChatExport()
            try lines.forEach { try qq.feed($0, $1, emit: counted) }
            try qq.finish(emit: counted)
            return ChatReadResult(format: .qq, group: qq.group, problems: qq.problems, lines: count)
        case .wechatCSV, .csv:
            var csv = ChatCSVStream()
            // One of the two, made from the header (the first record); mutated in place.
            var weChat: WeChatCSVExport?
            var plain: PlainCSVChatExport?
            let clock = ChatWallClock(zone: timeZone)
            func take(_ record: ChatCSVRecord) throws {
                if weChat != nil {
                    try weChat?.read(record, emit: counted)
                } else if plain != nil {
                    try plain?.read(record, emit: counted)
                } else if format == .wechatCSV {
                    weChat = try WeChatCSVExport(header: ChatCSVHeader(record: record), path: path, clock: clock)
                } else {
                    plain = try PlainCSVChatExport(header: ChatCSVHeader(record: record), path: path, mapping: mapping, clock: clock)
                }
            }
            try lines.forEach { try csv.feed($0, $1, emit: take) }
            try csv.finish(emit: take)
            guard let rowProblems = weChat?.problems ?? plain?.problems else {
                throw ChatReadError.noHeader(path: path, format: format)
            }
            let problems = (csv.problems + rowProblems).enumerated()
                .sorted { ($0.element.line, $0.offset) < ($1.element.line, $1.offset) }.map(\.element)
            return ChatReadResult(format: format, group: nil, problems: problems, lines: count)
        }
    }
}
