import GRDB
import QunCore

/// Turns the lines of one chat export into chunks of this transaction, skipping the lines the
/// store already holds, and counts what it saw for the import's report.
///
/// Memory stays bounded by a few chunks, not by the file: every few chunks the transaction's
/// changes are written and materialised (`flushEvery`), so a million-message export costs
/// what its largest chunk costs.
struct ChatImporter {
    /// Chunks between two writes of the transaction's pending changes.
    static let flushEvery = 16

    private let tx: WriteTransaction
    private let keepText: Bool
    private let writes: Bool
    private let held: FastStatement
    /// The times of the lines the store held before this import: a line outside them cannot
    /// be held, and most of an export's lines are new, so most look-ups are skipped.
    private let heldTimes: ClosedRange<Int64>?
    private var buffer: [ChatRecordLine] = []
    private var chunksSinceFlush = 0
    /// Identical lines within the current second: how many of each came before.
    private var second: Int64?
    private var occurrences: [Occurrence: Int] = [:]

    private struct Occurrence: Hashable {
        var kind: ChatLine.Kind
        var sender: String
        var text: String
    }

    private(set) var report: ChatImportReport
    /// Per sender key: the latest display name, every name, and the messages.
    private(set) var senders: [String: (nickname: String, names: Set<String>, messages: Int)] = [:]

    init(tx: WriteTransaction, keepText: Bool, writes: Bool, format: ChatFormat) throws {
        self.tx = tx
        self.keepText = keepText
        self.writes = writes
        held = try FastStatement(tx.db, sql: "SELECT 1 FROM chat_message WHERE at = ? AND id = ?")
        let bounds = try Row.fetchOne(tx.db, sql: "SELECT min(at), max(at) FROM chat_message")
        if let low = bounds?[0] as Int64?, let high = bounds?[1] as Int64? { heldTimes = low...high } else { heldTimes = nil }
        report = ChatImportReport(format: format, dryRun: !writes)
    }

    mutating func take(_ line: ChatLine) throws {
        switch line.kind {
        case .recall: report.recalls += 1; return
        case .system: report.system += 1; return
        case .message: report.messages += 1
        case .join: report.joins += 1
        case .leave: report.leaves += 1
        }
        if report.first.map({ line.time < $0 }) ?? true { report.first = line.time }
        if report.last.map({ line.time > $0 }) ?? true { report.last = line.time }
        if line.kind == .message {
            var sender = senders[line.sender.key] ?? (line.sender.nickname, [], 0)
            sender.nickname = line.sender.nickname
            if !line.sender.nickname.isEmpty { sender.names.insert(line.sender.nickname) }
            sender.messages += 1
            senders[line.sender.key] = sender
        }

        let at = line.time.seconds
        if second != at {
            second = at
            occurrences.removeAll(keepingCapacity: true)
        }
        let identity = Occurrence(kind: line.kind, sender: line.sender.key, text: line.text)
        let occurrence = occurrences[identity, default: 0]
        occurrences[identity] = occurrence + 1
        let id = ChatLineID.make(sender: line.sender.key, at: at, kind: line.kind, text: line.text, occurrence: occurrence)

        if heldTimes?.contains(at) == true {
            try held.bind(1, at)
            try held.bind(2, id)
            if try held.int64(tx.db) != nil {
                report.alreadyHeld += 1
                return
            }
        }
        report.added += 1
        guard writes else { return }
        buffer.append(ChatRecordLine(
            id: id, at: at, kind: line.kind, sender: line.sender.key, nickname: line.sender.nickname,
            length: line.text.unicodeScalars.count, inviter: line.inviter, text: keepText ? line.text : nil))
        if buffer.count >= ChatChunk.maximumLines { try writeChunk() }
    }

    /// Writes the last, partial chunk and materialises everything written.
    mutating func close() throws {
        if !buffer.isEmpty { try writeChunk() }
        try materialise()
    }

    private mutating func writeChunk() throws {
        let text = ChatChunk.encode(buffer)
        buffer.removeAll(keepingCapacity: true)
        try tx.set(.chatCollection, ChatChunk.recordID(text), ChatMaterialiser.messagesField, .text(text))
        chunksSinceFlush += 1
        if chunksSinceFlush >= Self.flushEvery { try materialise() }
    }

    private mutating func materialise() throws {
        chunksSinceFlush = 0
        try tx.flush()
        try tx.applier.finish(in: tx)
    }
}
