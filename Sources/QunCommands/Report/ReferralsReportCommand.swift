import ArgumentParser
import QunStore

struct ReferralsReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "referrals",
        abstract: "Who brought whom (裂变): referrals per member and chain depth.",
        discussion: """
            Depth 1 is a member referred by someone nobody referred; depth 2 one referred by a \
            depth-1 member, and so on. Chains deeper than two levels are listed as warnings, \
            with the whole chain: that is where an entry gate usually leaks.
            """)

    @OptionGroup var globals: GlobalOptions
    @OptionGroup var output: JSONOption

    func run() throws {
        let report = try globals.openStore().referralReport()
        if output.json {
            Console.printJSON(ReportJSON.referrals(report))
            return
        }
        var referrers = TextTable(columns: [
            .init(title: "REFERRER", maxWidth: 24), .init(title: "NO."), .init(title: "DIRECT", alignRight: true),
        ])
        for referrer in report.referrers {
            referrers.addRow([
                referrer.member.name + (referrer.member.deleted ? " (deleted)" : ""), referrer.member.number ?? "",
                String(referrer.direct),
            ])
        }
        Console.print(referrers.render(maxWidth: Console.terminalWidth), terminator: "")
        Console.print("")
        var members = TextTable(columns: [
            .init(title: "MEMBER", maxWidth: 24), .init(title: "NO."), .init(title: "REFERRER", maxWidth: 24),
            .init(title: "DEPTH", alignRight: true),
        ])
        for item in report.referred {
            members.addRow([
                item.member.name, item.member.number ?? "",
                item.member.referrer.flatMap { report.names[$0] } ?? "", String(item.depth),
            ])
        }
        Console.print(members.render(maxWidth: Console.terminalWidth), terminator: "")
        Console.print("\(report.referred.count) referred member\(report.referred.count == 1 ? "" : "s") by \(report.referrers.count) referrer\(report.referrers.count == 1 ? "" : "s")")
        let warnings = report.warnings
        if !warnings.isEmpty {
            Console.print("")
            Console.print("chains deeper than \(ReferralReport.warningDepth) levels:")
            for item in warnings {
                let chain = item.chain.map { report.names[$0] ?? String($0.prefix(8)) }.joined(separator: " → ")
                Console.print("  warning: \(item.member.name) is \(item.depth) levels down: \(chain)")
            }
        }
    }
}
