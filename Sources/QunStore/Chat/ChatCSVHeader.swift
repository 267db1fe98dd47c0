/// The header of a CSV export: its column names as written, and where a name is, compared
/// case-insensitively and without surrounding spaces (exports write `StrTime`, `strtime`, ` 时间 `).
struct ChatCSVHeader {
    let names: [String]
    private let folded: [String]

    init(names: [String]) {
        self.names = names
        folded = names.map(ChatCSVHeader.fold)
    }

    init(record: ChatCSVRecord) {
        self.init(names: (0..<record.count).map { record.string($0) ?? "" })
    }

    static func fold(_ name: String) -> String { name.trimmingSpaces.lowercased() }

    /// The first column with one of `candidates` (in the candidates' order of preference).
    func index(of candidates: [String], excluding: Set<Int> = []) -> Int? {
        for candidate in candidates {
            let wanted = ChatCSVHeader.fold(candidate)
            if let found = folded.indices.first(where: { folded[$0] == wanted && !excluding.contains($0) }) { return found }
        }
        return nil
    }

    func contains(_ candidate: String) -> Bool { index(of: [candidate]) != nil }
}
