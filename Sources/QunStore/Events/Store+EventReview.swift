import Foundation
import GRDB
import QunCore

extension Store {
    /// Adds lines to an event's retrospective (复盘) and, with `markReviewed`, moves it from
    /// done to reviewed. Lines are append-only log entries: two teammates writing the
    /// retrospective at the same time both keep theirs.
    ///
    /// Only an event that is done (or already reviewed) takes a retrospective.
    public func review(_ reference: String, lines: [(Event.Retro, String)], markReviewed: Bool = false) throws -> Event {
        guard !lines.isEmpty || markReviewed else {
            throw StoreError.emptyEdit(what: "retrospective")
        }
        let checked = try lines.map { ($0.0, try EventValidation.retroLine($0.1)) }
        let id = try write { tx -> String in
            let target = try tx.resolve(Event.self, reference)
            let phase = try tx.stored(Event.self, target.uid).phase
            guard phase.allowsReview else { throw EventError.reviewTooEarly(id: target.uid, phase: phase) }
            for (section, text) in checked {
                try tx.append(.eventCollection, target.uid, section.rawValue, text)
            }
            if markReviewed && phase == .done {
                try tx.set(.eventCollection, target.uid, Event.Field.phase.rawValue, .text(Event.Phase.reviewed.rawValue))
            }
            return target.uid
        }
        return try event(id)
    }

    /// An event's retrospective lines, by section, each section in time order (the same
    /// order on every replica: by HLC, then replica, then seq).
    public func retrospective(_ reference: String) throws -> [RetroLine] {
        let target = try event(reference, includeDeleted: true)
        let operators = try operatorNames()
        let lines = try logEntries(.eventCollection, target.id).compactMap { entry -> RetroLine? in
            guard let section = Event.Retro(rawValue: entry.field) else { return nil }
            return RetroLine(section: section, at: entry.at, replica: entry.replica,
                             operatorName: operators[entry.replica] ?? String(entry.replica.hex.prefix(8)), text: entry.text)
        }
        let order = Event.Retro.allCases
        return lines.enumerated().sorted { a, b in
            let (x, y) = (order.firstIndex(of: a.element.section)!, order.firstIndex(of: b.element.section)!)
            return x != y ? x < y : a.offset < b.offset
        }.map(\.element)
    }
}
