import QunStore

/// The table `task list` and `task next` print: the short id, priority, due day with how far
/// off it is, assignee, title, tags and urgency, aligned by display width.
enum TaskListing {
    static func render(_ tasks: [TaskItem], today: CalendarDay, urgency: [String: Double]? = nil) -> String {
        var table = TextTable(columns: [
            .init(title: "ID"), .init(title: "PRI"), .init(title: "DUE", maxWidth: 30),
            .init(title: "STATUS"), .init(title: "ASSIGNEE", maxWidth: 12), .init(title: "TITLE", maxWidth: 40),
            .init(title: "TAGS", maxWidth: 30), .init(title: "URG", alignRight: true),
        ])
        for task in tasks {
            let score = urgency?[task.id] ?? TaskUrgency.score(task, today: today)
            var title = task.title
            if task.isTemplate { title += " (\(task.recur!.rawValue))" }
            if task.deleted { title += " (deleted)" }
            table.addRow([
                task.shortID, task.priority?.rawValue ?? "", dueText(task, today: today),
                task.status.rawValue, task.assignee ?? "", title, task.tags.joined(separator: " "),
                String(format: "%.1f", score),
            ])
        }
        return table.render(maxWidth: Console.terminalWidth)
    }

    /// `2026-11-21 2d overdue`, `2026-11-23 today`, `2026-11-30 in 7d`.
    static func dueText(_ task: TaskItem, today: CalendarDay) -> String {
        guard let due = task.due else { return "" }
        guard task.isOpen, !task.isTemplate, let day = task.dueDay else { return due }
        let days = today.days(to: day)
        switch days {
        case 0: return "\(due) today"
        case 1: return "\(due) tomorrow"
        case ..<0: return "\(due) \(-days)d overdue"
        default: return "\(due) in \(days)d"
        }
    }
}
