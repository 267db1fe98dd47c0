import XCTest
import QunCore
import QunTestSupport

final class HLCTests: XCTestCase {
    private let t: Int64 = 1_700_000_000_000

    func testPackingMillisecondsAndCounter() {
        let stamp = HLC(milliseconds: t, counter: 7)
        XCTAssertEqual(stamp.milliseconds, t)
        XCTAssertEqual(stamp.counter, 7)
        XCTAssertEqual(stamp.rawValue, t << 16 | 7)
        XCTAssertEqual(HLC(rawValue: stamp.rawValue), stamp)
        XCTAssertEqual(stamp.description, "1700000000000.7")
        XCTAssertEqual(HLC.zero.milliseconds, 0)
        XCTAssertEqual(HLC.zero.counter, 0)
        let top = HLC(milliseconds: t, counter: HLC.maxCounter)
        XCTAssertEqual(top.counter, 0xFFFF)
        XCTAssertEqual(top.milliseconds, t)
    }

    func testOrderIsMillisecondsThenCounter() {
        XCTAssertLessThan(HLC(milliseconds: t, counter: 0), HLC(milliseconds: t, counter: 1))
        XCTAssertLessThan(HLC(milliseconds: t, counter: HLC.maxCounter), HLC(milliseconds: t + 1, counter: 0))
        XCTAssertLessThan(HLC.zero, HLC(milliseconds: 0, counter: 1))
    }

    func testNextFollowsTheWallClockWhenItMovesForward() {
        let last = HLC(milliseconds: t, counter: 12)
        XCTAssertEqual(HLC.next(after: last, now: t + 5), HLC(milliseconds: t + 5, counter: 0))
        XCTAssertEqual(HLC.next(after: .zero, now: t), HLC(milliseconds: t, counter: 0))
    }

    func testNextIncrementsCounterWhenWallClockStalls() {
        let last = HLC(milliseconds: t, counter: 5)
        let next = HLC.next(after: last, now: t)
        XCTAssertEqual(next, HLC(milliseconds: t, counter: 6))
        XCTAssertEqual(HLC.next(after: next, now: t), HLC(milliseconds: t, counter: 7))
    }

    func testNextStaysAheadWhenWallClockGoesBack() {
        let last = HLC(milliseconds: t, counter: 5)
        let next = HLC.next(after: last, now: t - 60_000)  // NTP stepped the clock back a minute
        XCTAssertEqual(next, HLC(milliseconds: t, counter: 6))
        XCTAssertGreaterThan(next, last)
        XCTAssertEqual(HLC.next(after: next, now: 0), HLC(milliseconds: t, counter: 7))
    }

    func testCounterOverflowBorrowsTheNextMillisecond() {
        let full = HLC(milliseconds: t, counter: HLC.maxCounter)
        let next = HLC.next(after: full, now: t)
        XCTAssertEqual(next, HLC(milliseconds: t + 1, counter: 0))
        XCTAssertGreaterThan(next, full)
        // The wall clock then catching up to the borrowed millisecond does not go back.
        XCTAssertEqual(HLC.next(after: next, now: t + 1), HLC(milliseconds: t + 1, counter: 1))
        // Also when the wall clock is behind.
        XCTAssertEqual(HLC.next(after: full, now: t - 10), HLC(milliseconds: t + 1, counter: 0))
    }

    func testNextIsStrictlyMonotonicUnderAnErraticWallClock() {
        var rng = SplitMix64(seed: 0x4C0C)
        var wall = t
        var last = HLC.zero
        for step in 0..<20_000 {
            switch rng.below(10) {
            case 0: wall -= Int64(rng.int(in: 1...5_000))  // steps back
            case 1...5: break                              // stalls (many events per ms)
            default: wall += Int64(rng.int(in: 1...3))
            }
            let next = HLC.next(after: last, now: wall)
            guard next > last, next.milliseconds >= wall else {
                XCTFail("seed 0x4C0C: step \(step): \(next) after \(last) at wall clock \(wall)")
                return
            }
            last = next
        }
        // A burst of more than 65,536 events in one millisecond keeps going by borrowing.
        var burst = HLC(milliseconds: t, counter: 0)
        for _ in 0..<(HLC.maxCounter + 10) {
            let next = HLC.next(after: burst, now: t)
            XCTAssertGreaterThan(next, burst)
            burst = next
        }
        XCTAssertEqual(burst, HLC(milliseconds: t + 1, counter: 9))
    }

    func testMergedNeverFallsBehindEitherSide() {
        let local = HLC(milliseconds: t, counter: 3)
        let aheadRemote = HLC(milliseconds: t + 500, counter: 9)
        let behindRemote = HLC(milliseconds: t - 500, counter: 60)
        XCTAssertEqual(HLC.merged(local: local, remote: aheadRemote), aheadRemote)
        XCTAssertEqual(HLC.merged(local: local, remote: behindRemote), local)
        XCTAssertEqual(HLC.merged(local: local, remote: local), local)

        // After receiving, the next local stamp is after the remote one, even with a slow clock.
        let merged = HLC.merged(local: local, remote: aheadRemote)
        let next = HLC.next(after: merged, now: t)
        XCTAssertGreaterThan(next, aheadRemote)
        XCTAssertEqual(next, HLC(milliseconds: t + 500, counter: 10))
    }

    func testClockSkewPolicyExcess() {
        let policy = ClockSkewPolicy.default
        XCTAssertEqual(policy.maximumAheadMilliseconds, 600_000)
        XCTAssertEqual(ClockSkewPolicy(), policy)

        // Behind, equal and up to the bound: applied.
        XCTAssertNil(policy.excess(of: HLC(milliseconds: t - 3_600_000, counter: 0), now: t))
        XCTAssertNil(policy.excess(of: HLC(milliseconds: t, counter: HLC.maxCounter), now: t))
        XCTAssertNil(policy.excess(of: HLC(milliseconds: t + 600_000, counter: HLC.maxCounter), now: t))
        // Beyond the bound: held back, reporting how far ahead it is.
        XCTAssertEqual(policy.excess(of: HLC(milliseconds: t + 600_001, counter: 0), now: t), 600_001)
        let aYearAhead: Int64 = 365 * 24 * 3_600_000
        XCTAssertEqual(policy.excess(of: HLC(milliseconds: t + aYearAhead, counter: 0), now: t), aYearAhead)

        let strict = ClockSkewPolicy(maximumAheadMilliseconds: 0)
        XCTAssertNil(strict.excess(of: HLC(milliseconds: t, counter: 5), now: t))
        XCTAssertEqual(strict.excess(of: HLC(milliseconds: t + 1, counter: 0), now: t), 1)
    }
}
