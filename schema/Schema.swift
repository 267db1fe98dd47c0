import Foundation

/// The SQL migrations of `schema/migrations`, read from the package's resources so that the
/// SQL has one source: the `.sql` files themselves.
public enum Schema {
    /// Migration scripts in the order they must run: `(version, name, sql)`.
    ///
    /// Files are named `NNNN_name.sql`; the number is the `user_version` the database has once
    /// the script has run.
    public static func migrations() throws -> [(version: Int, name: String, sql: String)] {
        guard let dir = Bundle.module.url(forResource: "migrations", withExtension: nil) else {
            throw SchemaError.missingResources
        }
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path)
            .filter { $0.hasSuffix(".sql") }
            .sorted()
        return try files.map { file in
            let stem = String(file.dropLast(4))
            guard let underscore = stem.firstIndex(of: "_"),
                  let version = Int(stem[..<underscore]) else {
                throw SchemaError.badFileName(file)
            }
            let sql = try String(contentsOf: dir.appendingPathComponent(file), encoding: .utf8)
            return (version, String(stem[stem.index(after: underscore)...]), sql)
        }
    }

    /// The newest schema version this build knows: the number of the last migration.
    public static var currentVersion: Int {
        (try? migrations().last?.version) ?? 0
    }
}

public enum SchemaError: Error, CustomStringConvertible {
    case missingResources
    case badFileName(String)

    public var description: String {
        switch self {
        case .missingResources:
            return "the schema migrations are missing next to the qun binary (qun_QunSchema.resources); reinstall qun"
        case .badFileName(let name):
            return "schema migration \(name) is not named NNNN_name.sql"
        }
    }
}
