import GRDB
import QunCore

extension WriteTransaction {
    /// Writes the good rows of an import as new members, the way `Store.addMembers` does
    /// (`writeNewMember`, numbers from this replica's counter), plus what `addMembers` cannot
    /// do: a `kol` or `referrer` that is another row of the same file. Every row gets its id
    /// before any is written, so a row may name one further down.
    func writeImportedMembers(_ rows: [MemberImportRow], prefix: String, today: String,
                              progress: (Int) -> Void) throws -> [ImportedMember] {
        var counter = Int64(try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'number_counter'") ?? "0") ?? 0
        var ids: [Int: String] = [:]
        for index in rows.indices where rows[index].isGood { ids[index] = RecordID.random() }
        func uid(_ target: MemberImportRow.Target?) -> String? {
            switch target {
            case .member(let uid)?: return uid
            case .row(let index)?: return ids[index]
            case nil: return nil
            }
        }
        var written: [ImportedMember] = []
        written.reserveCapacity(ids.count)
        for (index, row) in rows.enumerated() where row.isGood {
            if written.count % 1_000 == 0 {
                progress(written.count)
                // Through the apply path a thousand members at a time, so that the pending
                // changes of a 100k-row file are never all in memory at once.
                try flush()
            }
            let id = ids[index]!
            counter += 1
            let number = "\(prefix)-\(counter)"
            var draft = row.draft
            // Resolved here rather than by `writeNewMember`, which only knows stored members.
            draft.kol = nil
            draft.referrer = nil
            try writeNewMember(draft, id: id, number: number, today: today)
            if let kol = uid(row.kol) { try set(.memberCollection, id, Member.Field.kol.rawValue, .text(kol)) }
            if let referrer = uid(row.referrer) { try set(.memberCollection, id, Member.Field.referrer.rawValue, .text(referrer)) }
            written.append(ImportedMember(line: row.line, name: row.draft.name, id: id, number: number, draft: row.draft))
        }
        progress(written.count)
        try db.execute(sql: "UPDATE meta SET value = ? WHERE key = 'number_counter'", arguments: [String(counter)])
        return written
    }
}
