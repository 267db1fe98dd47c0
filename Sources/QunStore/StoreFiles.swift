import Foundation

/// Who may read a store on disk: its owner only.
///
/// A store holds the team secret and every member's phone number and WeChat id; with the
/// usual umask 022 its directory would be 755 and its files 644, readable by every other
/// account on the laptop. The directory is made 0700 and the database files 0600, whatever
/// the umask, and a store made by an earlier release is tightened when it is opened. A store
/// the process may not change (read-only media, another owner) is left as it is: reading it
/// must still work.
public enum StoreFiles {
    public static let directoryMode: mode_t = 0o700
    public static let fileMode: mode_t = 0o600

    /// The database and the files SQLite keeps next to it.
    static func databaseFiles(in directory: URL) -> [URL] {
        ["", "-wal", "-shm"].map { directory.appendingPathComponent(Store.databaseFileName + $0) }
    }

    /// Makes `directory` (and missing parents) owner-only.
    static func makeDirectory(_ directory: URL) throws {
        try FileManager.default.createDirectory(
            at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: Int(directoryMode)])
    }

    /// Tightens the store's directory and database files to owner-only, where they are not
    /// already; best effort (see the type's documentation).
    static func protect(_ directory: URL) {
        restrict(directory.path, to: directoryMode)
        for file in databaseFiles(in: directory) { restrict(file.path, to: fileMode) }
    }

    /// Sets `mode` on `path` when it grants more than `mode` (and exists).
    public static func restrict(_ path: String, to mode: mode_t) {
        var info = stat()
        guard stat(path, &info) == 0, info.st_mode & 0o777 & ~mode != 0 else { return }
        _ = chmod(path, mode)
    }
}
