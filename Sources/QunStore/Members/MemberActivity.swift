import Foundation

/// How active a member is at a reference day (活跃度): derived from the merged records every
/// time it is asked for, never stored, so every laptop that holds the same changes computes
/// the same score and nothing can drift out of step.
///
/// The score is the sum over the member's contributions dated on or before the reference day:
///
///     score = Σ weight(kind) × 0.5 ^ (age / halfLife)
///
/// where `age` is the number of whole days from the contribution's day to the reference day
/// (0 on the day itself) and `halfLife` is 30 days: a check-in a month ago counts half as
/// much as one today, two months ago a quarter. The kinds and their default weights:
///
/// | kind        | weight | dated by                                             |
/// |-------------|--------|------------------------------------------------------|
/// | attendance  | 5      | the event's start day (member id in its `attendance`) |
/// | checkin     | 2      | the day written in the check-in entry                |
/// | interaction | 1      | the local day its log entry was recorded             |
/// | message     | 0.2    | the chat's own day (`qun import chat`), at most 10 a day |
///
/// Attendance outweighs a check-in because showing up takes an evening; an interaction is an
/// operator's note and says less about the member's own effort. Contributions after the
/// reference day (an event still to come) do not count.
///
/// Messages count per day: a day's messages add 0.2 each, but no more than
/// `messageDailyCap` (10) of them, so a day of chat is worth one check-in at most and the
/// group's most talkative member does not outrank the one who shows up.
public struct ActivityFormula: Sendable, Equatable {
    public var weights: [ActivityContribution.Kind: Double]
    /// Days after which a contribution counts half.
    public var halfLifeDays: Double
    /// Messages of one day that count; the rest of the day's messages add nothing.
    public var messageDailyCap: Int

    public init(weights: [ActivityContribution.Kind: Double] = ActivityFormula.standard.weights, halfLifeDays: Double = 30,
                messageDailyCap: Int = 10) {
        self.weights = weights
        self.halfLifeDays = halfLifeDays
        self.messageDailyCap = messageDailyCap
    }

    public static let standard = ActivityFormula(
        weights: [.attendance: 5, .checkin: 2, .interaction: 1, .message: 0.2], halfLifeDays: 30, messageDailyCap: 10)

    /// How many of `count` things of `kind` on one day count.
    public func counted(_ kind: ActivityContribution.Kind, _ count: Int) -> Int {
        kind == .message ? min(count, messageDailyCap) : count
    }

    public func weight(_ kind: ActivityContribution.Kind) -> Double { weights[kind] ?? 0 }

    /// `weight × 0.5 ^ (age / halfLife)`.
    public func decayed(weight: Double, ageDays: Int) -> Double {
        weight * pow(0.5, Double(ageDays) / halfLifeDays)
    }

    /// The formula in one line, for `qun member why` and report footers.
    public var summary: String {
        func number(_ value: Double) -> String {
            value == value.rounded() ? String(Int(value)) : String(value)
        }
        return "score = Σ weight × 0.5^(age in days / \(number(halfLifeDays))); weights: attendance \(number(weight(.attendance))), check-in \(number(weight(.checkin))), interaction \(number(weight(.interaction))), message \(number(weight(.message))) (at most \(messageDailyCap) a day)"
    }
}

/// One thing a member did, before any weighting: the raw material of the activity score.
public struct ActivityEvent: Sendable, Equatable {
    public var kind: ActivityContribution.Kind
    public var day: CalendarDay
    /// The event title, the check-in note or the interaction text.
    public var detail: String?
    /// How many: a day's chat messages are one event.
    public var count: Int = 1
}

/// One line of a score's explanation.
public struct ActivityContribution: Sendable, Equatable {
    public enum Kind: String, CaseIterable, Sendable, Comparable {
        case attendance, checkin, interaction, message

        public static func < (a: Kind, b: Kind) -> Bool {
            allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
        }
    }

    public var kind: Kind
    public var day: CalendarDay
    public var weight: Double
    /// Whole days from `day` to the reference day.
    public var ageDays: Int
    /// `weight` after decay: what this line adds to the score.
    public var value: Double
    public var detail: String?
    /// How many things of the kind the day had (messages), and how many of them count.
    public var count: Int = 1
    public var counted: Int = 1
}

/// A member's activity score at a reference day, with the lines that make it up.
public struct MemberActivity: Sendable, Equatable {
    public var member: Member
    /// The day the score is computed for: decay is measured up to it.
    public var reference: CalendarDay
    /// Newest first; ties by kind, then detail.
    public var contributions: [ActivityContribution]
    public var formula: ActivityFormula

    /// The sum of the contributions' values.
    public var score: Double { contributions.reduce(0) { $0 + $1.value } }

    /// Scores `events` at `reference`, keeping only those dated in `window` (default: any
    /// day up to the reference day). Days after the reference day never count.
    public init(member: Member, events: [ActivityEvent], reference: CalendarDay,
                window: ClosedRange<CalendarDay>? = nil, formula: ActivityFormula = .standard) {
        self.member = member
        self.reference = reference
        self.formula = formula
        contributions = events.compactMap { event -> ActivityContribution? in
            let age = event.day.days(to: reference)
            guard age >= 0 else { return nil }
            if let window, !window.contains(event.day) { return nil }
            let weight = formula.weight(event.kind)
            let counted = formula.counted(event.kind, event.count)
            return ActivityContribution(kind: event.kind, day: event.day, weight: weight, ageDays: age,
                                        value: formula.decayed(weight: weight * Double(counted), ageDays: age),
                                        detail: event.detail, count: event.count, counted: counted)
        }.sorted { a, b in
            if a.day != b.day { return a.day > b.day }
            if a.kind != b.kind { return a.kind < b.kind }
            return (a.detail ?? "").utf8.lexicographicallyPrecedes((b.detail ?? "").utf8)
        }
    }
}
