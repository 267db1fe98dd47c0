import Foundation

/// Every write whose `qun` process exited 0: the operator was told it happened, so it must be
/// in the final log of every replica (DESIGN.md: kill -9 at any moment loses no acknowledged
/// change).
struct AcknowledgedWrite {
    enum Effect {
        /// `op` on `field` with `value` by the writer, as `qun history --json` shows it.
        case change(op: String, field: String, value: String?)
        /// Some change by the writer on this record (verbs whose exact fields are not part of
        /// the stable contract: tasks and events).
        case anyChange
        /// A tag removal: only written when the writer saw the tag, which the driver cannot know.
        case unverifiable
    }

    var collection: String
    var record: String
    var replica: String
    var command: String
    var effect: Effect
}

struct Ledger {
    private(set) var writes: [AcknowledgedWrite] = []

    mutating func record(_ write: AcknowledgedWrite) { writes.append(write) }

    var records: [String: [AcknowledgedWrite]] { Dictionary(grouping: writes, by: \.record) }

    /// One entry of `qun history ID --json`.
    struct HistoryEntry {
        var replica: String
        var op: String
        var field: String
        var value: String?
    }

    static func parseHistory(_ text: String) -> [HistoryEntry]? {
        guard let array = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [[String: Any]] else { return nil }
        return array.map { entry in
            HistoryEntry(
                replica: entry["replica"] as? String ?? "", op: entry["op"] as? String ?? "",
                field: entry["field"] as? String ?? "", value: entry["value"] as? String)
        }
    }

    /// Checks the writes of one record against its final history; returns what is missing.
    static func missing(_ writes: [AcknowledgedWrite], in history: [HistoryEntry]) -> [AcknowledgedWrite] {
        writes.filter { write in
            switch write.effect {
            case .unverifiable:
                return false
            case .anyChange:
                return !history.contains { $0.replica == write.replica }
            case .change(let op, let field, let value):
                return !history.contains { entry in
                    entry.replica == write.replica && entry.op == op && entry.field == field && (value == nil || entry.value == value)
                }
            }
        }
    }
}
