/// Bars from a label column to the right, one group of bars per row: for ranked lists and
/// named things (members, events, pyramid levels), whose Chinese names need the width that a
/// label under a column would not have.
struct HorizontalBarChart {
    struct Row {
        var label: String
        /// One per series; nil draws no bar (an event without a target).
        var values: [Double?]
        /// Printed after each bar.
        var valueLabels: [String]
        /// A guide drawn across the row (the pyramid's guide share).
        var marker: Double?
        /// A shaded zone behind the bars (the pyramid's tolerance around the guide).
        var band: ClosedRange<Double>?
        /// Printed at the right edge (an event's fill rate).
        var note: String?

        init(label: String, values: [Double?], valueLabels: [String], marker: Double? = nil,
             band: ClosedRange<Double>? = nil, note: String? = nil) {
            self.label = label
            self.values = values
            self.valueLabels = valueLabels
            self.marker = marker
            self.band = band
            self.note = note
        }
    }

    var name: String
    var title: String
    var series: [SVGSeries]
    var rows: [Row]
    /// The value at the right end of the bars; default: a round number above every value.
    var maximum: Double?
    /// The axis' tick labels.
    var tickLabel: (Double) -> String = SVGScale.label
    /// Legend entries for the marker and the band, when rows have them.
    var markerName: String?
    var bandName: String?

    private static let width = 960.0
    private static let barHeight = 16.0
    private static let barGap = 2.0
    private static let rowGap = 12.0

    func svg() -> String {
        let values = rows.flatMap { row in row.values.compactMap { $0 } + [row.marker, row.band?.upperBound].compactMap { $0 } }
        let top = maximum ?? SVGScale.niceCeiling(values.max() ?? 0)
        let legend = series.count > 1 || markerName != nil || bandName != nil
        let labelWidth = min(280, max(80, (rows.map { SVGText.width($0.label, size: 12) }.max() ?? 0) + 12))
        let noteWidth = rows.contains { $0.note != nil } ? 100.0 : 0
        let valueWidth = 76.0
        let left = labelWidth + 8
        let barArea = Self.width - left - valueWidth - noteWidth
        let groupHeight = Double(series.count) * Self.barHeight + Double(max(0, series.count - 1)) * Self.barGap
        let plotTop = legend ? 30.0 : 8
        let plotHeight = Double(rows.count) * (groupHeight + Self.rowGap)
        var canvas = SVGCanvas(width: Self.width, height: plotTop + plotHeight + 24, name: name, title: title)
        func x(_ value: Double) -> Double { left + barArea * min(1, max(0, value / top)) }

        if legend {
            var entries = series
            if let markerName { entries.append(SVGSeries(name: markerName, colour: SVGPalette.grey, line: true)) }
            if let bandName { entries.append(SVGSeries(name: bandName, colour: SVGPalette.band)) }
            canvas.legend(entries, x: left, y: 16)
        }
        for tick in SVGScale.ticks(top: top) {
            canvas.line(x1: x(tick), y1: plotTop, x2: x(tick), y2: plotTop + plotHeight, className: "grid")
            canvas.text(tickLabel(tick), x: x(tick), y: plotTop + plotHeight + 16, anchor: .middle, className: "tick")
        }
        for (index, row) in rows.enumerated() {
            let rowTop = plotTop + Double(index) * (groupHeight + Self.rowGap) + Self.rowGap / 2
            if let band = row.band {
                canvas.rect(x: x(band.lowerBound), y: rowTop - 3, width: x(band.upperBound) - x(band.lowerBound),
                            height: groupHeight + 6, fill: SVGPalette.band)
            }
            canvas.text(SVGText.fit(row.label, width: labelWidth - 12, size: 12), x: labelWidth, y: rowTop + groupHeight / 2 + 4,
                        anchor: .end)
            for (position, item) in series.enumerated() {
                let y = rowTop + Double(position) * (Self.barHeight + Self.barGap)
                let label = position < row.valueLabels.count ? row.valueLabels[position] : ""
                guard position < row.values.count, let value = row.values[position] else {
                    canvas.text(label, x: left + 4, y: y + Self.barHeight - 4, className: "value tick")
                    continue
                }
                let tooltip = "\(row.label) · \(item.name): \(label)"
                canvas.rect(x: left, y: y, width: x(value) - left, height: Self.barHeight, fill: item.colour, tooltip: tooltip,
                            extra: item.pattern ? " fill-opacity=\"0.35\" stroke=\"\(item.colour)\"" : "")
                // After the guide and its band when the bar stops short of them, so that the
                // label never sits on the guide line.
                let labelX = max(x(value), row.marker.map { x($0) } ?? 0, row.band.map { x($0.upperBound) } ?? 0)
                canvas.text(label, x: labelX + 4, y: y + Self.barHeight - 4, className: "value")
            }
            if let marker = row.marker {
                canvas.line(x1: x(marker), y1: rowTop - 4, x2: x(marker), y2: rowTop + groupHeight + 4, className: "marker")
            }
            if let note = row.note {
                canvas.text(note, x: Self.width - 4, y: rowTop + groupHeight / 2 + 4, anchor: .end, className: "label")
            }
        }
        canvas.line(x1: left, y1: plotTop, x2: left, y2: plotTop + plotHeight, className: "axis")
        return canvas.render()
    }
}
