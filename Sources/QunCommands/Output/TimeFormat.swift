import Foundation
import QunCore

enum TimeFormat {
    /// Local time, minutes precision: `2026-11-23 20:15`.
    static func local(_ hlc: HLC) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        return formatter.string(from: Date(timeIntervalSince1970: Double(hlc.milliseconds) / 1000))
    }

    /// `1h 5m`, `3d 2h`, `40s`.
    static func duration(milliseconds: Int64) -> String {
        DurationText.describe(milliseconds: milliseconds)
    }
}
