/// What every chart shares: an SVG surface in its own coordinates (`viewBox`) that the page's
/// style sheet scales to the width of the page, a `<title>` for screen readers and tooltips,
/// and the `data-chart` name that tells a program which report it draws.
///
/// Charts are built as text, element by element, rather than through a drawing library: the
/// page has to be one self-contained file, and the output stays byte-for-byte the same for the
/// same report (two laptops, one page).
struct SVGCanvas {
    var width: Double
    var height: Double
    /// `data-chart`: `pyramid`, `leaderboard`, ….
    var name: String
    var title: String
    private var elements: [String] = []

    init(width: Double, height: Double, name: String, title: String) {
        self.width = width
        self.height = height
        self.name = name
        self.title = title
    }

    enum Anchor: String {
        case start, middle, end
    }

    /// A rectangle with an optional tooltip (`<title>` inside it, which browsers show on hover
    /// and screen readers read).
    mutating func rect(x: Double, y: Double, width: Double, height: Double, fill: String,
                       tooltip: String? = nil, extra: String = "") {
        let geometry = "x=\"\(SVGCanvas.number(x))\" y=\"\(SVGCanvas.number(y))\" width=\"\(SVGCanvas.number(max(0, width)))\" height=\"\(SVGCanvas.number(max(0, height)))\""
        let open = "<rect \(geometry) fill=\"\(fill)\"\(extra)"
        if let tooltip {
            elements.append(open + "><title>\(HTMLDocument.escape(tooltip))</title></rect>")
        } else {
            elements.append(open + "/>")
        }
    }

    mutating func text(_ text: String, x: Double, y: Double, anchor: Anchor = .start, className: String = "label",
                       extra: String = "") {
        elements.append("<text x=\"\(SVGCanvas.number(x))\" y=\"\(SVGCanvas.number(y))\" text-anchor=\"\(anchor.rawValue)\" class=\"\(className)\"\(extra)>\(HTMLDocument.escape(text))</text>")
    }

    mutating func line(x1: Double, y1: Double, x2: Double, y2: Double, className: String, extra: String = "") {
        elements.append("<line x1=\"\(SVGCanvas.number(x1))\" y1=\"\(SVGCanvas.number(y1))\" x2=\"\(SVGCanvas.number(x2))\" y2=\"\(SVGCanvas.number(y2))\" class=\"\(className)\"\(extra)/>")
    }

    /// Swatches and names of the series, in a row from (`x`, `y`).
    mutating func legend(_ series: [SVGSeries], x: Double, y: Double) {
        var left = x
        for item in series {
            if item.line {
                line(x1: left + 5, y1: y - 10, x2: left + 5, y2: y + 1, className: "marker")
            } else {
                rect(x: left, y: y - 9, width: 10, height: 10, fill: item.colour, extra: item.pattern ? " fill-opacity=\"0.35\" stroke=\"\(item.colour)\"" : "")
            }
            text(item.name, x: left + 14, y: y, className: "legend-text")
            left += 14 + SVGText.width(item.name, size: 11) + 16
        }
    }

    func render() -> String {
        let id = "chart-\(name)-title"
        // No `xmlns`: inline SVG in HTML needs none, and the page names no URL at all.
        var out = "<svg class=\"chart\" data-chart=\"\(HTMLDocument.escape(name))\""
        out += " viewBox=\"0 0 \(SVGCanvas.number(width)) \(SVGCanvas.number(height))\" role=\"img\" aria-labelledby=\"\(id)\">"
        out += "<title id=\"\(id)\">\(HTMLDocument.escape(title))</title>\n"
        for element in elements { out += element + "\n" }
        return out + "</svg>\n"
    }

    /// A coordinate with at most one decimal: enough for a screen, and stable text (no
    /// `1e-05`, no 17-digit tails).
    static func number(_ value: Double) -> String {
        guard value.isFinite else { return "0" }
        let tenths = Int((value * 10).rounded())
        let sign = tenths < 0 ? "-" : ""
        let magnitude = abs(tenths)
        return magnitude % 10 == 0 ? "\(sign)\(magnitude / 10)" : "\(sign)\(magnitude / 10).\(magnitude % 10)"
    }
}

/// A named, coloured series of a chart (sign-ups, attendance, …).
struct SVGSeries {
    var name: String
    var colour: String
    /// Drawn as an outline with a light fill: a target or a guide rather than a count.
    var pattern: Bool = false
    /// Drawn as a dashed line (a guide across the bars), in the legend too.
    var line: Bool = false
}

/// Chart colours: distinguishable for the common colour blindnesses and in grey print.
enum SVGPalette {
    static let blue = "#2f6fb3"
    static let green = "#3a9a5b"
    static let orange = "#e08a2c"
    static let red = "#c4483b"
    static let grey = "#8c96a3"
    static let purple = "#7b5ea7"
    /// Behind bars: a zone, not a figure.
    static let band = "#dcefe1"
}

/// Text sizes without a font engine: an estimate good enough to keep labels inside the
/// chart. A CJK character is about one em wide, a Latin letter about half (the same
/// double-width rule as the terminal tables).
enum SVGText {
    static func width(_ text: String, size: Double) -> Double {
        Double(displayWidth(text)) * size * 0.56
    }

    /// `text` cut with "…" to fit `width` at `size`.
    static func fit(_ text: String, width: Double, size: Double) -> String {
        truncate(text, toWidth: max(1, Int(width / (size * 0.56))))
    }
}

/// The top of a value axis: a round number (1, 2 or 5 times a power of ten) at or above the
/// largest value, so that grid lines fall on numbers people read at a glance.
enum SVGScale {
    static func niceCeiling(_ value: Double) -> Double {
        guard value > 0, value.isFinite else { return 1 }
        var step = 1.0
        while step * 10 <= value { step *= 10 }
        while step > value { step /= 10 }
        for factor in [1.0, 2, 5, 10] where step * factor >= value { return step * factor }
        return step * 10
    }

    /// Tick values from 0 to `top` inclusive, four or five of them.
    static func ticks(top: Double) -> [Double] {
        let step = niceCeiling(top / 5)
        var ticks: [Double] = []
        var tick = 0.0
        while tick <= top + step * 1e-9 {
            ticks.append(tick)
            tick += step
        }
        return ticks
    }

    /// A tick label: whole numbers without decimals.
    static func label(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : SVGCanvas.number(value)
    }
}
