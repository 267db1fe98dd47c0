/// How `qun import members` should treat a file.
public struct MemberImportOptions: Sendable, Equatable {
    /// Column name → what it holds, overriding the recognised header names.
    public var mapping: [String: MemberColumn] = [:]
    /// Import the good rows even if some are bad (the bad ones are still reported).
    public var skipBad = false
    /// Check everything, write nothing.
    public var dryRun = false

    public init() {}
}

/// A row that cannot be imported, and why. `line` is the line of the file the row starts on
/// (the header is line 1). `reason` names the column and what it expected; of the cell it
/// shows at most four characters, or the first two of a longer value (see `ImportCell`).
public struct ImportProblem: Sendable, Equatable, CustomStringConvertible {
    public var line: Int
    public var reason: String

    public var description: String { "line \(line): \(reason)" }
}

/// A row that was imported (or, in a dry run, would be).
public struct ImportedMember: Sendable, Equatable {
    public var line: Int
    public var name: String
    /// nil in a dry run: ids and numbers are handed out only when the row is written.
    public var id: String?
    public var number: String?
    /// The row's checked values (`kol` and `referrer` as written in the file).
    public var draft: MemberDraft
}

/// What an import did. Nothing is written when `rejected` (bad rows without `skipBad`) or
/// in a dry run.
public struct MemberImportReport: Sendable, Equatable {
    /// Data rows in the file (blank lines not counted).
    public var rows: Int
    public var columns: [(name: String, column: MemberColumn)]
    /// Rows that were written, or that a dry run would write. Empty when rejected.
    public var members: [ImportedMember]
    public var problems: [ImportProblem]
    public var dryRun: Bool
    /// Some rows were bad and `skipBad` was not given: nothing was written.
    public var rejected: Bool
    /// Lines of good rows whose name a live member of the store already has. They are
    /// imported as new members (names need not be unique), but importing one file twice
    /// is a common slip worth a word.
    public var sameName: [Int] = []

    /// Rows that passed every check.
    public var good: Int { rows - problems.count }
    /// Members written to the store.
    public var imported: Int { dryRun || rejected ? 0 : members.count }

    public static func == (a: MemberImportReport, b: MemberImportReport) -> Bool {
        a.rows == b.rows && a.members == b.members && a.problems == b.problems && a.dryRun == b.dryRun
            && a.rejected == b.rejected && a.sameName == b.sameName && a.columns.map(\.name) == b.columns.map(\.name)
            && a.columns.map(\.column) == b.columns.map(\.column)
    }
}

/// How far a long import is, for a progress line.
public struct MemberImportProgress: Sendable, Equatable {
    public enum Phase: String, Sendable {
        case checking, writing
    }

    public var phase: Phase
    public var done: Int
    public var total: Int
}
