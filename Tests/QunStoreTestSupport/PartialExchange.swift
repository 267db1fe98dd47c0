import QunCore
import QunStore
import QunTestSupport

/// Part of what one store lacks, delivered badly: a page, possibly only its tail (a gap),
/// with holes, some changes twice, shuffled, in up to three batches. The convergence
/// property tests use it to carry changes between laptops the way real networks and
/// sneakernet do, so that only a full exchange at the end is guaranteed.
public struct PartialExchange {
    public let from: Int
    public let to: Int
    /// Changes handed to `apply`, duplicates included.
    public private(set) var delivered = 0
    /// Changes the receiving store held back (a clock too far ahead).
    public private(set) var held = 0

    /// Picks two different stores of `stores` and carries a random part of the difference.
    @discardableResult
    public init(_ stores: [Store], rng: inout SplitMix64) throws {
        from = rng.below(stores.count)
        var to = rng.below(stores.count - 1)
        if to >= from { to += 1 }
        self.to = to
        let limit = rng.chance(40) ? rng.int(in: 1...60) : Int.max
        var batch = try stores[from].changes(since: stores[to].versionVector(), limit: limit)
        if !batch.isEmpty, rng.chance(25) { batch = Array(batch[rng.below(batch.count)...]) }
        if rng.chance(30) { batch = batch.filter { _ in !rng.chance(30) } }
        var changes = batch
        for change in batch where rng.chance(15) { changes.append(change) }
        rng.shuffle(&changes)
        delivered = changes.count
        let parts = rng.int(in: 1...3)
        let size = max(1, (changes.count + parts - 1) / parts)
        for start in stride(from: 0, to: changes.count, by: size) {
            held += try stores[to].apply(Array(changes[start..<min(start + size, changes.count)])).held
        }
    }
}
