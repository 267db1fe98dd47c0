/// A grid of counts shaded from light (0) to dark (the largest): for the week-by-hour rhythm
/// of a group, where the pattern matters more than any one number. Each cell carries its
/// count as a tooltip; the table under the chart has every number.
struct HeatMapChart {
    var name: String
    var title: String
    var rowLabels: [String]
    var columnLabels: [String]
    /// `counts[row][column]`.
    var counts: [[Int]]
    /// The tooltip of each cell, `tooltips[row][column]`.
    var tooltips: [[String]]
    /// What is counted, after the largest count in the scale (`messages`).
    var unit: String

    private static let width = 960.0

    /// The fill of a cell: an empty slot is the lightest wash, the busiest the darkest blue,
    /// and any message at all is visibly darker than none.
    static func shade(_ count: Int, maximum: Int) -> String {
        let light = (r: 0xF1, g: 0xF4, b: 0xF8), dark = (r: 0x17, g: 0x4A, b: 0x8B)
        guard count > 0, maximum > 0 else { return hex(light) }
        let t = 0.18 + 0.82 * min(1, Double(count) / Double(maximum))
        func mix(_ a: Int, _ b: Int) -> Int { Int((Double(a) + (Double(b) - Double(a)) * t).rounded()) }
        return hex((mix(light.r, dark.r), mix(light.g, dark.g), mix(light.b, dark.b)))
    }

    private static func hex(_ colour: (r: Int, g: Int, b: Int)) -> String {
        func two(_ value: Int) -> String {
            let text = String(value, radix: 16)
            return text.count < 2 ? "0" + text : text
        }
        return "#" + two(colour.r) + two(colour.g) + two(colour.b)
    }

    func svg() -> String {
        let left = 48.0, plotTop = 24.0, legendHeight = 40.0
        let columns = max(1, columnLabels.count)
        let cell = (Self.width - left - 8) / Double(columns)
        let cellHeight = min(cell, 30)
        let height = plotTop + Double(rowLabels.count) * cellHeight + legendHeight
        let maximum = counts.flatMap { $0 }.max() ?? 0
        var canvas = SVGCanvas(width: Self.width, height: height, name: name, title: title)

        for (column, label) in columnLabels.enumerated() {
            canvas.text(label, x: left + (Double(column) + 0.5) * cell, y: plotTop - 8, anchor: .middle, className: "tick")
        }
        for (row, label) in rowLabels.enumerated() {
            let y = plotTop + Double(row) * cellHeight
            canvas.text(label, x: left - 8, y: y + cellHeight / 2 + 4, anchor: .end)
            for column in 0..<columns {
                let count = row < counts.count && column < counts[row].count ? counts[row][column] : 0
                let tooltip = row < tooltips.count && column < tooltips[row].count ? tooltips[row][column] : String(count)
                canvas.rect(x: left + Double(column) * cell + 1, y: y + 1, width: cell - 2, height: cellHeight - 2,
                            fill: Self.shade(count, maximum: maximum), tooltip: tooltip,
                            extra: " data-count=\"\(count)\"")
            }
        }
        // The scale: five swatches from none to the busiest.
        let legendTop = plotTop + Double(rowLabels.count) * cellHeight + 14
        canvas.text("0", x: left, y: legendTop + 11, anchor: .end, className: "tick")
        let steps = [0, 1, 2, 3, 4].map { maximum * $0 / 4 }
        for (index, value) in steps.enumerated() {
            canvas.rect(x: left + 6 + Double(index) * 22, y: legendTop, width: 20, height: 14,
                        fill: Self.shade(index == 0 ? 0 : max(1, value), maximum: maximum))
        }
        canvas.text("\(maximum) \(unit)", x: left + 6 + 5 * 22 + 4, y: legendTop + 11, className: "tick")
        return canvas.render()
    }
}
