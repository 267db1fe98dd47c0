/// What the event commands refuse beyond the store-wide `StoreError`s, with what the
/// operator can do about it.
public enum EventError: Error, Equatable, CustomStringConvertible {
    /// A phase change that is not one step forward or back.
    case phaseJump(id: String, from: Event.Phase, to: Event.Phase)
    /// A retrospective line on an event that is not over.
    case reviewTooEarly(id: String, phase: Event.Phase)
    /// The run-sheet is scheduled from the start, and a calendar entry needs one.
    /// `purpose` says which, for the message.
    case noStart(id: String, purpose: String)
    /// The end would come before the start.
    case endBeforeStart(start: String, end: String)

    public var description: String {
        switch self {
        case .phaseJump(let id, let from, let to):
            let allowed = from.neighbours.map(\.rawValue).joined(separator: " or ")
            return "event \(id.prefix(8)) is in phase \(from.rawValue): it can move only to \(allowed), not \(to.rawValue) (phases go draft → prep → live → done → reviewed, one step at a time)"
        case .reviewTooEarly(let id, let phase):
            return "event \(id.prefix(8)) is in phase \(phase.rawValue): the retrospective (复盘) is written once it is done — first `qun event phase \(id.prefix(8)) \(phase == .draft ? "prep" : phase == .prep ? "live" : "done")` step by step"
        case .noStart(let id, let purpose):
            return "event \(id.prefix(8)) has no start yet: \(purpose) — give it a start first"
        case .endBeforeStart(let start, let end):
            return "the end \(end) is before the start \(start): give an end on or after the start"
        }
    }
}
