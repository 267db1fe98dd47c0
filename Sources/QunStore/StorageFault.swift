import Foundation
import GRDB

/// What the disk or the file did, in words for the operator, when SQLite could not do its
/// part: the disk is full, the store may not be written, the disk failed, the file is
/// damaged. A raw "SQLite error 13 … while executing INSERT …" tells an operator nothing,
/// and the statement is of no use to them.
///
/// Every SQLite write runs in one transaction per command, so each of these leaves the store
/// as it was before the command.
public enum StorageFault {
    /// The sentence for `error`, or nil when it is not a storage fault.
    public static func describe(_ error: any Error) -> String? {
        guard let error = error as? DatabaseError else { return nil }
        switch error.resultCode {
        case .SQLITE_FULL:
            return "the disk is full: SQLite could not write the store; free some space and run the command again (nothing of this command was written)"
        case .SQLITE_READONLY:
            return "the store cannot be written here (a read-only disk, or files that belong to another user); commands that only read still work; nothing was written"
        case .SQLITE_IOERR where error.extendedResultCode == .SQLITE_IOERR_WRITE:
            // ENOSPC is SQLITE_FULL; a quota or a file size limit arrives as a failed write.
            return "the disk refused to write the store (full, over a quota or a file size limit): free some space and run the command again (nothing of this command was written)"
        case .SQLITE_IOERR:
            return "the disk failed while reading or writing the store; check the disk, then run the command again (nothing of this command was written)"
        case .SQLITE_CORRUPT, .SQLITE_NOTADB:
            return "the store file is damaged (\(error.resultCode)); copy it aside, then start from a teammate: joining the team again with an invite fetches the team's data"
        case .SQLITE_CANTOPEN:
            return "the store file cannot be opened (missing, or a directory qun may not enter); check the store path and its permissions"
        default:
            return nil
        }
    }
}
