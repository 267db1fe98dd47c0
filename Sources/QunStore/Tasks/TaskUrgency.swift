/// How pressing an open task is: `task next` lists the highest first. Modelled on
/// Taskwarrior's urgency, so that operators who know it find the same order, and computed when
/// read (it depends on today), never stored.
///
/// The score is a sum of terms:
///
/// | term | points |
/// |---|---|
/// | tag `next` | 15 |
/// | due | 12 × f, f = 1.0 when 7 or more days overdue, falling linearly to 0.2 at 14 days ahead (and 0.2 beyond); 0 without due |
/// | priority H / M / L | 6 / 3.9 / 1.8 |
/// | status doing (started) | 4 |
/// | age | 2 × (days since created / 365), at most 2 |
/// | annotations: 1 / 2 / 3+ | 0.8 / 0.9 / 1.0 |
/// | tags other than `next`: 1 / 2 / 3+ | 0.8 / 0.9 / 1.0 |
///
/// Done and dropped tasks and recurrence templates score 0: there is nothing left to do on
/// them. Scores are rounded to two decimals so that every laptop prints the same number.
public enum TaskUrgency {
    public static func score(_ task: TaskItem, today: CalendarDay) -> Double {
        guard task.isOpen, !task.isTemplate, !task.deleted else { return 0 }
        var score = 0.0
        if task.tags.contains("next") { score += 15 }
        if let due = task.dueDay {
            let overdue = Double(due.days(to: today))
            let factor: Double
            if overdue >= 7 {
                factor = 1.0
            } else if overdue >= -14 {
                factor = (overdue + 14) * 0.8 / 21 + 0.2
            } else {
                factor = 0.2
            }
            score += 12 * factor
        }
        switch task.priority {
        case .high?: score += 6
        case .medium?: score += 3.9
        case .low?: score += 1.8
        case nil: break
        }
        if task.status == .doing { score += 4 }
        let createdDay = CalendarDay(daysSinceEpoch: Int(task.created / 86_400_000))
        let age = Double(max(0, createdDay.days(to: today)))
        score += 2 * min(age / 365, 1)
        score += countTerm(task.notesCount)
        score += countTerm(task.tags.filter { $0 != "next" }.count)
        return (score * 100).rounded() / 100
    }

    private static func countTerm(_ count: Int) -> Double {
        switch count {
        case 0: return 0
        case 1: return 0.8
        case 2: return 0.9
        default: return 1.0
        }
    }
}
