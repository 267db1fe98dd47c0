// Plain-text tables for terminal output, aligned by display width so Chinese text lines up.
//
//     名字    城市    人数
//     ------  ------  ----
//     张三    杭州市    12
//     Lin 林  上海       3
//
// Columns are separated by two spaces, the header is underlined with "-", trailing spaces are
// trimmed from every line and the output ends with "\n".

public struct TextTable: Sendable, Equatable {
    public struct Column: Sendable, Equatable {
        public var title: String
        /// Right-align the header and cells (numbers). Right-aligned columns are never shrunk
        /// to fit a terminal width.
        public var alignRight: Bool
        /// Cells (and the title) wider than this many terminal columns are cut with "…".
        public var maxWidth: Int?

        public init(title: String, alignRight: Bool = false, maxWidth: Int? = nil) {
            self.title = title
            self.alignRight = alignRight
            self.maxWidth = maxWidth
        }
    }

    /// Columns never shrink below this width when fitting the table to a terminal.
    public static let minimumShrunkWidth = 6

    public private(set) var columns: [Column]
    public private(set) var rows: [[String]] = []

    public init(columns: [Column]) {
        self.columns = columns
    }

    /// Appends a row. Missing trailing cells are rendered empty; cells beyond the number of
    /// columns are ignored.
    public mutating func addRow(_ cells: [String]) {
        rows.append(cells)
    }

    /// Renders the table. When `maxWidth` (the terminal width) is given and the table is wider,
    /// the widest non-numeric columns are narrowed (never below `minimumShrunkWidth`, and never a
    /// column that is right-aligned or holds only numbers) until it fits or nothing more can
    /// shrink. A table without rows still renders its header; a table without columns renders "".
    public func render(maxWidth: Int? = nil) -> String {
        guard !columns.isEmpty else { return "" }
        let count = columns.count

        let titles = columns.map { Self.flatten($0.title) }
        let body: [[String]] = rows.map { row in
            (0..<count).map { $0 < row.count ? Self.flatten(row[$0]) : "" }
        }

        // Natural widths, capped by each column's own maxWidth.
        var widths = (0..<count).map { index -> Int in
            var w = displayWidth(titles[index])
            for row in body { w = max(w, displayWidth(row[index])) }
            if let cap = columns[index].maxWidth { w = min(w, max(cap, 1)) }
            return max(w, 1)
        }

        if let limit = maxWidth {
            let shrinkable = (0..<count).map { index in
                !columns[index].alignRight && !Self.isNumericColumn(body.map { $0[index] })
            }
            var total = widths.reduce(0, +) + 2 * (count - 1)
            while total > limit {
                // Narrow the widest shrinkable column by one; ties go to the leftmost, and
                // repeating this levels the widest columns down together.
                var widest: Int?
                for index in 0..<count where shrinkable[index] && widths[index] > Self.minimumShrunkWidth {
                    if widest == nil || widths[index] > widths[widest!] { widest = index }
                }
                guard let index = widest else { break }
                widths[index] -= 1
                total -= 1
            }
        }

        var lines: [String] = []
        lines.append(Style.bold(line(titles, widths: widths)))
        lines.append(Self.trimTrailingSpaces(
            widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")))
        for row in body {
            lines.append(line(row, widths: widths))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private func line(_ cells: [String], widths: [Int]) -> String {
        var parts: [String] = []
        parts.reserveCapacity(cells.count)
        for (index, cell) in cells.enumerated() {
            let cut = truncate(cell, toWidth: widths[index])
            parts.append(pad(cut, toWidth: widths[index], alignRight: columns[index].alignRight))
        }
        return Self.trimTrailingSpaces(parts.joined(separator: "  "))
    }

    /// Replaces every newline, tab, other control character and line/paragraph separator with
    /// a single space so that a cell stays on one line.
    static func flatten(_ s: String) -> String {
        guard s.unicodeScalars.contains(where: isLineBreaking) else { return s }
        var result = ""
        for character in s {
            if character.unicodeScalars.contains(where: isLineBreaking) {
                result.append(" ")
            } else {
                result.append(character)
            }
        }
        return result
    }

    private static func isLineBreaking(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .control, .lineSeparator, .paragraphSeparator: return true
        default: return false
        }
    }

    private static func trimTrailingSpaces(_ s: String) -> String {
        var end = s.endIndex
        while end > s.startIndex {
            let before = s.index(before: end)
            guard s[before] == " " else { break }
            end = before
        }
        return String(s[..<end])
    }

    /// A column is numeric when it has at least one non-empty cell and every non-empty cell is a
    /// number such as "12", "-3.5", "1,024" or "45%".
    static func isNumericColumn(_ cells: [String]) -> Bool {
        var sawNumber = false
        for cell in cells {
            let trimmed = cell.trimmingSpaces()
            if trimmed.isEmpty { continue }
            guard isNumber(trimmed) else { return false }
            sawNumber = true
        }
        return sawNumber
    }

    private static func isNumber(_ s: Substring) -> Bool {
        var digits = 0
        for (offset, character) in s.enumerated() {
            switch character {
            case "0"..."9": digits += 1
            case "+", "-": if offset != 0 { return false }
            case ".", ",": continue
            case "%": if offset != s.count - 1 { return false }
            default: return false
            }
        }
        return digits > 0
    }
}

private extension String {
    func trimmingSpaces() -> Substring {
        var slice = self[...]
        while slice.first == " " { slice = slice.dropFirst() }
        while slice.last == " " { slice = slice.dropLast() }
        return slice
    }
}
