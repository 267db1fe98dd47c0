/// The page around the report sections: the head, the style sheet, the escaping every piece
/// of text goes through.
///
/// The page is sent as one file to a team lead who opens it on a phone, a laptop without a
/// network or a printer, so it carries everything it needs: no script, no external style
/// sheet, font or image. Charts are inline SVG, styled by the same sheet.
enum HTMLDocument {
    /// Escapes text for element content and for attribute values in double or single quotes.
    ///
    /// Member names and event titles are whatever an operator typed or a chat export held:
    /// `<script>`, `&` and quotes must reach the reader as text. Control characters other than
    /// tab and newlines are not allowed in HTML text and become U+FFFD, so that a stray byte
    /// from an export cannot make the page invalid.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            case let s where s.value < 0x20 || (0x7F...0x9F).contains(s.value):
                out += "\u{FFFD}"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// ` name="value"`, escaped; the leading space lets attributes be concatenated.
    static func attribute(_ name: String, _ value: String) -> String {
        " \(name)=\"\(escape(value))\""
    }

    /// The whole page: `title` in the tab and the heading, `subtitle` under it, `body` the
    /// sections (already HTML).
    static func page(title: String, subtitle: String, navigation: [(id: String, label: String)], body: String) -> String {
        var out = """
            <!DOCTYPE html>
            <html lang="zh-CN">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="generator" content="qun">
            <title>\(escape(title))</title>
            <style>
            \(styleSheet)
            </style>
            </head>
            <body>
            <header>
            <h1>\(escape(title))</h1>
            <p class="subtitle">\(escape(subtitle))</p>

            """
        if navigation.count > 1 {
            out += "<nav><ul>"
            for item in navigation {
                out += "<li><a href=\"#\(escape(item.id))\">\(escape(item.label))</a></li>"
            }
            out += "</ul></nav>\n"
        }
        out += "</header>\n<main>\n"
        out += body
        out += "</main>\n</body>\n</html>\n"
        return out
    }

    /// One sheet for screen and print. The font stack names the CJK faces of each platform
    /// before the generic family, because a browser's default sans-serif on Linux may have no
    /// Chinese at all (boxes instead of names). Print keeps the chart colours (they carry the
    /// meaning), keeps each chart on one page and repeats a long table's header on each page.
    static let styleSheet = """
        :root {
          --ink: #1d2430; --muted: #5b6573; --line: #d9dee5; --paper: #ffffff; --wash: #f5f7fa;
          --accent: #2f6fb3;
        }
        * { box-sizing: border-box; }
        html { -webkit-text-size-adjust: 100%; }
        body {
          margin: 0; padding: 24px 16px 48px; background: var(--wash); color: var(--ink);
          font-family: "Noto Sans CJK SC", "Noto Sans SC", "PingFang SC", "Hiragino Sans GB",
            "Microsoft YaHei", "Source Han Sans SC", system-ui, -apple-system, "Segoe UI", sans-serif;
          font-size: 15px; line-height: 1.5;
        }
        header, main { max-width: 1000px; margin: 0 auto; }
        h1 { font-size: 26px; margin: 0 0 4px; }
        .subtitle { color: var(--muted); margin: 0 0 16px; }
        nav ul { list-style: none; padding: 0; margin: 0 0 16px; display: flex; flex-wrap: wrap; gap: 6px 14px; }
        nav a { color: var(--accent); text-decoration: none; }
        section {
          background: var(--paper); border: 1px solid var(--line); border-radius: 8px;
          padding: 16px 20px 20px; margin: 0 0 20px;
        }
        h2 { font-size: 20px; margin: 0 0 4px; }
        h2 .zh { color: var(--muted); font-weight: normal; margin-left: 8px; }
        .summary { color: var(--muted); margin: 0 0 12px; }
        svg.chart { display: block; width: 100%; height: auto; margin: 8px 0 16px; }
        svg.chart text { font-family: inherit; fill: var(--ink); }
        svg.chart .axis { stroke: #9aa4b1; stroke-width: 1; }
        svg.chart .grid { stroke: #e6e9ee; stroke-width: 1; }
        svg.chart .marker { stroke: var(--ink); stroke-width: 2; stroke-dasharray: 4 3; }
        svg.chart .tick, svg.chart .legend-text { fill: var(--muted); font-size: 11px; }
        svg.chart .label { font-size: 12px; }
        svg.chart .value { font-size: 11px; }
        .empty {
          padding: 18px; margin: 8px 0 16px; text-align: center; color: var(--muted);
          background: var(--wash); border: 1px dashed var(--line); border-radius: 6px;
        }
        .table-wrap { overflow-x: auto; }
        table { border-collapse: collapse; width: 100%; font-size: 13px; font-variant-numeric: tabular-nums; }
        th, td { padding: 4px 8px; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; }
        th { font-weight: 600; }
        thead th { background: var(--wash); }
        td.num, th.num { text-align: right; white-space: nowrap; }
        tfoot td { font-weight: 600; }
        table.grid { font-size: 11px; }
        table.grid th, table.grid td { padding: 2px 4px; }
        .verdict-below { color: #b4441c; }
        .verdict-above { color: #7a5b00; }
        .verdict-within { color: #2b7a3d; }
        @media (max-width: 600px) {
          body { padding: 12px 8px 32px; font-size: 14px; }
          section { padding: 12px; }
        }
        @media print {
          @page { margin: 12mm; }
          body { background: #fff; padding: 0; font-size: 11pt; }
          header, main { max-width: none; }
          nav { display: none; }
          section { border: none; border-radius: 0; padding: 0; margin: 0 0 10mm; }
          svg.chart, .empty, tr { break-inside: avoid; page-break-inside: avoid; }
          thead { display: table-header-group; }
          h2 { break-after: avoid; page-break-after: avoid; }
          .table-wrap { overflow: visible; }
          * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
        }
        """
}
