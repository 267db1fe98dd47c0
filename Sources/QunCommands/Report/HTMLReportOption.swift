import ArgumentParser
import Foundation
import QunStore

/// `--html FILE` of the reports: the same figures as one self-contained page with a chart,
/// to send to the team lead as a file.
struct HTMLReportOption: ParsableArguments {
    @Option(name: .customLong("html"), help: ArgumentHelp("Also write the report as a self-contained HTML page with its chart.", valueName: "file"))
    var file: String?

    func write(_ section: HTMLSection, store: Store, reference: CalendarDay) throws {
        try write([section], store: store, reference: reference)
    }

    func write(_ sections: [HTMLSection], store: Store, reference: CalendarDay) throws {
        guard let file else { return }
        let report = HTMLReport(title: try Self.title(store), reference: reference, sections: sections)
        let url = URL(fileURLWithPath: file)
        do {
            try report.write(to: url)
        } catch {
            throw OutputFileError(path: url.path)
        }
        Console.note("wrote \(file)")
    }

    /// The team's name when `qun team set group NAME` gave one, else the operator's.
    static func title(_ store: Store) throws -> String {
        if let group = try store.teamSettings()["group"], !group.isEmpty { return "\(group) · 社群数据报告" }
        return "\(try store.status().operatorName) · 社群数据报告"
    }
}
