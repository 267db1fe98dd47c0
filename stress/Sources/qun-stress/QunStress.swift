import ArgumentParser
import Foundation

/// The options of one run; `--seed` replays a run's sequence of operations.
struct StressOptions {
    var replicas: Int
    var ops: Int
    var seed: UInt64
    var quiet: Bool
    var verbose: Bool
}

@main
struct QunStress: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "qun-stress",
        abstract: "Random edits, syncs, bundles and kill -9 on a team of real qun replicas; then checks that they converge and lost nothing.",
        discussion: """
            Exit code 0 when every replica exports byte-identical JSON after a final sync round, \
            every store passes PRAGMA integrity_check and every acknowledged write (a qun command \
            that exited 0) is in the final history; 1 otherwise. The seed is printed at the start \
            and on failure: rerun with --seed to replay the same operations.
            """)

    @Option(help: "Replicas (laptops) in the team, each a real store directory.")
    var replicas = 4

    @Option(help: "Random operations before the final sync round.")
    var ops = 2000

    @Option(help: "Seed of the random walk (default: the clock).")
    var seed: UInt64?

    @Option(help: "The qun binary (default: the one next to this program).")
    var qun: String?

    @Option(help: "Directory for the stores (default: a new temporary one, removed after a passing run).")
    var work: String?

    @Flag(help: "Keep the work directory even when the run passes.")
    var keep = false

    @Flag(help: "Print the summary as JSON on stdout.")
    var json = false

    @Flag(help: "No progress on stderr.")
    var quiet = false

    @Flag(help: "Also print every refused command on stderr.")
    var verbose = false

    func validate() throws {
        guard (2...8).contains(replicas) else { throw ValidationError("--replicas must be between 2 and 8") }
        guard ops >= 0 else { throw ValidationError("--ops must not be negative") }
    }

    func run() throws {
        let seed = self.seed ?? UInt64(Date().timeIntervalSince1970 * 1000)
        let binary = URL(fileURLWithPath: qun ?? URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
            .deletingLastPathComponent().appendingPathComponent("qun").path)
        guard FileManager.default.isExecutableFile(atPath: binary.path) else {
            throw ValidationError("no qun binary at \(binary.path): build it (`swift build`) or pass --qun PATH")
        }
        let replay = "qun-stress --replicas \(replicas) --ops \(ops) --seed \(seed)"
        FileHandle.standardError.write(Data("qun-stress: seed \(seed) (replay: \(replay))\n".utf8))

        let workDirectory = work.map { URL(fileURLWithPath: $0) }
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("qun-stress-\(seed)-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: workDirectory.appendingPathComponent("bundles"), withIntermediateDirectories: true)
        let runner = try QunRunner(binary: binary, home: workDirectory.appendingPathComponent("home"))
        let options = StressOptions(replicas: replicas, ops: ops, seed: seed, quiet: quiet, verbose: verbose)
        let simulation = Simulation(options: options, runner: runner, workDirectory: workDirectory)

        let started = Date()
        var findings = FinalFindings()
        do {
            try simulation.setUp()
            try simulation.run()
            findings = try simulation.finalRound()
        } catch {
            simulation.fail("\(error)")
        }
        for replica in simulation.replicas where replica.server != nil { replica.server?.killHard() }
        let duration = Date().timeIntervalSince(started)

        let summary = StressSummary(
            seed: seed, options: options, duration: duration, counters: simulation.counters,
            acknowledged: simulation.ledger.writes.count, tasks: simulation.tasksAvailable, events: simulation.eventsAvailable,
            findings: findings, failures: simulation.failures)
        if json {
            print(summary.json)
        } else {
            print(summary.text)
        }
        if summary.passed {
            if !keep && work == nil { try? FileManager.default.removeItem(at: workDirectory) }
        } else {
            FileHandle.standardError.write(Data("qun-stress: FAILED with seed \(seed) (replay: \(replay)); stores kept in \(workDirectory.path)\n".utf8))
            throw ExitCode(1)
        }
    }
}
