import Foundation
import QunTestSupport

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A team of real `qun` replicas under random edits, partial syncs, bundles carried in any
/// order, and kill -9 of writers, servers and clients.
///
/// The random choices come from one seeded generator, so a seed replays the same sequence of
/// operations and kill delays; the exact instant a kill lands still depends on the machine.
/// Refused commands are expected under faults and only counted; a crash, a hang, a lost
/// acknowledged write, diverging exports or a damaged database fail the run.
final class Simulation {
    let options: StressOptions
    let runner: QunRunner
    let workDirectory: URL
    var random: SplitMix64
    var replicas: [Replica] = []
    var ledger = Ledger()
    var counters = StressCounters()
    var failures: [String] = []
    var bundles: [(file: URL, from: Int)] = []
    var tasksAvailable = false
    var eventsAvailable = false
    /// The laptop that joins, writes, and is removed in the final round.
    var leaver: Replica?
    private var serial = 0

    init(options: StressOptions, runner: QunRunner, workDirectory: URL) {
        self.options = options
        self.runner = runner
        self.workDirectory = workDirectory
        random = SplitMix64(seed: options.seed)
    }

    static let operators = ["林", "王芳", "Anna", "欧阳", "陈", "Zoë", "李", "赵"]
    static let tags = ["读书会", "志愿者", "新人", "vip", "线下", "核心"]
    static let cities = ["杭州", "上海", "北京", "深圳", "成都", "Berlin"]
    static let roles = ["admin", "kol", "core", "member"]
    static let statuses = ["active", "quiet", "left"]

    private func nextSerial() -> Int {
        serial += 1
        return serial
    }

    func note(_ text: String) {
        if !options.quiet { FileHandle.standardError.write(Data("qun-stress: \(text)\n".utf8)) }
    }

    func fail(_ text: String) {
        failures.append(text)
        FileHandle.standardError.write(Data("qun-stress: FAILURE: \(text)\n".utf8))
    }

    /// Every process outcome passes through here: crashes are failures wherever they happen.
    func inspect(_ outcome: ProcessOutcome, _ what: String, killedByUs: Bool = false) {
        if outcome.crashed && !(killedByUs && outcome.signaled) {
            fail("\(what) crashed (status \(outcome.status), signal \(outcome.signaled)): \(outcome.stderr.suffix(800))")
        }
    }

    // MARK: - Setup

    func setUp() throws {
        for index in 0..<options.replicas {
            let name = Self.operators[index % Self.operators.count] + (index >= Self.operators.count ? "\(index)" : "")
            replicas.append(Replica(index: index, store: workDirectory.appendingPathComponent("replica-\(index)"), operatorName: name))
        }
        let first = replicas[0]
        // An open team, locked later by the removal (`removeALaptop`).
        try expect(["init", "--name", first.operatorName, "--open"], on: first, "init")
        // The first laptop serves, so that the others join from its snapshot with a
        // single-use invite (odd ones) or empty with the shared-secret invite (even ones):
        // both ways into a team are exercised.
        try startServer(first)
        for replica in replicas.dropFirst() {
            let shared = replica.index % 2 == 0
            let invite = try expect(["team", "invite", "--url", first.url!] + (shared ? ["--shared-secret"] : []), on: first, "team invite")
                .trimmingCharacters(in: .whitespacesAndNewlines)
            var arguments = ["init", "--name", replica.operatorName, "--join", invite]
            if shared { arguments.append("--no-snapshot") }
            try expect(arguments, on: replica, "init --join")
        }
        leaver = try joinTheLeaver()
        for replica in replicas {
            let status = try statusJSON(replica)
            replica.replicaID = status["replica"] as? String ?? ""
            guard replica.replicaID.count == 32 else { throw StressFailure("status --json of \(replica.name) has no replica id") }
        }
        let teams = Set(try replicas.map { try statusJSON($0)["team"] as? String ?? "" })
        guard teams.count == 1 else { throw StressFailure("the replicas did not join one team: \(teams)") }
        tasksAvailable = try subcommands(of: "task").isSuperset(of: ["add", "done"])
        eventsAvailable = try subcommands(of: "event").isSuperset(of: ["add", "signup"])
        note("tasks \(tasksAvailable ? "included" : "not in this build"), events \(eventsAvailable ? "included" : "not in this build")")
    }

    /// The verbs `qun NOUN --help` lists (other parts of qun grow while this suite exists).
    private func subcommands(of noun: String) throws -> Set<String> {
        let help = try runner.run([noun, "--help"], store: nil).stdout
        guard let section = help.range(of: "SUBCOMMANDS:") else { return [] }
        var verbs: Set<String> = []
        for line in help[section.upperBound...].split(separator: "\n") {
            guard line.hasPrefix("  "), !line.hasPrefix("   ") else { continue }
            if let word = line.split(separator: " ").first { verbs.insert(String(word)) }
        }
        return verbs
    }

    @discardableResult
    func expect(_ arguments: [String], on replica: Replica, _ what: String, timeout: TimeInterval = 90) throws -> String {
        let outcome = try runner.run(arguments, store: replica.store, timeout: timeout)
        inspect(outcome, "\(what) on \(replica.name)")
        guard outcome.succeeded else {
            throw StressFailure("\(what) on \(replica.name) failed (\(outcome.status)): \(outcome.stderr)")
        }
        return outcome.stdout
    }

    func statusJSON(_ replica: Replica) throws -> [String: Any] {
        let text = try expect(["status", "--json"], on: replica, "status")
        guard let object = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] else {
            throw StressFailure("status --json of \(replica.name) is not a JSON object")
        }
        return object
    }

    // MARK: - Servers

    func startServer(_ replica: Replica) throws {
        if replica.isServing { return }
        let child = try runner.start(["serve", "--listen", "127.0.0.1:0"], store: replica.store)
        let deadline = Date().addingTimeInterval(30)
        while true {
            let out = child.stdout
            if let newline = out.firstIndex(of: "\n") {
                let line = String(out[..<newline])
                guard let range = line.range(of: " on http://", options: .backwards) else {
                    child.killHard()
                    throw StressFailure("unexpected first line of qun serve: \(line)")
                }
                replica.url = String(line[line.index(range.lowerBound, offsetBy: 4)...])
                replica.server = child
                counters.serverStarts += 1
                return
            }
            if child.hasExited {
                let outcome = child.wait(timeout: 5)
                throw StressFailure("qun serve on \(replica.name) exited before printing its address: \(outcome?.stderr ?? "")")
            }
            if Date() > deadline {
                child.killHard()
                throw StressFailure("qun serve on \(replica.name) printed no address within 30 s")
            }
            usleep(10_000)
        }
    }

    func stopServer(_ replica: Replica, hard: Bool) {
        guard let server = replica.server else { return }
        replica.server = nil
        replica.url = nil
        if hard {
            if let outcome = server.killHard() { inspect(outcome, "qun serve on \(replica.name)", killedByUs: true) }
            counters.serverKills += 1
            return
        }
        server.send(SIGTERM)
        if let outcome = server.wait(timeout: 20) {
            inspect(outcome, "qun serve on \(replica.name)", killedByUs: true)
            if outcome.status != 0 || outcome.signaled {
                fail("qun serve on \(replica.name) did not stop cleanly on SIGTERM (status \(outcome.status)): \(outcome.stderr.suffix(400))")
            }
        } else {
            fail("qun serve on \(replica.name) did not stop within 20 s of SIGTERM")
            server.killHard()
        }
        counters.serverStops += 1
    }

    /// A server killed by someone else (or crashed) is noticed and forgotten.
    func reapServers() {
        for replica in replicas {
            if let server = replica.server, server.hasExited {
                if let outcome = server.wait(timeout: 5) { inspect(outcome, "qun serve on \(replica.name)", killedByUs: server.killedByUs) }
                if !server.killedByUs { fail("qun serve on \(replica.name) exited on its own") }
                replica.server = nil
                replica.url = nil
            }
        }
    }

    // MARK: - The random walk

    func run() throws {
        let started = Date()
        for step in 0..<options.ops {
            reapServers()
            let roll = random.below(100)
            switch roll {
            case 0..<58: try write()
            case 58..<70: try httpSync()
            case 70..<80: try carryBundle()
            case 80..<86: try importOldBundle()
            case 86..<92: try killWriter()
            default: try toggleServer()
            }
            if !options.quiet, (step + 1) % 100 == 0 {
                note("\(step + 1)/\(options.ops) operations, \(ledger.writes.count) acknowledged writes, \(String(format: "%.0f", Date().timeIntervalSince(started))) s")
            }
        }
    }

    /// One random write through the CLI, on a random replica.
    func write() throws {
        let replica = random.pick(replicas)
        guard let (arguments, expectation) = randomWrite(on: replica) else { return }
        counters.writesAttempted += 1
        let outcome = try runner.run(arguments, store: replica.store)
        inspect(outcome, "qun \(arguments.joined(separator: " ")) on \(replica.name)")
        if outcome.succeeded {
            acknowledge(expectation, outcome: outcome, on: replica, command: arguments)
        } else {
            counters.writesRefused += 1
            if options.verbose { note("refused: qun \(arguments.joined(separator: " ")) on \(replica.name): \(outcome.stderr.trimmingCharacters(in: .whitespacesAndNewlines))") }
        }
    }

    /// What a write should leave in the log: its collection, record (nil: the id it prints)
    /// and effect.
    typealias Expectation = (collection: String, record: String?, effect: AcknowledgedWrite.Effect)

    func randomWrite(on replica: Replica) -> ([String], Expectation)? {
        let n = nextSerial()
        let live = replica.members.filter { !replica.deleted.contains($0) }
        var choices = ["add", "add"]
        if !live.isEmpty { choices += ["edit", "edit", "edit", "tag", "tag", "untag", "log", "log", "rm"] }
        if !replica.deleted.isEmpty { choices.append("restore") }
        if tasksAvailable { choices += ["task-add"] + (replica.tasks.isEmpty ? [] : ["task-done"]) }
        if eventsAvailable { choices += ["event-add"] + (replica.events.isEmpty || live.isEmpty ? [] : ["event-signup"]) }
        switch random.pick(choices) {
        case "add":
            let name = "成员\(n)·\(random.pick(["张", "李", "Anna", "欧阳", "🎉"]))"
            var arguments = ["member", "add", name]
            if random.chance(50) { arguments += ["--tag", random.pick(Self.tags)] }
            if random.chance(50) { arguments += ["--city", random.pick(Self.cities)] }
            return (arguments, ("member", nil, .change(op: "set", field: "name", value: name)))
        case "edit":
            let id = random.pick(live)
            switch random.below(5) {
            case 0:
                let city = "\(random.pick(Self.cities))#\(n)"
                return (["member", "edit", id, "--city", city], ("member", id, .change(op: "set", field: "city", value: city)))
            case 1:
                let notes = "备注 \(n)：电话回访 ✅"
                return (["member", "edit", id, "--notes", notes], ("member", id, .change(op: "set", field: "notes", value: notes)))
            case 2:
                let role = random.pick(Self.roles)
                return (["member", "edit", id, "--role", role], ("member", id, .change(op: "set", field: "role", value: role)))
            case 3:
                let status = random.pick(Self.statuses)
                return (["member", "edit", id, "--status", status], ("member", id, .change(op: "set", field: "status", value: status)))
            default:
                let name = "改名\(n)"
                return (["member", "edit", id, "--name", name], ("member", id, .change(op: "set", field: "name", value: name)))
            }
        case "tag":
            let id = random.pick(live)
            let tag = random.pick(Self.tags)
            return (["member", "edit", id, "--tag", tag], ("member", id, .change(op: "add", field: "tags", value: tag)))
        case "untag":
            let id = random.pick(live)
            return (["member", "edit", id, "--untag", random.pick(Self.tags)], ("member", id, .unverifiable))
        case "log":
            let id = random.pick(live)
            let text = "沟通记录 \(n)：\(random.pick(["私聊", "群里@了", "电话", "见面"]))"
            return (["member", "log", id, text], ("member", id, .change(op: "append", field: "log", value: text)))
        case "rm":
            let id = random.pick(live)
            return (["member", "rm", id], ("member", id, .change(op: "delete", field: "", value: nil)))
        case "restore":
            let id = random.pick(Array(replica.deleted).sorted())
            return (["member", "restore", id], ("member", id, .change(op: "restore", field: "", value: nil)))
        case "task-add":
            let title = "任务\(n)：发早安帖"
            return (["task", "add", title], ("task", nil, .change(op: "set", field: "title", value: title)))
        case "task-done":
            let id = random.pick(replica.tasks)
            return (["task", "done", id], ("task", id, .anyChange))
        case "event-add":
            let title = "活动\(n)：线下读书会"
            return (["event", "add", title], ("event", nil, .change(op: "set", field: "title", value: title)))
        default:
            let event = random.pick(replica.events)
            let member = random.pick(live)
            return (["event", "signup", event, member], ("event", event, .change(op: "add", field: "signups", value: member)))
        }
    }

    func acknowledge(_ expectation: Expectation, outcome: ProcessOutcome, on replica: Replica, command: [String]) {
        var record = expectation.record
        if record == nil {
            // An add prints the new id (plain output: the id alone, or a line that holds it).
            record = outcome.stdout.split(whereSeparator: { !$0.isHexDigit }).map(String.init).first { $0.count == 32 }
            guard let id = record else {
                fail("qun \(command.joined(separator: " ")) succeeded but printed no id: \(outcome.stdout)")
                return
            }
            switch expectation.collection {
            case "member": replica.members.append(id)
            case "task": replica.tasks.append(id)
            default: replica.events.append(id)
            }
        }
        guard let record else { return }
        switch command.prefix(2).joined(separator: " ") {
        case "member rm": replica.deleted.insert(record)
        case "member restore": replica.deleted.remove(record)
        default: break
        }
        ledger.record(AcknowledgedWrite(
            collection: expectation.collection, record: record, replica: replica.replicaID,
            command: command.joined(separator: " "), effect: expectation.effect))
    }

    /// A write killed with -9 after a random delay: if it finished first it counts as
    /// acknowledged, otherwise it may or may not have happened, but it must not damage the store.
    func killWriter() throws {
        let replica = random.pick(replicas)
        guard let (arguments, expectation) = randomWrite(on: replica) else { return }
        let delay = random.int(in: 0...150)
        counters.writesAttempted += 1
        let child = try runner.start(arguments, store: replica.store)
        usleep(useconds_t(delay * 1000))
        let finishedFirst = child.hasExited
        guard let outcome = finishedFirst ? child.wait(timeout: 30) : child.killHard() else {
            throw StressFailure("a killed writer on \(replica.name) could not be reaped")
        }
        inspect(outcome, "qun \(arguments.joined(separator: " ")) on \(replica.name)", killedByUs: !finishedFirst)
        if outcome.succeeded {
            acknowledge(expectation, outcome: outcome, on: replica, command: arguments)
        } else if outcome.signaled {
            counters.writersKilled += 1
        } else {
            counters.writesRefused += 1
        }
    }

    /// `qun sync URL` from one replica to another's server; sometimes one side is killed
    /// mid-way.
    func httpSync() throws {
        let client = random.pick(replicas)
        let server = random.pick(replicas.filter { $0 !== client })
        try startServer(server)
        guard let url = server.url, let serverProcess = server.server else { return }
        counters.syncsAttempted += 1
        let killing = random.chance(30)
        let delay = random.int(in: 0...400)
        let killServer = random.chance(50)
        let child = try runner.start(["sync", url, "--json"], store: client.store)
        var killed = false
        if killing {
            usleep(useconds_t(delay * 1000))
            if !child.hasExited {
                killed = true
                if killServer {
                    stopServer(server, hard: true)
                    counters.serverKilledMidSync += 1
                } else {
                    child.killHard()
                    counters.clientKilledMidSync += 1
                }
            }
        }
        guard let outcome = child.wait(timeout: 120) else {
            child.killHard()
            fail("qun sync \(client.name) → \(server.name) hung for 120 s")
            return
        }
        inspect(outcome, "qun sync on \(client.name) with \(server.name)", killedByUs: killed && !killServer)
        if outcome.succeeded {
            counters.syncsSucceeded += 1
            client.learn(from: server)
            server.learn(from: client)
        } else if killed {
            counters.syncsInterrupted += 1
        } else if serverProcess.hasExited {
            counters.syncsInterrupted += 1
        } else {
            counters.syncsFailed += 1
            fail("qun sync \(client.name) → \(server.name) failed with both sides up (\(outcome.status)): \(outcome.stderr.suffix(600))")
        }
    }

    /// A bundle from one replica to another: everything, or only what the receiver is known
    /// to lack; kept for later out-of-order and duplicate imports.
    func carryBundle() throws {
        let from = random.pick(replicas)
        let to = random.pick(replicas.filter { $0 !== from })
        let file = workDirectory.appendingPathComponent("bundles/\(nextSerial())-from-\(from.index).qunbundle")
        var arguments = ["bundle", "export", file.path]
        if random.chance(50) { arguments += ["--for", to.replicaID] }
        var exported = try runner.run(arguments, store: from.store)
        inspect(exported, "bundle export on \(from.name)")
        if !exported.succeeded, arguments.contains("--for") {
            // Refused while `from` has never received anything from `to`: carry everything.
            counters.bundlesForRefused += 1
            exported = try runner.run(Array(arguments.prefix(3)), store: from.store)
            inspect(exported, "bundle export on \(from.name)")
        }
        guard exported.succeeded else {
            fail("bundle export on \(from.name) failed: \(exported.stderr)")
            return
        }
        counters.bundlesExported += 1
        bundles.append((file, from.index))
        try importBundle(file, from: from, into: to, killChance: 10)
    }

    /// An old bundle again, into any replica but its author: duplicates and reordering.
    func importOldBundle() throws {
        guard !bundles.isEmpty else { return try carryBundle() }
        let (file, origin) = random.pick(bundles)
        let to = random.pick(replicas.filter { $0.index != origin })
        counters.bundlesReimported += 1
        try importBundle(file, from: replicas[origin], into: to, killChance: 0)
    }

    func importBundle(_ file: URL, from: Replica, into to: Replica, killChance: Int) throws {
        let killing = random.chance(killChance)
        let delay = random.int(in: 0...200)
        let child = try runner.start(["bundle", "import", file.path, "--json"], store: to.store)
        var killed = false
        if killing {
            usleep(useconds_t(delay * 1000))
            if !child.hasExited {
                killed = true
                child.killHard()
                counters.importersKilled += 1
            }
        }
        guard let outcome = child.wait(timeout: 120) else {
            child.killHard()
            fail("bundle import on \(to.name) hung for 120 s")
            return
        }
        inspect(outcome, "bundle import on \(to.name)", killedByUs: killed)
        if outcome.succeeded {
            counters.bundlesImported += 1
        } else if !killed {
            fail("bundle import of \(file.lastPathComponent) on \(to.name) failed (\(outcome.status)): \(outcome.stderr.suffix(600))")
        }
    }

    /// Starts a server where none runs; stops one (SIGTERM or kill -9) where one does.
    func toggleServer() throws {
        let replica = random.pick(replicas)
        if replica.isServing {
            stopServer(replica, hard: random.chance(50))
        } else {
            try startServer(replica)
        }
    }
}

/// What happened during a run, for the summary.
struct StressCounters {
    var writesAttempted = 0
    var writesRefused = 0
    var writersKilled = 0
    var syncsAttempted = 0
    var syncsSucceeded = 0
    var syncsInterrupted = 0
    var syncsFailed = 0
    var serverKilledMidSync = 0
    var clientKilledMidSync = 0
    var serverStarts = 0
    var serverStops = 0
    var serverKills = 0
    var bundlesExported = 0
    var bundlesImported = 0
    var bundlesReimported = 0
    var bundlesForRefused = 0
    var importersKilled = 0
}
