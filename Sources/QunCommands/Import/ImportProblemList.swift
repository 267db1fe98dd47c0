import Foundation
import QunStore

/// Bad rows on stderr, one `line N: reason` each. They are errors, not notes: `--quiet`
/// does not drop them. A file of thousands of bad rows (a wrong delimiter, a column shifted)
/// shows the first fifty; `--json` has all of them.
enum ImportProblemList {
    static let shown = 50

    static func write<Problem: CustomStringConvertible>(_ problems: [Problem], noun: String = "rows") {
        guard !problems.isEmpty else { return }
        var text = ""
        for problem in problems.prefix(shown) { text += "qun: \(problem)\n" }
        if problems.count > shown { text += "qun: … and \(problems.count - shown) more bad \(noun) (--json lists all of them)\n" }
        FileHandle.standardError.write(Data(text.utf8))
    }
}
