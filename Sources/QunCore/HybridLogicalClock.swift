/// A hybrid logical clock timestamp: wall-clock milliseconds in the high 48 bits and a
/// logical counter in the low 16, packed into one `Int64` so SQLite stores and compares it as
/// a single INTEGER.
///
/// Changes are totally ordered by `(hlc, replica)`. The physical part keeps that order close
/// to real time; the counter keeps it strictly increasing on one replica even when the wall
/// clock stalls or steps back.
public struct HLC: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let rawValue: Int64

    public init(rawValue: Int64) { self.rawValue = rawValue }

    public init(milliseconds: Int64, counter: Int) {
        precondition(counter >= 0 && counter <= HLC.maxCounter)
        rawValue = milliseconds << 16 | Int64(counter)
    }

    public static let maxCounter = 0xFFFF
    public static let zero = HLC(rawValue: 0)

    /// Wall-clock milliseconds since 1970.
    public var milliseconds: Int64 { rawValue >> 16 }
    public var counter: Int { Int(rawValue & 0xFFFF) }

    public static func < (a: HLC, b: HLC) -> Bool { a.rawValue < b.rawValue }

    public var description: String { "\(milliseconds).\(counter)" }

    /// The next timestamp for a local event: later than `last` and not behind the wall clock.
    public static func next(after last: HLC, now milliseconds: Int64) -> HLC {
        if milliseconds > last.milliseconds {
            return HLC(milliseconds: milliseconds, counter: 0)
        }
        if last.counter < maxCounter {
            return HLC(rawValue: last.rawValue + 1)
        }
        // Counter exhausted within one millisecond: borrow the next millisecond.
        return HLC(milliseconds: last.milliseconds + 1, counter: 0)
    }

    /// The clock after receiving a remote timestamp: never behind either.
    public static func merged(local last: HLC, remote: HLC) -> HLC {
        max(last, remote)
    }
}

/// How far ahead of the local wall clock a remote change may be stamped before it is held
/// back rather than applied. Without the bound, one laptop with its clock set a year ahead
/// would win every last-writer-wins conflict for a year.
public struct ClockSkewPolicy: Sendable, Equatable {
    public var maximumAheadMilliseconds: Int64

    public init(maximumAheadMilliseconds: Int64 = 10 * 60 * 1000) {
        self.maximumAheadMilliseconds = maximumAheadMilliseconds
    }

    public static let `default` = ClockSkewPolicy()

    /// `nil` when `hlc` may be applied now; otherwise how many milliseconds too far ahead.
    public func excess(of hlc: HLC, now milliseconds: Int64) -> Int64? {
        let ahead = hlc.milliseconds - milliseconds
        return ahead > maximumAheadMilliseconds ? ahead : nil
    }
}
