import GRDB
import QunCore

extension String {
    /// The collection of chat chunks (`ChatChunk`).
    public static let chatCollection = "chat"
}

/// Keeps `chat_message` and `chat_sender` the union of the lines of every live chat chunk.
///
/// A new chunk adds its lines (a line already held keeps its row; a kept text fills in a
/// text that was not kept). A chunk that stops counting — deleted by an undo, or made void
/// when its author's removal arrives — may share lines with other chunks, so the tables are
/// then rebuilt from every live chunk, once, at the end of the transaction. That is rare and
/// keeps the result a function of the live chunks alone.
struct ChatMaterialiser: Materialiser {
    static let messagesField = "messages"

    private let insertLine: FastStatement
    private let insertSender: FastStatement
    private var rebuild = false
    /// Sender names written in this transaction: a chat has a few hundred senders and a
    /// million lines, so each pair is written once, not once a line.
    private var namesWritten: Set<String> = []

    init(_ db: Database) throws {
        insertLine = try FastStatement(db, sql: """
            INSERT INTO chat_message(at, id, kind, sender, length, inviter, text) VALUES (?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT(at, id) DO UPDATE SET text = coalesce(chat_message.text, excluded.text)
            WHERE chat_message.text IS NULL AND excluded.text IS NOT NULL
            """)
        insertSender = try FastStatement(db, sql: "INSERT OR IGNORE INTO chat_sender(key, nickname) VALUES (?, ?)")
    }

    mutating func write(_ snapshot: RecordSnapshot, record: Int64, uid: String, tx: WriteTransaction) throws {
        guard !snapshot.deleted, case .text(let text)? = snapshot.registers[Self.messagesField] else {
            rebuild = true
            return
        }
        try add(text, db: tx.db)
    }

    mutating func finish(tx: WriteTransaction) throws {
        guard rebuild else { return }
        rebuild = false
        try tx.db.execute(sql: "DELETE FROM chat_message")
        try tx.db.execute(sql: "DELETE FROM chat_sender")
        namesWritten.removeAll()
        let chunks = try String.fetchCursor(tx.db, sql: """
            SELECT fv.value FROM record r
            JOIN name c ON c.rowid = r.collection AND c.text = ?
            JOIN field_value fv ON fv.record = r.rowid
            JOIN name f ON f.rowid = fv.field AND f.text = ?
            WHERE r.deleted = 0 AND typeof(fv.value) = 'text'
            """, arguments: [String.chatCollection, Self.messagesField])
        var texts: [String] = []
        while let text = try chunks.next() { texts.append(text) }
        for text in texts { try add(text, db: tx.db) }
    }

    private mutating func add(_ text: String, db: Database) throws {
        guard let lines = ChatChunk.decode(text) else { return }
        for line in lines {
            try insertLine.bind(1, line.at)
            try insertLine.bind(2, line.id)
            try insertLine.bind(3, line.storedKind)
            try insertLine.bind(4, line.sender)
            try insertLine.bind(5, Int64(line.length))
            try insertLine.bind(6, text: line.inviter)
            try insertLine.bind(7, text: line.text)
            try insertLine.run(db)
            if !line.nickname.isEmpty, namesWritten.insert(line.sender + "\u{0}" + line.nickname).inserted {
                try insertSender.bind(1, line.sender)
                try insertSender.bind(2, line.nickname)
                try insertSender.run(db)
            }
        }
    }
}
