import QunCore
import QunStore
import QunTestSupport

/// Part of what one store lacks, delivered badly: a page, possibly only its tail (a gap),
/// with holes, some changes twice, shuffled, in up to three batches. The convergence
/// property tests use it to carry changes between laptops the way real networks and
/// sneakernet do, so that only a full exchange at the end is guaranteed.
///
/// The random draws are made in a fixed order, so a seed replays the same exchanges; a
/// `Shape` turns parts off without drawing for them.
public struct PartialExchange: CustomStringConvertible {
    /// Which kinds of bad delivery an exchange may be.
    public struct Shape: Sendable {
        /// The largest page, when a page is cut (40 % of the time).
        public var maximumPage = 60
        /// How often the whole log is sent instead of the difference (most of it known).
        public var wholeLogPercent = 0
        /// How often only the tail of the page arrives.
        public var gapPercent = 25
        /// Whether delivery is split into up to three `apply` calls.
        public var batches = true

        public init(maximumPage: Int = 60, wholeLogPercent: Int = 0, gapPercent: Int = 25, batches: Bool = true) {
            self.maximumPage = maximumPage
            self.wholeLogPercent = wholeLogPercent
            self.gapPercent = gapPercent
            self.batches = batches
        }
    }

    public let from: Int
    public let to: Int
    /// Changes handed to `apply`, duplicates included.
    public private(set) var delivered = 0
    /// Changes the receiving store held back (a clock too far ahead).
    public private(set) var held = 0
    /// What was sent: `page 12 of 40, suffix from 3, with holes`.
    public private(set) var shape = ""

    /// Picks two different stores of `stores` and carries a random part of the difference.
    @discardableResult
    public init(_ stores: [Store], rng: inout SplitMix64, shape: Shape = Shape()) throws {
        from = rng.below(stores.count)
        var to = rng.below(stores.count - 1)
        if to >= from { to += 1 }
        self.to = to
        let limit = rng.chance(40) ? rng.int(in: 1...shape.maximumPage) : Int.max
        var batch = shape.wholeLogPercent > 0 && rng.chance(shape.wholeLogPercent)
            ? try stores[from].changes()
            : try stores[from].changes(since: stores[to].versionVector(), limit: limit)
        self.shape = "page \(limit == .max ? "all" : String(limit)) of \(batch.count)"
        if shape.gapPercent > 0, !batch.isEmpty, rng.chance(shape.gapPercent) {
            let start = rng.below(batch.count)
            batch = Array(batch[start...])
            self.shape += ", suffix from \(start)"
        }
        if rng.chance(30) {
            batch = batch.filter { _ in !rng.chance(30) }
            self.shape += ", with holes"
        }
        var changes = batch
        for change in batch where rng.chance(15) { changes.append(change) }
        rng.shuffle(&changes)
        delivered = changes.count
        let parts = shape.batches ? rng.int(in: 1...3) : 1
        let size = max(1, (changes.count + parts - 1) / parts)
        for start in stride(from: 0, to: changes.count, by: size) {
            held += try stores[to].apply(Array(changes[start..<min(start + size, changes.count)])).held
        }
    }

    public var description: String { "exchange \(from)→\(to) (\(shape), \(delivered) delivered)" }
}
