import Foundation
import XCTest

/// Two `qun` processes writing one store at the same moment (two terminals, or a script
/// next to the REPL): every write succeeds, nothing is lost, numbers stay unique.
final class TwoWritersEndToEndTests: QunTestCase {
    private final class Outcomes: @unchecked Sendable {
        private let lock = NSLock()
        private var items: [(writer: Int, index: Int, output: QunOutput)] = []
        func append(_ writer: Int, _ index: Int, _ output: QunOutput) {
            lock.lock(); defer { lock.unlock() }
            items.append((writer, index, output))
        }
        var all: [(writer: Int, index: Int, output: QunOutput)] {
            lock.lock(); defer { lock.unlock() }
            return items
        }
    }

    func testTwoConcurrentWritersLoseNothing() throws {
        let store = initStore("shared", operator: "林")
        let home = try XCTUnwrap(self.home)
        let perWriter = 30
        let writers = ["甲", "乙"]
        let outcomes = Outcomes()

        DispatchQueue.concurrentPerform(iterations: writers.count) { writer in
            for index in 1...perWriter {
                let arguments = ["member", "add", "\(writers[writer])\(index)", "--tag", "写入者\(writer)"]
                do {
                    outcomes.append(writer, index, try QunProcess.run(arguments, store: store, stdin: nil, env: [:], home: home))
                } catch {
                    outcomes.append(writer, index, (-1, "", "\(error)"))
                }
            }
        }

        let results = outcomes.all
        XCTAssertEqual(results.count, perWriter * writers.count)
        for (writer, index, output) in results {
            XCTAssertEqual(output.status, 0, "writer \(writer) add #\(index) failed: \(output.stderr)")
            XCTAssertFalse(output.stderr.localizedCaseInsensitiveContains("locked"), "writer \(writer) #\(index): \(output.stderr)")
            XCTAssertFalse(output.stderr.localizedCaseInsensitiveContains("busy"), "writer \(writer) #\(index): \(output.stderr)")
        }
        let printedIDs = results.map { $0.output.stdout.trimmingCharacters(in: .whitespacesAndNewlines) }

        let list = try XCTUnwrap(jsonArray(qun(["member", "list", "--json"], store: store)))
        XCTAssertEqual(list.count, perWriter * writers.count)
        let ids = list.compactMap { stringField($0, "id") }
        XCTAssertEqual(Set(ids).count, list.count, "unique ids")
        XCTAssertEqual(Set(ids), Set(printedIDs), "every printed id is in the store")
        let numbers = list.compactMap { stringField($0, "number") }
        XCTAssertEqual(numbers.count, list.count, "every member has a number")
        XCTAssertEqual(Set(numbers).count, list.count, "unique member numbers: \(numbers.sorted())")
        let names = Set(list.compactMap { stringField($0, "name") })
        for writer in writers.indices {
            for index in 1...perWriter {
                XCTAssertTrue(names.contains("\(writers[writer])\(index)"), "\(writers[writer])\(index) is missing")
            }
            let tagged = try XCTUnwrap(jsonArray(qun(["member", "list", "+写入者\(writer)", "--json"], store: store)))
            XCTAssertEqual(tagged.count, perWriter, "writer \(writer)'s tag")
        }

        // One replica wrote everything: its vector entry is the change count, seqs without gaps.
        let status = status(store)
        let replica = try XCTUnwrap(stringField(status, "replica"))
        let changes = try XCTUnwrap(status["changes"].flatMap(intValue))
        XCTAssertEqual(vectorEntry(status, replica), changes, "vector entry of the own replica == changes: \(status)")
        XCTAssertEqual((status["members"] as? [String: Any])?["live"].flatMap(intValue), perWriter * writers.count)

        // Another laptop receiving the bundle gets all of it.
        let other = joinStore("other", operator: "王", inviter: store)
        carry(from: store, to: other, named: "all.qunbundle")
        XCTAssertEqual(exportedMembers(export(other)).count, perWriter * writers.count)
    }
}
