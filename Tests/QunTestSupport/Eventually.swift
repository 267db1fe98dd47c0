import Foundation

/// Polls `condition` every `interval` seconds until it holds or `timeout` seconds have passed;
/// returns whether it held.
///
/// For tests that wait on a real process or server to reach a state: a fixed sleep is either
/// too short on a slow machine (a flaky failure) or too long on a fast one (a slow suite),
/// where polling with a deadline returns as soon as the state is there and fails only when it
/// never comes. Time that a test needs to pass on a clock is not waited for at all: move the
/// clock instead (`QUN_CLOCK_OFFSET_MS`, a hand-moved test clock).
@discardableResult
public func eventually(
    timeout: TimeInterval, every interval: TimeInterval = 0.02, _ condition: () throws -> Bool
) rethrows -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while true {
        if try condition() { return true }
        if Date() >= deadline { return false }
        Thread.sleep(forTimeInterval: interval)
    }
}
