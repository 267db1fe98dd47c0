import Foundation
import QunCore
import QunStore
import QunSync

/// `qun-bench seal STORE [--runs N]`: the work sealing adds to a full sync of STORE, in
/// process, next to the work the sync did before it: every change read and encoded into
/// pages of the sync's page size (the baseline), then each page sealed and opened again
/// as the server and the client do. Medians of N runs.
enum SealBench {
    static func run(store directory: URL, runs: Int) throws {
        let store = try Store.open(at: directory)
        guard let team = store.identity.team else { throw StoreError.noTeam }
        let ring = KeyRing(team: team)
        let changes = try store.changes()
        let pageSize = SyncAPI.defaultPageSize
        var encodeTimes: [Double] = [], sealTimes: [Double] = [], openTimes: [Double] = []
        var bytes = 0
        for _ in 0..<max(1, runs) {
            var start = Date()
            var pages: [[UInt8]] = []
            var index = 0
            while index < changes.count {
                let end = min(index + pageSize, changes.count)
                pages.append(ChangeBatch.encode(Array(changes[index..<end])))
                index = end
            }
            encodeTimes.append(Date().timeIntervalSince(start))
            bytes = pages.reduce(0) { $0 + $1.count }

            start = Date()
            let sealed = try pages.enumerated().map { page, plaintext in
                try SealedEnvelope.seal(plaintext, ring: ring, purpose: .wire, context: "bench page \(page)")
            }
            sealTimes.append(Date().timeIntervalSince(start))
            start = Date()
            for (page, envelope) in sealed.enumerated() {
                let opened = try SealedEnvelope.open(envelope, ring: ring, purpose: .wire, context: "bench page \(page)")
                precondition(opened.plaintext.count == pages[page].count)
            }
            openTimes.append(Date().timeIntervalSince(start))
        }
        let median = { (values: [Double]) in values.sorted()[values.count / 2] }
        let encode = median(encodeTimes), seal = median(sealTimes), open = median(openTimes)
        let megabytes = Double(bytes) / 1_048_576
        print(String(format: "%d changes in pages of %d: %.1f MiB of batches", changes.count, pageSize, megabytes))
        print(String(format: "  encode the pages (the sync's own work, baseline): %.4f s", encode))
        print(String(format: "  seal them (server): %.4f s (%.0f MiB/s)", seal, megabytes / seal))
        print(String(format: "  open them (client): %.4f s (%.0f MiB/s)", open, megabytes / open))
        print(String(format: "result %d %.6f %.6f %.6f %d", changes.count, encode, seal, open, bytes))
    }
}
