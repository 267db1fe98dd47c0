import Crypto
import GRDB
import QunCore

extension String {
    /// Team-wide values, such as the group's name, that templates fill in (`{group}`).
    public static let teamSettingsCollection = "team"
}

extension Store {
    /// The one record holding the team's settings: a fixed id, so every laptop writes the
    /// same record and a setting changed on two laptops is one register (the later wins).
    static let teamSettingsRecord: String = {
        SHA256.hash(data: Array("qun team settings v1".utf8)).prefix(16).map { String(format: "%02x", $0) }.joined()
    }()

    /// Sets a team-wide value that every teammate's templates fill in: `{group}` from
    /// `group`. An empty value clears it. A key may not shadow a placeholder qun fills
    /// itself (`{name}`, `{today}`, …): that would read one thing and print another.
    public func setTeamSetting(_ key: String, _ value: String) throws {
        let key = key.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (try? TemplateText("{\(key)}"))?.placeholders == [key] else {
            throw StoreError.invalidValue(field: "setting", value: key, expected: "a word without spaces or braces, such as group or 群名")
        }
        guard !TemplatePlaceholders.memberKeys.contains(key), !TemplatePlaceholders.generalKeys.contains(key) else {
            throw StoreError.invalidValue(field: "setting", value: key, expected: "a name qun does not fill itself (not \((TemplatePlaceholders.member + TemplatePlaceholders.general).map(\.key).joined(separator: ", ")))")
        }
        let text = value.trimmingCharacters(in: .whitespacesAndNewlines)
        try write { tx in
            try tx.set(.teamSettingsCollection, Store.teamSettingsRecord, key, text.isEmpty ? .null : .text(text))
        }
    }

    /// The team's settings by key (cleared ones left out).
    public func teamSettings() throws -> [String: String] {
        try database.read { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT f.text, fv.value FROM record rec
                JOIN name c ON c.rowid = rec.collection AND c.text = ?
                JOIN field_value fv ON fv.record = rec.rowid
                JOIN name f ON f.rowid = fv.field
                WHERE rec.uid = ?
                """, arguments: [String.teamSettingsCollection, Store.teamSettingsRecord])
            var settings: [String: String] = [:]
            for row in rows {
                if let text = Value(databaseValue: row[1]).text, !text.isEmpty { settings[try row.required(0, of: "name")] = text }
            }
            return settings
        }
    }
}
