/// Event turnout (活动数据): for each live event, its target against sign-ups against
/// attendance.
///
/// Sign-ups and attendance count live members only (a deleted member's sign-up is not a
/// person who will come), as `Event` gives them. Fill rate is sign-ups over target; show-up
/// rate is attendance over sign-ups. A rate whose denominator is missing or zero is nil, not
/// 0 or infinity.
public struct EventReport: Sendable, Equatable {
    public struct Row: Sendable, Equatable {
        public var id: String
        public var title: String
        /// As stored: `YYYY-MM-DD` or `YYYY-MM-DDTHH:MM`.
        public var start: String?
        public var phase: Event.Phase
        public var target: Int?
        public var signups: Int
        public var attendance: Int
        public var fillRate: Double?
        public var showUpRate: Double?
    }

    /// In `events()` order: by start (undated plans last), then title, then id.
    public var events: [Row]
}

extension Store {
    public func eventReport() throws -> EventReport {
        EventReport(events: try events().map { event in
            let target = event.target.map { Int($0) }
            let signups = event.signups.count
            let attendance = event.attendance.count
            return EventReport.Row(
                id: event.id, title: event.title, start: event.start, phase: event.phase, target: target,
                signups: signups, attendance: attendance,
                fillRate: target.flatMap { $0 > 0 ? Double(signups) / Double($0) : nil },
                showUpRate: signups > 0 ? Double(attendance) / Double(signups) : nil)
        })
    }
}
