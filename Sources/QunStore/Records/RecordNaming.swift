/// How the records of a kind are named, for the not-found and ambiguous messages, which read
/// the same for every kind: "no task matches '早安': give an id prefix (4+ characters) or the
/// exact title" and "task '3f2a' is ambiguous: 3f2a91d0 早安推送 (2024-03-01), 3f2ad0c4 早安推送
/// (2024-03-02) — give more characters of the id". (The command layer adds where to look.)
struct RecordNaming {
    var hint: String
    /// What narrows an ambiguous reference down.
    var narrowing: String

    init(_ noun: String) {
        if let kind = RecordKinds.kind(named: noun) {
            let reference = kind.reference
            hint = reference.hint
            narrowing = "give more characters of the id" + (reference.narrower.map { ", \($0)" } ?? "")
            return
        }
        // Things named like records that are not records of a kind.
        switch noun {
        case "peer":
            hint = "the name of a peer or an operator"
            narrowing = "give the full name, or more characters of the replica id"
        case "record":
            hint = "an id prefix (4+ characters) of a record, or a member's number or name"
            narrowing = "give more characters of the id"
        default:
            hint = "an id prefix (4+ characters)"
            narrowing = "give more characters of the id"
        }
    }
}
