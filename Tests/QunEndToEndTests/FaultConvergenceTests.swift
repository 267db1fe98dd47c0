import Foundation
import QunTestSupport
import XCTest

/// The short form of `qun-stress`: four real replicas of one team under random CLI writes,
/// partial HTTP syncs, bundles imported twice and out of order, and kill -9 of servers,
/// clients and writers; then a final sync round. Passes when all exports are byte-identical,
/// every store file passes `PRAGMA integrity_check`, and every write whose `qun` process
/// exited 0 is in the final history (RELIABILITY.md has the long runs).
///
/// Seeds are fixed; replay one with `QUN_SEED=N` (or `qun-stress --replicas 4 --ops 150 --seed N`).
final class FaultConvergenceTests: QunTestCase {
    static let operations = 150

    func testReplicasConvergeUnderFaults() throws {
        let stress = try stressBinary()
        for seed in testSeeds([20_261_123, 7]) {
            print("FaultConvergenceTests: seed \(seed) (replay with QUN_SEED=\(seed))")
            let work = path("stress-\(seed)")
            let summary = try runStress(stress, seed: seed, work: work)
            let context = "seed \(seed) (replay with QUN_SEED=\(seed)); stores in \(work.path)"

            XCTAssertEqual(summary["passed"] as? Bool, true, "qun-stress failed, \(context): \(summary["failures"] ?? "")")
            XCTAssertEqual(summary["failures"] as? [String], [], context)
            let final = summary["final"] as? [String: Any] ?? [:]
            XCTAssertEqual(final["exports_identical"] as? Bool, true, context)
            XCTAssertEqual(final["vectors_identical"] as? Bool, true, context)
            XCTAssertEqual(final["integrity"] as? [String], ["ok", "ok", "ok", "ok"], context)

            // The run must have done what it claims to test, or a pass proves nothing.
            let writes = summary["writes"] as? [String: Any] ?? [:]
            let acknowledged = writes["acknowledged"].flatMap(intValue) ?? 0
            XCTAssertGreaterThan(acknowledged, Self.operations / 3, "too few writes succeeded, \(context)")
            XCTAssertEqual((final["acknowledged_verified"].flatMap(intValue) ?? 0) + (final["acknowledged_unverifiable"].flatMap(intValue) ?? 0),
                           acknowledged, "every acknowledged write was looked up, \(context)")
            let syncs = summary["syncs"] as? [String: Any] ?? [:]
            XCTAssertGreaterThan(syncs["succeeded"].flatMap(intValue) ?? 0, 0, context)
            let bundles = summary["bundles"] as? [String: Any] ?? [:]
            XCTAssertGreaterThan(bundles["imported"].flatMap(intValue) ?? 0, 0, context)
            XCTAssertGreaterThan(bundles["reimported"].flatMap(intValue) ?? 0, 0, "old bundles were imported again, \(context)")
            let kills = summary["kills"] as? [String: Any] ?? [:]
            let killCount = ["servers", "writers", "importers", "client_mid_sync"].compactMap { kills[$0].flatMap(intValue) }.reduce(0, +)
            XCTAssertGreaterThan(killCount, 0, "some process was killed with -9, \(context)")
            XCTAssertGreaterThan(final["live_members"].flatMap(intValue) ?? 0, 0, context)
            // A teammate was removed: refused by every replica, its later edit nowhere.
            let removal = summary["removal"] as? [String: Any] ?? [:]
            XCTAssertGreaterThan(removal["attempted_syncs"].flatMap(intValue) ?? 0, 0, context)
            XCTAssertEqual(removal["refused_syncs"].flatMap(intValue), removal["attempted_syncs"].flatMap(intValue), context)
            XCTAssertEqual(removal["early_edit_present"] as? Bool, true, context)
            XCTAssertEqual(removal["late_edit_absent"] as? Bool, true, context)
            let included = summary["included"] as? [String: Any] ?? [:]
            XCTAssertEqual(included["tasks"] as? Bool, true, "task operations were part of the walk, \(context)")
            XCTAssertEqual(included["events"] as? Bool, true, "event operations were part of the walk, \(context)")
        }
    }

    /// `qun-stress`, built next to `qun` by `swift build`.
    private func stressBinary() throws -> URL {
        let qun = try QunProcess.binary.get()
        let stress = qun.deletingLastPathComponent().appendingPathComponent("qun-stress")
        guard FileManager.default.isExecutableFile(atPath: stress.path) else {
            XCTFail("qun-stress was not found next to \(qun.path): run `swift build --build-tests` first")
            throw QunProcess.BinaryMissing(description: "no qun-stress at \(stress.path)")
        }
        return stress
    }

    private func runStress(_ stress: URL, seed: UInt64, work: URL) throws -> [String: Any] {
        let qun = try QunProcess.binary.get()
        let process = Process()
        process.executableURL = stress
        process.arguments = [
            "--replicas", "4", "--ops", String(Self.operations), "--seed", String(seed),
            "--qun", qun.path, "--work", work.path, "--json", "--quiet",
        ]
        process.environment = QunProcess.environment(home: home, extra: [:])
        let outURL = path("stress-\(seed).out")
        let errURL = path("stress-\(seed).err")
        FileManager.default.createFile(atPath: outURL.path, contents: nil)
        FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let out = try FileHandle(forWritingTo: outURL)
        let err = try FileHandle(forWritingTo: errURL)
        defer {
            try? out.close()
            try? err.close()
        }
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        let finished = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in finished.signal() }
        try process.run()
        if finished.wait(timeout: .now() + 300) == .timedOut {
            process.terminate()
            XCTFail("qun-stress (seed \(seed)) did not finish within 300 s")
        }
        process.waitUntilExit()
        let stdout = String(decoding: (try? Data(contentsOf: outURL)) ?? Data(), as: UTF8.self)
        let stderr = String(decoding: (try? Data(contentsOf: errURL)) ?? Data(), as: UTF8.self)
        if process.terminationStatus != 0 { print("qun-stress stderr (seed \(seed)):\n\(stderr)") }
        guard let summary = jsonObject(stdout) else {
            XCTFail("qun-stress (seed \(seed)) printed no JSON summary; exit \(process.terminationStatus); stderr:\n\(stderr)")
            return [:]
        }
        return summary
    }
}
