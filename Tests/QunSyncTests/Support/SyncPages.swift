import QunCore
import QunStore

/// The sizes of the sync pages a sender cuts `changes` (in `(replica, seq)` order, as
/// `Store.changes(since:)` gives them) into at `limit` a page, worked out from the changes
/// themselves rather than by asking the store: a page takes `limit` changes, then runs on to
/// finish the commit block the limit falls in (up to its signature), never past the end of
/// the replica it is in nor past `limit + CommitBlock.maximumChanges`.
func expectedPageSizes(of changes: [Change], limit: Int) -> [Int] {
    var sizes: [Int] = []
    var count = 0
    for (index, change) in changes.enumerated() {
        count += 1
        let next = index + 1 < changes.count ? changes[index + 1] : nil
        var closes = next == nil
        if !closes, count >= limit {
            if case .signature = change.operation { closes = true }
            if next!.id.replica != change.id.replica || count >= limit + CommitBlock.maximumChanges { closes = true }
        }
        if closes {
            sizes.append(count)
            count = 0
        }
    }
    return sizes
}

/// Running totals of `sizes`: what a progress report says after each page.
func runningTotals(_ sizes: [Int]) -> [Int] {
    var total = 0
    return sizes.map { total += $0; return total }
}

/// What `from` sends `to` in pages: all `to` lacks, but the roster entries (each with its
/// commit's signature) that the roster step at the start of a sync moved before.
func pagedAfterTheRoster(from: Store, to: Store) throws -> [Change] {
    let roster = Set(try from.rosterChanges())
    return try from.changes(since: to.versionVector()).filter { !roster.contains($0) }
}

/// How many commit blocks end in `changes`.
func signatures(in changes: [Change]) -> Int {
    changes.filter { if case .signature = $0.operation { true } else { false } }.count
}
