import Foundation

/// What the end of a run found.
struct FinalFindings {
    var changes = 0
    var liveMembers = 0
    var exportsIdentical = false
    var vectorsIdentical = false
    var integrity: [String] = []
    var recordsChecked = 0
    var acknowledgedVerified = 0
    var acknowledgedUnverifiable = 0
    var exportBytes = 0
    var removal = RemovalFindings()
}

extension Simulation {
    /// Every replica serves, then syncs with its neighbour around the ring, twice: after that
    /// every replica has seen every change, so all exports must be byte-identical, every store
    /// file intact, and every acknowledged write in the log.
    func finalRound() throws -> FinalFindings {
        var findings = FinalFindings()
        reapServers()
        for replica in replicas { try startServer(replica) }
        // Three laps: after the first every replica's roster entry has reached the first one,
        // which then removes the leaver; the second spreads the removal and the new key
        // epoch, the third runs entirely in it.
        for lap in 0..<3 {
            if lap == 1, let leaver { try removeTheLeaver(leaver) }
            for replica in replicas {
                let neighbour = replicas[(replica.index + 1) % replicas.count]
                let outcome = try runner.run(["sync", neighbour.url!, "--json"], store: replica.store, timeout: 300)
                inspect(outcome, "final sync \(replica.name) → \(neighbour.name)")
                if !outcome.succeeded {
                    fail("final sync (lap \(lap + 1)) \(replica.name) → \(neighbour.name) failed (\(outcome.status)): \(outcome.stderr.suffix(600))")
                }
            }
        }
        for replica in replicas { stopServer(replica, hard: false) }

        let exports = try replicas.map { try expect(["export", "--format", "json"], on: $0, "export") }
        findings.exportsIdentical = Set(exports).count == 1
        if !findings.exportsIdentical {
            for (index, text) in exports.enumerated() {
                let file = workDirectory.appendingPathComponent("export-\(index).json")
                try? Data(text.utf8).write(to: file)
            }
            fail("exports differ after the final round (kept as export-N.json in \(workDirectory.path))")
        }
        let statuses = try replicas.map { try statusJSON($0) }
        let vectors = statuses.map { ($0["vector"] as? [String: Any]).map { NSDictionary(dictionary: $0) } ?? NSDictionary() }
        findings.vectorsIdentical = vectors.allSatisfy { $0 == vectors[0] }
        if !findings.vectorsIdentical { fail("version vectors differ after the final round: \(vectors)") }
        for (replica, status) in zip(replicas, statuses) {
            if let held = status["held"] as? [Any], !held.isEmpty { fail("\(replica.name) still holds changes: \(held)") }
        }
        findings.changes = statuses[0]["changes"] as? Int ?? (statuses[0]["changes"] as? NSNumber)?.intValue ?? -1
        let export0 = (try? JSONSerialization.jsonObject(with: Data(exports[0].utf8))) as? [String: Any] ?? [:]
        let liveMembers = export0["member"] as? [[String: Any]] ?? []
        findings.liveMembers = liveMembers.count
        findings.exportBytes = exports[0].utf8.count

        for replica in replicas {
            let result = integrityCheck(replica.store.appendingPathComponent("store.sqlite"))
            findings.integrity.append(result)
            if result != "ok" { fail("integrity_check of \(replica.name): \(result)") }
        }

        try verifyAcknowledged(into: &findings, liveMembers: liveMembers, export: export0)
        if let leaver { findings.removal = try checkRemoval(of: leaver, exports: exports) }
        return findings
    }

    /// Each acknowledged write must be in the final history of its record; the log entries
    /// of live members must also be in the export (logs are append-only: nothing hides them).
    private func verifyAcknowledged(into findings: inout FinalFindings, liveMembers: [[String: Any]], export: [String: Any]) throws {
        let byID = Dictionary(liveMembers.compactMap { member in (member["id"] as? String).map { ($0, member) } }, uniquingKeysWith: { a, _ in a })
        let checker = random.pick(replicas)
        for (record, writes) in ledger.records.sorted(by: { $0.key < $1.key }) {
            findings.recordsChecked += 1
            let outcome = try runner.run(["history", record, "--json"], store: checker.store)
            guard outcome.succeeded, let history = Ledger.parseHistory(outcome.stdout) else {
                // Records without history support (a collection added later): fall back to the export.
                let collection = writes[0].collection
                let present = (export[collection] as? [[String: Any]] ?? []).contains { ($0["id"] as? String) == record }
                if collection != "member", present {
                    findings.acknowledgedVerified += writes.count
                } else {
                    fail("history of \(collection) \(record) unavailable on \(checker.name): \(outcome.stderr.suffix(300))")
                }
                continue
            }
            let missing = Ledger.missing(writes, in: history)
            for write in missing {
                fail("acknowledged write lost: `qun \(write.command)` by \(write.replica.prefix(8)) is not in the final history of \(record)")
            }
            for write in writes {
                if case .unverifiable = write.effect { findings.acknowledgedUnverifiable += 1 }
            }
            findings.acknowledgedVerified += writes.count - missing.count
            if let member = byID[record] {
                let texts = Set((member["log"] as? [[String: Any]] ?? []).compactMap { $0["text"] as? String })
                for write in writes {
                    if case .change("append", "log", let text?) = write.effect, !texts.contains(text) {
                        fail("acknowledged log entry '\(text)' of live member \(record) is missing from the export")
                    }
                }
            }
        }
        findings.acknowledgedVerified -= findings.acknowledgedUnverifiable
    }

    /// `PRAGMA integrity_check` with the sqlite3 shell when installed, else python3's module.
    func integrityCheck(_ database: URL) -> String {
        let candidates: [(String, [String])] = [
            ("/usr/bin/sqlite3", [database.path, "PRAGMA integrity_check;"]),
            ("/usr/bin/env", ["python3", "-c", "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('PRAGMA integrity_check').fetchone()[0])", database.path]),
        ]
        for (tool, arguments) in candidates where FileManager.default.isExecutableFile(atPath: tool) {
            guard let child = try? ChildProcess(binary: URL(fileURLWithPath: tool), arguments: arguments, environment: ProcessInfo.processInfo.environment, scratch: runner.scratch),
                  let outcome = child.wait(timeout: 120) else { continue }
            if outcome.succeeded { return outcome.stdout.trimmingCharacters(in: .whitespacesAndNewlines) }
        }
        return "could not run integrity_check (neither sqlite3 nor python3 worked)"
    }
}
