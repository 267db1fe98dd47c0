import Foundation

/// Runs `body` `runs` times and returns the median wall time in seconds.
func median(runs: Int, _ body: () throws -> Void) rethrows -> Double {
    var times: [Double] = []
    for _ in 0..<runs {
        let start = DispatchTime.now().uptimeNanoseconds
        try body()
        times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    }
    times.sort()
    return times[times.count / 2]
}

/// Peak resident set size of this process so far, in MiB (Linux `VmHWM`).
func peakRSSMiB() -> Double {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
    for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
        let kb = line.split(separator: " ").compactMap { Double($0) }.first ?? 0
        return kb / 1024
    }
    return 0
}

func temporaryDirectory(_ name: String) -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("qun-bench-\(name)-\(UUID().uuidString)")
    try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

func format(_ seconds: Double) -> String { String(format: "%.3f s", seconds) }
func rate(_ count: Int, _ seconds: Double) -> String { String(format: "%.0f/s", Double(count) / seconds) }

/// Runs `qun-bench ARGUMENTS` `runs` times, each a fresh child process that times its own
/// work and prints `seconds peak-MiB count`; returns the median time, the largest peak and
/// the count. A fresh process per run makes the peak that of one run and nothing else.
func measureInChildren(_ arguments: [String], runs: Int) throws -> (seconds: Double, peakMiB: Double, count: Int) {
    var times: [Double] = []
    var peak = 0.0
    var count = 0
    for _ in 0..<runs {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL
        if !FileManager.default.isExecutableFile(atPath: process.executableURL!.path) {
            process.executableURL = Bundle.main.executableURL
        }
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let parts = output.split(separator: " ").map { String($0).trimmingCharacters(in: .whitespacesAndNewlines) }
        guard process.terminationStatus == 0, parts.count == 3,
              let seconds = Double(parts[0]), let mib = Double(parts[1]), let made = Int(parts[2]) else {
            throw BenchError("\(arguments.joined(separator: " ")) failed: \(output)")
        }
        times.append(seconds)
        peak = max(peak, mib)
        count = made
    }
    times.sort()
    return (times[times.count / 2], peak, count)
}
