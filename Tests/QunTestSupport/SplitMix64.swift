import Foundation

/// A tiny deterministic PRNG (SplitMix64) so that every randomized test can be replayed from
/// its seed. The helpers below do their own range reduction and shuffling rather than relying
/// on the standard library's algorithms, so a seed means the same run on every toolchain.
public struct SplitMix64: RandomNumberGenerator {
    public private(set) var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform integer in `0..<bound` (`bound` > 0).
    public mutating func below(_ bound: Int) -> Int {
        precondition(bound > 0)
        return Int(next().multipliedFullWidth(by: UInt64(bound)).high)
    }

    /// A uniform integer in `range`.
    public mutating func int(in range: ClosedRange<Int>) -> Int {
        range.lowerBound + below(range.upperBound - range.lowerBound + 1)
    }

    /// True with probability `numerator / denominator`.
    public mutating func chance(_ numerator: Int, in denominator: Int) -> Bool {
        below(denominator) < numerator
    }

    /// True with probability `percent`%.
    public mutating func chance(_ percent: Int) -> Bool { chance(percent, in: 100) }

    public mutating func pick<T>(_ items: [T]) -> T {
        items[below(items.count)]
    }

    /// Fisher–Yates.
    public mutating func shuffle<T>(_ items: inout [T]) {
        guard items.count > 1 else { return }
        for index in stride(from: items.count - 1, to: 0, by: -1) {
            items.swapAt(index, below(index + 1))
        }
    }

    public mutating func shuffled<T>(_ items: [T]) -> [T] {
        var copy = items
        shuffle(&copy)
        return copy
    }

    /// A random subset of `items` (each kept with probability `percent`%), shuffled, with
    /// roughly `duplicatePercent`% of the kept items delivered a second time.
    public mutating func subsetWithDuplicates<T>(_ items: [T], percent: Int, duplicatePercent: Int) -> [T] {
        var out: [T] = []
        for item in items where chance(percent, in: 100) {
            out.append(item)
            if chance(duplicatePercent, in: 100) { out.append(item) }
        }
        shuffle(&out)
        return out
    }

    public mutating func bytes(_ count: Int) -> [UInt8] {
        (0..<count).map { _ in UInt8(truncatingIfNeeded: next()) }
    }
}

/// Seeds for randomized tests: `QUN_SEED` (decimal or 0x-hex) replays one, otherwise the
/// fixed list.
public func testSeeds(_ fixed: [UInt64]) -> [UInt64] {
    guard let text = ProcessInfo.processInfo.environment["QUN_SEED"], !text.isEmpty else { return fixed }
    let seed = text.hasPrefix("0x") ? UInt64(text.dropFirst(2), radix: 16) : UInt64(text)
    guard let seed else { return fixed }
    return [seed]
}
