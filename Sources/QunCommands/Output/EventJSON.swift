import QunCore
import QunStore

/// The `--json` form of an event plan. Keys are stable; absent values are `null`.
///
/// `signups` and `attendance` list live members only (a deleted member stays in the
/// replicated sets, and is back if restored, but is neither listed nor counted).
enum EventJSON {
    static func object(_ event: Event) -> JSON {
        func text(_ value: String?) -> JSON { value.map { .string($0) } ?? .null }
        func ids(_ list: [String]) -> JSON { .array(list.map { .string($0) }) }
        let budget: JSON = event.budget.map { $0 == $0.rounded() && abs($0) < 1e15 ? .int(Int64($0)) : .real($0) } ?? .null
        // In key order (UTF-8 bytes), so the canonical writer need not sort.
        return .object([
            ("achieved_count", .int(Int64(event.achievedCount))),
            ("attendance", ids(event.attendance)),
            ("attendance_count", .int(Int64(event.attendance.count))),
            ("budget", budget),
            ("city", text(event.city)),
            ("deleted", .bool(event.deleted)),
            ("end", text(event.end)),
            ("id", .string(event.id)),
            ("keep_count", .int(Int64(event.keepCount))),
            ("kind", text(event.kind?.rawValue)),
            ("missed_count", .int(Int64(event.missedCount))),
            ("phase", .string(event.phase.rawValue)),
            ("place", text(event.place)),
            ("purpose", text(event.purpose)),
            ("rewards", text(event.rewards)),
            ("rules", text(event.rules)),
            ("signup_count", .int(Int64(event.signups.count))),
            ("signups", ids(event.signups)),
            ("start", text(event.start)),
            ("target", event.target.map { .int($0) } ?? .null),
            ("title", .string(event.title)),
            ("walk_ins", ids(event.walkIns)),
        ])
    }

    /// `event show --json`: the event plus its retrospective and run-sheet.
    static func detailed(_ event: Event, retrospective: [RetroLine], runSheet: [TaskItem]) -> JSON {
        guard case .object(var members) = object(event) else { return object(event) }
        let sections: [(String, JSON)] = Event.Retro.allCases.map { section in
            (section.rawValue, .array(retrospective.filter { $0.section == section }.map { line in
                LogEntryFormat.json(at: line.at, replica: line.replica, operatorName: line.operatorName, text: line.text)
            }))
        }
        members.append(("retrospective", .object(sections)))
        members.append(("run_sheet", .array(runSheet.map(runSheetTask))))
        return .object(members)
    }

    /// One run-sheet line (`event task --json`, and each of `run_sheet` in `event show`).
    static func runSheetTask(_ task: TaskItem) -> JSON {
        .object([
            ("due", task.due.map { .string($0) } ?? .null),
            ("event", task.event.map { .string($0) } ?? .null),
            ("id", .string(task.id)),
            ("offset", task.offset.map { .int(Int64($0)) } ?? .null),
            ("owner", task.assignee.map { .string($0) } ?? .null),
            ("status", .string(task.status.rawValue)),
            ("title", .string(task.title)),
        ])
    }
}
