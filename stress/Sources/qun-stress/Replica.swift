import Foundation

/// One laptop of the simulated team: a store directory, maybe a running `qun serve`, and what
/// the driver believes the store holds (only used to pick sensible targets; the checks at the
/// end never trust it).
final class Replica {
    let index: Int
    let store: URL
    let operatorName: String
    var replicaID = ""
    var server: ChildProcess?
    var url: String?
    /// Member ids this store is believed to hold, in the order they became known.
    var members: [String] = []
    var deleted: Set<String> = []
    var tasks: [String] = []
    var events: [String] = []

    init(index: Int, store: URL, operatorName: String) {
        self.index = index
        self.store = store
        self.operatorName = operatorName
    }

    var name: String { "r\(index)(\(operatorName))" }

    var isServing: Bool { server.map { !$0.hasExited } ?? false }

    /// After a successful exchange with `other`, this store holds at least what `other` did.
    func learn(from other: Replica) {
        for id in other.members where !members.contains(id) { members.append(id) }
        deleted.formUnion(other.deleted)
        for id in other.tasks where !tasks.contains(id) { tasks.append(id) }
        for id in other.events where !events.contains(id) { events.append(id) }
    }
}
