import Foundation
import QunSync

/// One updating line on stderr while a large sync runs (`wang: receiving 1200/5000 changes
/// (24%)`), redrawn at most ten times a second. Nothing at all when stderr is not a terminal
/// (piped, redirected, in a script): the summary says it all.
final class ProgressLine: @unchecked Sendable {
    /// Phases with fewer changes than this finish too fast to be worth a line.
    let threshold: Int
    private let enabled: Bool
    private let lock = NSLock()
    private var lastDraw: UInt64 = 0
    private var visible = false

    init(threshold: Int = 1_000) {
        self.threshold = threshold
        enabled = isatty(STDERR_FILENO) != 0 && ProcessInfo.processInfo.environment["TERM"] != "dumb"
    }

    func update(_ progress: SyncProgress) {
        guard enabled, progress.total >= threshold else { return }
        lock.lock()
        defer { lock.unlock() }
        let now = DispatchTime.now().uptimeNanoseconds
        guard progress.done >= progress.total || now &- lastDraw >= 100_000_000 else { return }
        lastDraw = now
        let percent = min(100, progress.done * 100 / max(progress.total, 1))
        let verb = progress.phase == .receiving ? "receiving" : "sending"
        write("\r\u{1B}[K\(progress.peer): \(verb) \(progress.done)/\(progress.total) changes (\(percent)%)")
        visible = true
    }

    /// Shows what a long step is doing (bundle files: one transaction, no counts to update).
    func phase(_ text: String) {
        guard enabled else { return }
        lock.lock()
        defer { lock.unlock() }
        write("\r\u{1B}[K\(text)…")
        visible = true
    }

    /// Removes the line, before the summary or an error is printed.
    func clear() {
        lock.lock()
        defer { lock.unlock() }
        guard visible else { return }
        write("\r\u{1B}[K")
        visible = false
    }

    private func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}
