import Foundation

/// The fields of a written date and time, before they are checked to be a real moment: a
/// header can look like a time (`2024-13-45 25:61:00`) and still not be one, which is a bad
/// line to report rather than text to swallow.
struct ChatTimeFields: Equatable {
    var year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int

    var time: ChatTime? {
        ChatTime(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
    }

    /// As written, zero-padded ("2024-13-45 25:61:00"), for problem reports.
    var description: String {
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : String(n) }
        return "\(year)-\(two(month))-\(two(day)) \(two(hour)):\(two(minute)):\(two(second))"
    }
}

/// Reading the times chat exports write, on bytes.
enum ChatTimeText {
    enum Cell: Equatable {
        case time(ChatTime)
        /// Shaped like a time but not a real one, or not a time at all.
        case invalid
        case empty
    }

    /// `YYYY-M-D H:MM[:SS]` at the start of `bytes` (month, day and hour of one or two digits,
    /// `-` or `/` between the date's parts, spaces or `T` between date and time). Returns the
    /// fields and the index just past them.
    static func scan(_ bytes: UnsafeBufferPointer<UInt8>, requireSeconds: Bool) -> (ChatTimeFields, end: Int)? {
        var i = 0
        let n = bytes.count
        func digits(min: Int, max: Int) -> Int? {
            var value = 0
            var count = 0
            while i < n, count < max, bytes[i] &- 0x30 < 10 {
                value = value * 10 + Int(bytes[i] &- 0x30)
                i += 1
                count += 1
            }
            return count >= min ? value : nil
        }
        guard let year = digits(min: 4, max: 4), i < n, bytes[i] == 0x2D || bytes[i] == 0x2F else { return nil }
        let separator = bytes[i]
        i += 1
        guard let month = digits(min: 1, max: 2), i < n, bytes[i] == separator else { return nil }
        i += 1
        guard let day = digits(min: 1, max: 2), i < n, bytes[i] == 0x20 || bytes[i] == 0x54 else { return nil }
        i += 1
        while i < n, bytes[i] == 0x20 { i += 1 }
        guard let hour = digits(min: 1, max: 2), i < n, bytes[i] == 0x3A else { return nil }
        i += 1
        guard let minute = digits(min: 2, max: 2) else { return nil }
        var second = 0
        if i < n, bytes[i] == 0x3A {
            i += 1
            guard let s = digits(min: 2, max: 2) else { return nil }
            second = s
        } else if requireSeconds {
            return nil
        }
        // A digit right after the fields means a longer number: not this shape.
        if i < n, bytes[i] &- 0x30 < 10 { return nil }
        return (ChatTimeFields(year: year, month: month, day: day, hour: hour, minute: minute, second: second), i)
    }

    /// A CSV cell holding a time: the shapes of `scan`, seconds optional, then optionally a
    /// fraction of a second and a zone (`Z`, `+08:00`), both ignored: the wall clock as written
    /// is the group's time. A cell of 9 to 13 digits is a Unix time (seconds, or milliseconds
    /// from 12 digits), turned into the wall clock of `clock`'s time zone.
    static func cell(_ bytes: UnsafeBufferPointer<UInt8>, clock: inout ChatWallClock) -> Cell {
        var lo = 0
        var hi = bytes.count
        while lo < hi, bytes[lo] == 0x20 || bytes[lo] == 0x09 { lo += 1 }
        while hi > lo, bytes[hi - 1] == 0x20 || bytes[hi - 1] == 0x09 { hi -= 1 }
        if lo == hi { return .empty }
        let text = UnsafeBufferPointer(rebasing: bytes[lo..<hi])
        if text.allSatisfy({ $0 &- 0x30 < 10 }) {
            guard (9...13).contains(text.count) else { return .invalid }
            var value: Int64 = 0
            for b in text { value = value * 10 + Int64(b - 0x30) }
            if text.count >= 12 { value /= 1000 }
            return .time(clock.wallClock(unixSeconds: value))
        }
        guard let (fields, end) = scan(text, requireSeconds: false), let time = fields.time else { return .invalid }
        var i = end
        if i < text.count, text[i] == 0x2E || text[i] == 0x2C {
            i += 1
            let digitsStart = i
            while i < text.count, text[i] &- 0x30 < 10 { i += 1 }
            if i == digitsStart { return .invalid }
        }
        while i < text.count, text[i] == 0x20 { i += 1 }
        if i < text.count {
            let zone = UnsafeBufferPointer(rebasing: text[i...])
            guard zone.count == 1 && (zone[0] == 0x5A || zone[0] == 0x7A) || isOffset(zone) else { return .invalid }
        }
        return .time(time)
    }

    /// `+08:00`, `+0800`, `-05`, `UTC+8`-free: sign then 2 or 4 digits, an optional colon.
    private static func isOffset(_ zone: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let sign = zone.first, sign == 0x2B || sign == 0x2D else { return false }
        let rest = zone.dropFirst().filter { $0 != 0x3A }
        return (rest.count == 2 || rest.count == 4) && rest.allSatisfy { $0 &- 0x30 < 10 }
    }
}

/// Turns Unix times (WeChat's `CreateTime`) into the wall clock of a time zone — by default
/// the machine's, where the export was most likely made — remembering the zone's offset for
/// the hour last asked, since a million rows share a few offsets.
struct ChatWallClock {
    let zone: TimeZone
    private var cachedHour: Int64 = .min
    private var cachedOffset: Int64 = 0

    init(zone: TimeZone) { self.zone = zone }

    mutating func wallClock(unixSeconds: Int64) -> ChatTime {
        let hour = unixSeconds >= 0 ? unixSeconds / 3600 : (unixSeconds - 3599) / 3600
        if hour != cachedHour {
            cachedHour = hour
            cachedOffset = Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(unixSeconds))))
        }
        return ChatTime(seconds: unixSeconds + cachedOffset)
    }
}
