/// How a row problem shows the cell it is about. A cell may hold a phone number or a WeChat
/// id, and problems end up on screens and in bug reports: a short value (a misspelt role,
/// a status word) is shown whole, a longer one only by its first two characters — enough
/// to find the cell in a spreadsheet, not enough to give away what it holds.
enum ImportCell {
    static let shownWhole = 4
    static let shownPrefix = 2

    /// The cell's value as a problem may quote it, without the quotes.
    static func shown(_ text: String) -> String {
        text.count > shownWhole ? String(text.prefix(shownPrefix)) + "…" : text
    }

    /// The cell's value in single quotes.
    static func quoted(_ text: String) -> String {
        "'\(shown(text))'"
    }
}
