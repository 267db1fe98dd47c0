/// Columns over time, one group per period (a month, a week), one column per series: for
/// comparing joined against left and quiet period by period.
struct ColumnChart {
    var name: String
    var title: String
    var series: [SVGSeries]
    /// The label under each group (`2024-03`, `03-04`).
    var categories: [String]
    /// `values[category][series]`.
    var values: [[Int]]
    /// Said in each column's tooltip before the figure (`2024-03`, `week of 2024-03-04`).
    var tooltips: [String]

    private static let width = 960.0
    private static let height = 320.0

    func svg() -> String {
        let left = 44.0, right = 8.0, plotTop = 34.0, bottom = 36.0
        let plotHeight = Self.height - plotTop - bottom
        let plotWidth = Self.width - left - right
        let top = SVGScale.niceCeiling(Double(values.flatMap { $0 }.max() ?? 0))
        var canvas = SVGCanvas(width: Self.width, height: Self.height, name: name, title: title)
        func y(_ value: Double) -> Double { plotTop + plotHeight * (1 - min(1, max(0, value / top))) }

        canvas.legend(series, x: left, y: 16)
        for tick in SVGScale.ticks(top: top) {
            canvas.line(x1: left, y1: y(tick), x2: Self.width - right, y2: y(tick), className: "grid")
            canvas.text(SVGScale.label(tick), x: left - 6, y: y(tick) + 4, anchor: .end, className: "tick")
        }
        let groups = max(1, categories.count)
        let groupWidth = plotWidth / Double(groups)
        let columnWidth = min(36, groupWidth * 0.8 / Double(max(1, series.count)))
        // Labels thin out when periods are many, so that they never overlap.
        let labelEvery = max(1, Int((56 / groupWidth).rounded(.up)))
        let valueSize = 11.0
        let showValues = columnWidth >= SVGText.width("000", size: valueSize) * 0.8
        for (index, category) in categories.enumerated() {
            let groupLeft = left + Double(index) * groupWidth
            let first = groupLeft + (groupWidth - columnWidth * Double(series.count)) / 2
            for (position, item) in series.enumerated() {
                let value = index < values.count && position < values[index].count ? values[index][position] : 0
                let x = first + Double(position) * columnWidth
                let tooltip = "\(index < tooltips.count ? tooltips[index] : category) · \(item.name): \(value)"
                canvas.rect(x: x + 1, y: y(Double(value)), width: columnWidth - 2, height: plotTop + plotHeight - y(Double(value)),
                            fill: item.colour, tooltip: tooltip)
                if showValues {
                    canvas.text(String(value), x: x + columnWidth / 2, y: y(Double(value)) - 3, anchor: .middle, className: "value")
                }
            }
            if index % labelEvery == 0 {
                canvas.text(category, x: groupLeft + groupWidth / 2, y: plotTop + plotHeight + 18, anchor: .middle, className: "tick")
            }
        }
        canvas.line(x1: left, y1: plotTop + plotHeight, x2: Self.width - right, y2: plotTop + plotHeight, className: "axis")
        return canvas.render()
    }
}
