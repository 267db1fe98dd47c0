import QunCore
import QunStore

extension Store {
    /// A member with only a name (and whatever `configure` sets), added.
    @discardableResult
    public func add(_ name: String, configure: (inout MemberDraft) -> Void = { _ in }) throws -> Member {
        var draft = MemberDraft(name: name)
        configure(&draft)
        return try addMember(draft)
    }

    /// The canonical export as one line: equal on converged replicas.
    public func exportText() throws -> String { try export().compact }

    /// One collection of the export as one line (`[]` when absent).
    public func exportSection(_ collection: String) throws -> String {
        section(try export(), collection)
    }
}

/// One collection of an export document as one line (`[]` when absent).
public func section(_ export: JSON, _ collection: String) -> String {
    guard case .object(let members) = export else { return "[]" }
    return members.first { $0.0 == collection }?.1.compact ?? "[]"
}
