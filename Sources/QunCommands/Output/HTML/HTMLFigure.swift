import QunCore

/// One figure of a report on the page, marked so that a program can check it against the
/// `--json` report without parsing friendly text.
///
/// The convention, for every number (and the few words, such as a pyramid verdict) the page
/// shows in a table or a summary line:
///
///     <td data-metric="leaderboard.score" data-member="ID" data-value="12.3457">12.35</td>
///
/// - `data-metric` is `REPORT.KEY`, with KEY the `--json` key of the figure (`fill_rate`,
///   `days_quiet`); a pyramid level's figures are `pyramid.ROLE.KEY` (`pyramid.kol.count`).
/// - The row the figure belongs to is named by one or two more attributes: `data-member` (a
///   member id), `data-event` (an event id), `data-month` (`YYYY-MM`), `data-week` (the week's
///   Monday, `YYYY-MM-DD`), `data-weekday` (0 Monday … 6 Sunday) and `data-hour` (0–23).
/// - `data-value` is the figure exactly as `--json` prints it (`ReportJSON`): integers in
///   decimal, scores and rates rounded to four decimals and printed as `JSON.real` prints
///   them (`0.75`, `12.3457`, `1.0`), a missing figure as `null`, a word without quotes.
/// - The element's text is for people (`12.35`, `75.0%`, `-`) and may differ from the value.
///
/// Attributes come in that order: `data-metric`, the row's attributes, `data-value`.
struct HTMLFigure {
    var metric: String
    /// Attribute name (without `data-`) and value naming the figure's row.
    var keys: [(name: String, value: String)]
    var value: String
    var text: String

    init(_ metric: String, keys: [(name: String, value: String)] = [], value: String, text: String) {
        self.metric = metric
        self.keys = keys
        self.value = value
        self.text = text
    }

    /// A count: value and text are the same number.
    static func count(_ metric: String, _ count: Int, keys: [(name: String, value: String)] = []) -> HTMLFigure {
        HTMLFigure(metric, keys: keys, value: String(count), text: String(count))
    }

    /// A count that may be missing (an event without a target): `null` and `-` then.
    static func count(_ metric: String, _ count: Int?, keys: [(name: String, value: String)] = []) -> HTMLFigure {
        HTMLFigure(metric, keys: keys, value: count.map(String.init) ?? "null", text: count.map(String.init) ?? "-")
    }

    /// A score or rate, rounded as `--json` rounds it, shown as `text` renders it.
    static func real(_ metric: String, _ number: Double?, keys: [(name: String, value: String)] = [],
                     text: (Double) -> String) -> HTMLFigure {
        HTMLFigure(metric, keys: keys, value: number.map { ReportJSON.number($0).compact } ?? "null",
                   text: number.map(text) ?? "-")
    }

    /// A word or a day: the value is the text `--json` holds in the string, `null` for none.
    static func word(_ metric: String, _ word: String?, keys: [(name: String, value: String)] = [],
                     text: String? = nil) -> HTMLFigure {
        HTMLFigure(metric, keys: keys, value: word ?? "null", text: text ?? word ?? "-")
    }

    /// The attributes, without the element.
    var attributes: String {
        var out = HTMLDocument.attribute("data-metric", metric)
        for key in keys { out += HTMLDocument.attribute("data-" + key.name, key.value) }
        out += HTMLDocument.attribute("data-value", value)
        return out
    }

    /// The figure as an element `tag` (`td`, `span`), with extra classes.
    func element(_ tag: String, classes: String? = nil) -> String {
        let classAttribute = classes.map { HTMLDocument.attribute("class", $0) } ?? ""
        return "<\(tag)\(classAttribute)\(attributes)>\(HTMLDocument.escape(text))</\(tag)>"
    }
}
