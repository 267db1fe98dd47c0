/// Finds the members that `kol` and `referrer` cells name: a member already in the store
/// (id, id prefix, member number or exact name, as everywhere in qun) or another row of
/// the file (its name, or its `id` / `number` cell). A cell that could mean more than one
/// member, or none, makes its row bad. So does naming a row that is itself bad: with
/// `--skip-bad` that row is not imported, and the reference would dangle. Problems show at
/// most the start of the cell (`ImportCell`).
struct MemberReferenceResolver {
    private var byName: [String: [Int]] = [:]
    /// `id` / `number` cells should be unique, but a hand-edited file may repeat one: a
    /// reference to a repeated one is ambiguous, not a link to whichever row came last.
    private var byID: [String: [Int]] = [:]
    private var byNumber: [String: [Int]] = [:]
    private var store: [String: Lookup] = [:]
    private let lookUp: (String) throws -> ResolvedRecord
    private let liveNamed: (String) throws -> [String]

    private enum Lookup {
        /// Usually one; more when the text is both one member's id prefix and another's name.
        case members([String])
        case none
        case problem(String)
    }

    /// Names and (upper-cased) numbers of every member in the store, deleted ones too: a
    /// reference that is neither, nor looks like an id prefix, cannot match a stored member,
    /// and a file of 100k rows need not ask the database 100k times to learn that.
    private let storeNames: Set<String>
    private let storeNumbers: Set<String>

    /// `lookUp` resolves a reference in the store (`RecordResolution.resolve`); `liveNamed`
    /// gives the ids of the live members with exactly that name.
    init(rows: [MemberImportRow], storeNames: Set<String>, storeNumbers: Set<String>,
         lookUp: @escaping (String) throws -> ResolvedRecord,
         liveNamed: @escaping (String) throws -> [String]) {
        self.lookUp = lookUp
        self.liveNamed = liveNamed
        self.storeNames = storeNames
        self.storeNumbers = storeNumbers
        for (index, row) in rows.enumerated() {
            if !row.draft.name.isEmpty { byName[row.draft.name, default: []].append(index) }
            if let id = row.fileID { byID[id, default: []].append(index) }
            if let number = row.fileNumber { byNumber[number, default: []].append(index) }
        }
    }

    /// Resolves the references of every good row, then marks rows that name bad rows.
    mutating func resolve(_ rows: inout [MemberImportRow], progress: (Int) -> Void) throws {
        for index in rows.indices {
            if index % 1_000 == 0 { progress(index) }
            guard rows[index].isGood else { continue }
            var problems: [String] = []
            for field in [Member.Field.kol, .referrer] {
                let text = field == .kol ? rows[index].draft.kol : rows[index].draft.referrer
                guard let text else { continue }
                switch try target(of: text, field: field, from: index, rows: rows) {
                case .success(let target):
                    if field == .kol { rows[index].kol = target } else { rows[index].referrer = target }
                case .failure(let problem):
                    problems.append(problem.reason)
                }
            }
            if !problems.isEmpty { rows[index].problem = problems.joined(separator: "; ") }
        }
        progress(rows.count)
        // A reference to a bad row makes its row bad too, along whole chains.
        var changed = true
        while changed {
            changed = false
            for index in rows.indices where rows[index].isGood {
                for (field, target) in [("kol", rows[index].kol), ("referrer", rows[index].referrer)] {
                    guard case .row(let other)? = target, !rows[other].isGood, rows[index].isGood else { continue }
                    let text = (field == "kol" ? rows[index].draft.kol : rows[index].draft.referrer) ?? ""
                    rows[index].problem = "\(field) \(ImportCell.quoted(text)) is the member on line \(rows[other].line), which cannot be imported"
                    changed = true
                }
            }
        }
    }

    private struct Problem: Error { var reason: String }

    private mutating func target(of text: String, field: Member.Field, from index: Int, rows: [MemberImportRow]) throws -> Result<MemberImportRow.Target, Problem> {
        var candidates: [MemberImportRow.Target] = []
        var seen: Set<Int> = []
        for other in byName[text] ?? [] where seen.insert(other).inserted { candidates.append(.row(other)) }
        for other in byID[text.lowercased()] ?? [] where seen.insert(other).inserted { candidates.append(.row(other)) }
        for other in byNumber[text.uppercased()] ?? [] where seen.insert(other).inserted { candidates.append(.row(other)) }
        let shown = "\(field.rawValue) \(ImportCell.quoted(text))"
        switch try storeLookup(text) {
        case .members(let uids): candidates += uids.map { .member($0) }
        case .none: break
        case .problem(let reason): return .failure(Problem(reason: "\(shown) \(reason)"))
        }
        if candidates == [.row(index)] {
            return .failure(Problem(reason: "\(shown) is the member itself"))
        }
        candidates.removeAll { $0 == .row(index) }
        switch candidates.count {
        case 0:
            return .failure(Problem(reason: "unknown \(shown): no member in the store or row in this file has that name, number or id"))
        case 1:
            return .success(candidates[0])
        default:
            let described = candidates.prefix(5).map { candidate -> String in
                switch candidate {
                case .row(let other): return "line \(rows[other].line)"
                case .member(let uid): return "member \(uid.prefix(8)) in the store"
                }
            }
            return .failure(Problem(reason: "\(shown) is ambiguous: \(described.joined(separator: ", ")) — give the member number or id instead"))
        }
    }

    /// What the store says about a reference. Its refusals (ambiguous, deleted) are the
    /// row's problem; a database failure is the whole import's.
    private mutating func storeLookup(_ text: String) throws -> Lookup {
        if let known = store[text] { return known }
        let lower = text.lowercased()
        let mayBeID = lower.count >= 4 && lower.allSatisfy(\.isHexDigit)
        if !mayBeID, !storeNames.contains(text), !storeNumbers.contains(text.uppercased()) { return .none }
        var result: Lookup
        do {
            let uid = try lookUp(text).uid
            result = .members([uid])
            // The store takes an id prefix before a name: `1314` is a member whose id
            // starts 1314 even when another is named 1314. Here that is a guess, so both.
            if mayBeID, storeNames.contains(text) {
                let named = try liveNamed(text).filter { $0 != uid }
                if !named.isEmpty { result = .members([uid] + named) }
            }
        } catch StoreError.notFound {
            result = .none
        } catch StoreError.ambiguous(_, _, let candidates) {
            // Candidates read "ID NAME (NUMBER)": only the id prefix goes into the problem.
            let ids = candidates.prefix(5).map { $0.split(separator: " ").first.map(String.init) ?? "" }
            result = .problem("is ambiguous: members \(ids.joined(separator: ", ")) in the store — give more characters of the id, or the member number")
        } catch StoreError.deleted(_, let id) {
            result = .problem("is member \(id.prefix(8)), which is deleted: bring it back first with `qun member restore \(id.prefix(8))`")
        } catch is StoreError {
            result = .problem("cannot be looked up in the store")
        }
        store[text] = result
        return result
    }
}
