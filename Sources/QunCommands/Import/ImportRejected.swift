import QunStore

/// An import that wrote nothing because of bad rows: the rows themselves were listed on
/// stderr already; this is the closing line and the non-zero exit.
struct ImportRejected: Error, CustomStringConvertible {
    var report: MemberImportReport

    var description: String {
        let bad = report.problems.count
        if report.good == 0 {
            return "none of the \(report.rows) rows can be imported; nothing was imported. Fix the rows listed above and import again"
        }
        let rows = "\(bad) of \(report.rows) rows \(bad == 1 ? "is" : "are") bad"
        let good = report.good == 1 ? "the one good row" : "the \(report.good) good rows"
        let hint = report.dryRun ? "fix them, or add --skip-bad to import only \(good)" : "fix them and import again, or add --skip-bad to import \(good)"
        return "\(rows); nothing was imported: \(hint)"
    }
}
