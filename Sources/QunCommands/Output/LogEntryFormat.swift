import QunCore

/// How every append-only log is shown — a member's interactions, a task's annotations, an
/// event's retrospective — so that the three read alike and their `--json` keys agree.
enum LogEntryFormat {
    /// `{at, by, operator, text}`: `at` in ms since 1970, `by` the writing replica's id.
    static func json(at: HLC, replica: ReplicaID, operatorName: String, text: String) -> JSON {
        .object([
            ("at", .int(at.milliseconds)), ("by", .string(replica.hex)),
            ("operator", .string(operatorName)), ("text", .string(text)),
        ])
    }

    /// One line of a `show` listing: local time, who, what.
    static func line(at: HLC, operatorName: String, text: String, indent: String = "  ") -> String {
        "\(indent)\(TimeFormat.local(at))  \(pad(operatorName, toWidth: 8))  \(text)"
    }
}
