import Foundation
import QunStore

/// The progress line of a long import (`checking 42000/100000 rows (42%)`), on a terminal
/// only and only for files big enough to take a noticeable time.
final class ImportProgress {
    private let line = ProgressLine()
    private let threshold = 2_000
    private var lastDraw: UInt64 = 0

    /// Shown only for files of a megabyte or more (about ten thousand rows).
    func reading(_ path: String) {
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        if size >= 1_000_000 { line.phase("reading \(path)") }
    }

    func update(_ progress: MemberImportProgress) {
        guard progress.total >= threshold else { return }
        let now = DispatchTime.now().uptimeNanoseconds
        guard progress.done >= progress.total || now &- lastDraw >= 100_000_000 else { return }
        lastDraw = now
        let percent = min(100, progress.done * 100 / max(progress.total, 1))
        let verb = progress.phase == .checking ? "checking" : "writing"
        let tail = progress.phase == .writing && progress.done >= progress.total ? " — committing" : ""
        line.phase("\(verb) \(progress.done)/\(progress.total) rows (\(percent)%)\(tail)")
    }

    func clear() {
        line.clear()
    }
}
