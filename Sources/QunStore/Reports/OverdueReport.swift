/// Overdue tasks by assignee (逾期任务): open tasks (todo or doing) due before the reference
/// day, as `TaskFilter.overdue` selects them (recurrence templates are the routine, not work,
/// and are left out; their instances count). A task due today is not overdue yet, whatever
/// its time.
public struct OverdueReport: Sendable, Equatable {
    public struct Task: Sendable, Equatable {
        public var id: String
        public var title: String
        /// As stored: `YYYY-MM-DD` or `YYYY-MM-DDTHH:MM`.
        public var due: String
        public var status: TaskItem.Status
        /// Whole days from the due day to the reference day (at least 1).
        public var daysLate: Int
    }

    public struct Group: Sendable, Equatable {
        /// The operator the tasks are assigned to; nil for unassigned tasks.
        public var assignee: String?
        /// Oldest due first.
        public var tasks: [Task]
        public var count: Int { tasks.count }
        public var oldest: Task { tasks[0] }
    }

    public var today: CalendarDay
    /// Most overdue tasks first, then the oldest due, then the name; unassigned last.
    public var groups: [Group]
    public var total: Int { groups.reduce(0) { $0 + $1.count } }
}

extension Store {
    public func overdueReport(today: CalendarDay? = nil) throws -> OverdueReport {
        let today = today ?? localToday()
        var filter = TaskFilter()
        filter.overdue = true
        filter.today = today
        var byAssignee: [String?: [OverdueReport.Task]] = [:]
        for task in try tasks(filter) {
            guard let due = task.due, let day = task.dueDay, day < today else { continue }
            let assignee = task.assignee.flatMap { $0.isEmpty ? nil : $0 }
            byAssignee[assignee, default: []].append(OverdueReport.Task(
                id: task.id, title: task.title, due: due, status: task.status, daysLate: day.days(to: today)))
        }
        var groups = byAssignee.map { assignee, tasks in
            OverdueReport.Group(assignee: assignee, tasks: tasks.sorted { a, b in
                a.due != b.due ? a.due < b.due : a.id < b.id
            })
        }
        groups.sort { a, b in
            if (a.assignee == nil) != (b.assignee == nil) { return b.assignee == nil }
            if a.count != b.count { return a.count > b.count }
            if a.oldest.due != b.oldest.due { return a.oldest.due < b.oldest.due }
            return (a.assignee ?? "").utf8.lexicographicallyPrecedes((b.assignee ?? "").utf8)
        }
        return OverdueReport(today: today, groups: groups)
    }
}
