import GRDB
import QunCore

extension Store {
    /// Imports the members of a CSV file, all in one write transaction (one command for
    /// `undo`).
    ///
    /// Every row is checked before anything is written, and references are resolved inside
    /// the transaction that writes, so a teammate's change arriving meanwhile (through
    /// `qun serve`) cannot invalidate them. Bad rows leave the store untouched unless
    /// `skipBad` is given; the report lists them either way. Problems with the file as a
    /// whole (unknown columns, a bad `--map`) throw `ImportError`.
    public func importMembers(
        _ table: CSVTable, options: MemberImportOptions = MemberImportOptions(),
        progress: ((MemberImportProgress) -> Void)? = nil
    ) throws -> MemberImportReport {
        let columns = try MemberColumns(header: table.header, records: table.records, mapping: options.mapping)
        let total = table.records.count
        var checked = table.records.map { MemberImportRow($0, columns: columns, header: table.header) }
        var liveNames: Set<String> = []
        func report(_ rows: [MemberImportRow], written: [ImportedMember]?) -> MemberImportReport {
            let problems = rows.compactMap { row in row.problem.map { ImportProblem(line: row.line, reason: $0) } }
            let good = rows.filter(\.isGood)
            let rejected = good.isEmpty || (!problems.isEmpty && !options.skipBad)
            return MemberImportReport(
                rows: rows.count, columns: Array(zip(table.header, columns.columns)).map { (name: $0.0, column: $0.1) },
                members: rejected ? [] : written ?? good.map { ImportedMember(line: $0.line, name: $0.draft.name, draft: $0.draft) },
                problems: problems, dryRun: options.dryRun, rejected: rejected,
                sameName: good.filter { liveNames.contains($0.draft.name) }.map(\.line))
        }
        func resolve(_ db: Database, _ rows: inout [MemberImportRow]) throws {
            var names: Set<String> = []
            var numbers: Set<String> = []
            let cursor = try Row.fetchCursor(db, sql: "SELECT name, number, deleted FROM member")
            while let row = try cursor.next() {
                if let name = row[0] as String? {
                    names.insert(name)
                    if !(row[2] as Bool) { liveNames.insert(name) }
                }
                if let number = row[1] as String? { numbers.insert(number.uppercased()) }
            }
            var resolver = MemberReferenceResolver(
                rows: rows, storeNames: names, storeNumbers: numbers,
                lookUp: { text in try RecordResolution.resolve(Member.self, text, includeDeleted: false, db: db) },
                liveNamed: { text in try String.fetchAll(db, sql: "SELECT uid FROM member WHERE name = ? AND deleted = 0", arguments: [text]) })
            try resolver.resolve(&rows) { done in progress?(MemberImportProgress(phase: .checking, done: done, total: total)) }
        }

        if options.dryRun {
            try database.read { db in try resolve(db, &checked) }
            return report(checked, written: nil)
        }
        let today = MemberValidation.today(now())
        let prefix = identity.replica.numberPrefix
        do {
            return try write { tx -> MemberImportReport in
                try resolve(tx.db, &checked)
                let outcome = report(checked, written: nil)
                // Thrown to roll the transaction back: nothing of a rejected import is kept.
                if outcome.rejected { throw Rejected(report: outcome) }
                let written = try tx.writeImportedMembers(checked, prefix: prefix, today: today) { done in
                    progress?(MemberImportProgress(phase: .writing, done: done, total: outcome.members.count))
                }
                return report(checked, written: written)
            }
        } catch let rejected as Rejected {
            return rejected.report
        }
    }

    private struct Rejected: Error {
        var report: MemberImportReport
    }
}
