import ArgumentParser
import QunStore

/// Days given on the command line (`--today`, `--at`, `--date`): a date word or
/// `YYYY-MM-DD`, read against the store's clock, so that a report can be rerun for any day
/// and a test never depends on when it runs.
enum ReferenceDay {
    /// Checks the word's form before the store is opened (any day will do as today).
    static func validate(_ word: String?, option: String) throws {
        guard let word else { return }
        do {
            _ = try DateWords.day(word, today: CalendarDay(year: 2000, month: 1, day: 1)!, field: option)
        } catch let error as StoreError {
            throw ValidationError(error.description)
        }
    }

    /// The day `word` names, or the store's today when nil.
    static func resolve(_ word: String?, store: Store, option: String) throws -> CalendarDay {
        let today = store.localToday()
        guard let word else { return today }
        return try DateWords.day(word, today: today, field: option)
    }
}

/// `--today DAY` for reports that look at "now".
struct ReportTodayOption: ParsableArguments {
    @Option(help: ArgumentHelp("Run the report as if today were this day (default: today).", valueName: "day"))
    var today: String?

    func validate() throws { try ReferenceDay.validate(today, option: "--today") }

    func resolve(_ store: Store) throws -> CalendarDay {
        try ReferenceDay.resolve(today, store: store, option: "--today")
    }
}

/// Numbers as reports print them.
enum ReportFormat {
    /// Two decimals: `8.56`.
    static func score(_ value: Double) -> String {
        let hundredths = Int((value * 100).rounded())
        let fraction = hundredths % 100
        return "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }

    /// Three decimals, for the lines of `member why`.
    static func value(_ value: Double) -> String {
        let thousandths = Int((value * 1000).rounded())
        let fraction = thousandths % 1000
        return "\(thousandths / 1000)." + String(repeating: "0", count: 3 - String(fraction).count) + String(fraction)
    }

    /// `75.0%`, or `-` when there is no rate.
    static func rate(_ value: Double?) -> String {
        guard let value else { return "-" }
        return PyramidReport.percent(value)
    }

    static func weight(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }
}
