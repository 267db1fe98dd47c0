import Foundation

/// The figures of one run, as text or as JSON (keys documented in RELIABILITY.md).
struct StressSummary {
    var seed: UInt64
    var options: StressOptions
    var duration: TimeInterval
    var counters: StressCounters
    var acknowledged: Int
    var tasks: Bool
    var events: Bool
    var findings: FinalFindings
    var failures: [String]

    var passed: Bool {
        failures.isEmpty && findings.exportsIdentical && findings.vectorsIdentical
            && findings.integrity.count == options.replicas && findings.integrity.allSatisfy { $0 == "ok" }
    }

    var dictionary: [String: Any] {
        let c = counters
        return [
            "passed": passed,
            "seed": NSNumber(value: seed),
            "replicas": options.replicas,
            "ops": options.ops,
            "duration_ms": Int(duration * 1000),
            "included": ["tasks": tasks, "events": events],
            "writes": ["attempted": c.writesAttempted, "acknowledged": acknowledged, "refused": c.writesRefused, "killed": c.writersKilled],
            "syncs": ["attempted": c.syncsAttempted, "succeeded": c.syncsSucceeded, "interrupted": c.syncsInterrupted, "failed": c.syncsFailed],
            "kills": ["server_mid_sync": c.serverKilledMidSync, "client_mid_sync": c.clientKilledMidSync,
                      "servers": c.serverKills, "writers": c.writersKilled, "importers": c.importersKilled],
            "servers": ["started": c.serverStarts, "stopped": c.serverStops],
            "bundles": ["exported": c.bundlesExported, "imported": c.bundlesImported, "reimported": c.bundlesReimported],
            "final": [
                "changes": findings.changes, "live_members": findings.liveMembers, "export_bytes": findings.exportBytes,
                "exports_identical": findings.exportsIdentical, "vectors_identical": findings.vectorsIdentical,
                "integrity": findings.integrity, "records_checked": findings.recordsChecked,
                "acknowledged_verified": findings.acknowledgedVerified, "acknowledged_unverifiable": findings.acknowledgedUnverifiable,
            ],
            "removal": [
                "refused_syncs": findings.removal.refusedSyncs, "attempted_syncs": findings.removal.attemptedSyncs,
                "early_edit_present": findings.removal.earlyEditPresent, "late_edit_absent": findings.removal.lateEditAbsent,
            ],
            "failures": failures,
        ]
    }

    var json: String {
        let data = (try? JSONSerialization.data(withJSONObject: dictionary, options: [.prettyPrinted, .sortedKeys])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    var text: String {
        let c = counters
        var lines = [
            "qun-stress \(passed ? "PASSED" : "FAILED"): seed \(seed), \(options.replicas) replicas, \(options.ops) operations in \(String(format: "%.1f", duration)) s",
            "  writes: \(c.writesAttempted) attempted, \(acknowledged) acknowledged, \(c.writesRefused) refused, \(c.writersKilled) killed mid-write",
            "  syncs: \(c.syncsAttempted) attempted, \(c.syncsSucceeded) succeeded, \(c.syncsInterrupted) interrupted (server killed mid-sync \(c.serverKilledMidSync), client \(c.clientKilledMidSync))",
            "  bundles: \(c.bundlesExported) exported, \(c.bundlesImported) imported, \(c.bundlesReimported) old ones imported again, \(c.importersKilled) imports killed",
            "  servers: \(c.serverStarts) started, \(c.serverStops) stopped, \(c.serverKills) killed with -9",
            "  final: \(findings.changes) changes, \(findings.liveMembers) live members, exports identical: \(findings.exportsIdentical), integrity: \(findings.integrity.joined(separator: ","))",
            "  acknowledged writes found in the final log: \(findings.acknowledgedVerified) (+\(findings.acknowledgedUnverifiable) tag removals not checkable) over \(findings.recordsChecked) records",
            "  tasks \(tasks ? "included" : "not in this build"), events \(events ? "included" : "not in this build")",
        ]
        for failure in failures { lines.append("  FAILURE: \(failure)") }
        return lines.joined(separator: "\n")
    }
}
