import GRDB
import QunCore

/// The materialised `post` table: one row per post record, rewritten from merged state.
///
/// An instance's row is composed from two records: it shows its routine's title, channel,
/// owner, message template and time of day wherever it has no value of its own (generation
/// writes only `template` and `date`, so two laptops generating the same day never overwrite
/// a teammate's edit or `done`).
enum PostTable {
    static let columns = "record, uid, title, at, channel, owner, message, recur, until, template, date, done, deleted"

    /// The columns `post(from:)` reads, by index.
    static let selection = "uid, title, at, channel, owner, message, recur, until, template, date, done, deleted"

    static func post(from row: Row) -> Post {
        Post(id: row[0], title: row[1] ?? "", at: row[2], channel: row[3], owner: row[4], message: row[5],
             recur: (row[6] as String?).flatMap(Post.Recurrence.init(rawValue:)), until: row[7],
             template: row[8], date: row[9], done: row[10], deleted: row[11])
    }

    /// The row of one post from its own merged state and, for an instance, its routine's.
    static func compose(uid: String, own: RecordSnapshot, template: RecordSnapshot?) -> Post {
        // A value of another type (from a newer peer, or a hand-made change) shows as absent.
        func text(_ snapshot: RecordSnapshot?, _ field: Post.Field) -> String? {
            guard case .text(let value)? = snapshot?.registers[field.rawValue], !value.isEmpty else { return nil }
            return value
        }
        let templateID = text(own, .template)
        // An instance inherits; anything else has only its own values.
        let routine = templateID == nil ? nil : template
        func inherited(_ field: Post.Field) -> String? { text(own, field) ?? text(routine, field) }
        let date = text(own, .date).flatMap { CalendarDay($0) }
        var at = text(own, .at).flatMap { LocalDate($0) }
        if at == nil, templateID != nil, let date {
            // The instance's day, at the routine's time of day.
            at = LocalDate(day: date, time: text(routine, .at).flatMap { LocalDate($0)?.time })
        }
        return Post(
            id: uid, title: inherited(.title) ?? "", at: at?.description, channel: inherited(.channel),
            owner: inherited(.owner), message: inherited(.message),
            recur: templateID == nil ? text(own, .recur).flatMap(Post.Recurrence.init(rawValue:)) : nil,
            until: templateID == nil ? text(own, .until) : nil,
            template: templateID, date: date?.description, done: text(own, .done), deleted: own.deleted)
    }
}

/// Keeps the `post` table up to date (see `PostTable`). Every touched post's row is written
/// in `finish`, after the routines touched by the same batch are merged too, and so are the
/// rows of the instances of every touched post: any post, an instance included, may be a
/// routine on some laptop (a hand-made or newer peer's change), and its instances follow its
/// fields on every laptop alike, whichever arrives first.
struct PostMaterialiser: Materialiser {
    private var touched: [Int64: (uid: String, snapshot: RecordSnapshot)] = [:]

    init(_ db: Database) throws {}

    mutating func write(_ snapshot: RecordSnapshot, record: Int64, uid: String, tx: WriteTransaction) throws {
        touched[record] = (uid, snapshot)
    }

    mutating func finish(tx: WriteTransaction) throws {
        var rows = touched
        for uid in Set(touched.values.map { $0.uid }).sorted() {
            for row in try Row.fetchAll(tx.db, sql: "SELECT record, uid FROM post WHERE template = ?", arguments: [uid]) {
                let record: Int64 = row[0]
                guard rows[record] == nil else { continue }
                let deleted = try Bool.fetchOne(tx.db, sql: "SELECT deleted FROM record WHERE rowid = ?", arguments: [record]) ?? false
                rows[record] = (row[1], try RecordSnapshot.load(record: record, deleted: deleted, db: tx.db, interner: tx.interner))
            }
        }
        var routines: [String: RecordSnapshot?] = [:]
        let statement = try tx.db.cachedStatement(sql: "INSERT OR REPLACE INTO post(\(PostTable.columns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
        for (record, post) in rows.sorted(by: { $0.key < $1.key }) {
            var routine: RecordSnapshot?
            if case .text(let template)? = post.snapshot.registers[Post.Field.template.rawValue], !template.isEmpty {
                if routines[template] == nil { routines[template] = .some(try tx.postSnapshot(template)) }
                routine = routines[template]!
            }
            let item = PostTable.compose(uid: post.uid, own: post.snapshot, template: routine)
            try statement.execute(arguments: [
                record, item.id, item.title, item.at, item.channel, item.owner, item.message, item.recur?.rawValue,
                item.until, item.template, item.date, item.done, item.deleted,
            ])
        }
        touched.removeAll()
    }
}

extension WriteTransaction {
    /// The merged state of a post record, or nil if this store has never seen it. Read from
    /// the change log, not the `post` table, so the order rows are refreshed in does not matter.
    func postSnapshot(_ uid: String) throws -> RecordSnapshot? {
        guard let collection = interner.existingName(.postCollection),
              let record = try interner.existingRecord(collection, uid) else { return nil }
        let deleted = try Bool.fetchOne(db, sql: "SELECT deleted FROM record WHERE rowid = ?", arguments: [record]) ?? false
        return try RecordSnapshot.load(record: record, deleted: deleted, db: db, interner: interner)
    }
}
