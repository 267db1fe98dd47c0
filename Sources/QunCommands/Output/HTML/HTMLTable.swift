/// The small table under each chart: the same figures as the chart, for reading exact values,
/// for printing, and for machines (`HTMLFigure`).
struct HTMLTable {
    struct Column {
        var title: String
        /// Right-aligned, for numbers.
        var numeric: Bool

        init(_ title: String, numeric: Bool = false) {
            self.title = title
            self.numeric = numeric
        }
    }

    enum Cell {
        case text(String)
        /// A row heading (`<th scope="row">`).
        case heading(String)
        case figure(HTMLFigure)
        /// Spans several columns (a note in the footer).
        case wide(String, columns: Int)
    }

    var columns: [Column]
    var rows: [[Cell]] = []
    var footer: [[Cell]] = []
    var classes: String?
    /// Said to screen readers and printed above the table.
    var caption: String?

    init(columns: [Column], classes: String? = nil, caption: String? = nil) {
        self.columns = columns
        self.classes = classes
        self.caption = caption
    }

    mutating func add(_ row: [Cell]) { rows.append(row) }

    func render() -> String {
        var out = "<div class=\"table-wrap\"><table\(classes.map { HTMLDocument.attribute("class", $0) } ?? "")>"
        if let caption { out += "<caption class=\"summary\">\(HTMLDocument.escape(caption))</caption>" }
        out += "<thead><tr>"
        for column in columns {
            out += "<th scope=\"col\"\(column.numeric ? " class=\"num\"" : "")>\(HTMLDocument.escape(column.title))</th>"
        }
        out += "</tr></thead>\n<tbody>\n"
        for row in rows { out += line(row) }
        out += "</tbody>\n"
        if !footer.isEmpty {
            out += "<tfoot>\n"
            for row in footer { out += line(row) }
            out += "</tfoot>\n"
        }
        out += "</table></div>\n"
        return out
    }

    private func line(_ cells: [Cell]) -> String {
        var out = "<tr>"
        var column = 0
        for cell in cells {
            let numeric = column < columns.count && columns[column].numeric
            switch cell {
            case .text(let text):
                out += "<td\(numeric ? " class=\"num\"" : "")>\(HTMLDocument.escape(text))</td>"
                column += 1
            case .heading(let text):
                out += "<th scope=\"row\"\(numeric ? " class=\"num\"" : "")>\(HTMLDocument.escape(text))</th>"
                column += 1
            case .figure(let figure):
                out += figure.element("td", classes: numeric ? "num" : nil)
                column += 1
            case .wide(let text, let span):
                out += "<td colspan=\"\(span)\">\(HTMLDocument.escape(text))</td>"
                column += span
            }
        }
        return out + "</tr>\n"
    }
}
