/// What the task commands refuse beyond the store-wide `StoreError`s, with what the operator
/// can do about it. Tasks have no number or name to suggest, so these say what a task is
/// named by.
public enum TaskError: Error, Equatable, CustomStringConvertible {
    /// No task has this id, id prefix or exact title.
    case notFound(reference: String)
    /// Several tasks match; `candidates` are `shortid title (due)`.
    case ambiguous(reference: String, candidates: [String])

    public var description: String {
        switch self {
        case .notFound(let reference):
            return "no task matches '\(reference)': give an id prefix (4+ characters) or the exact title (see `qun task list --all`)"
        case .ambiguous(let reference, let candidates):
            let shown = candidates.prefix(5).joined(separator: ", ")
            return "task '\(reference)' is ambiguous: \(shown)\(candidates.count > 5 ? ", …" : "") — give the id (or more of its characters)"
        }
    }
}
