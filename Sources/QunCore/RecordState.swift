/// The merged state of one record, built from its changes in any order.
///
/// This is the reference implementation of the merge rules: `QunStore` materialises the same
/// rules in SQL, and the tests check both against each other.
public struct RecordState: Sendable, Equatable {
    /// An add or append seen for a set or log field, and whether a remove has observed it.
    public struct Tag: Sendable, Equatable {
        public var element: String
        public var hlc: HLC
        public var isLog: Bool
        public var removed: Bool
    }

    public let collection: String
    public private(set) var registers: [String: (value: Value, stamp: Stamp)] = [:]
    /// Per field, every add/append tag ever seen (removed ones included, so that an add
    /// arriving after its remove stays removed).
    public private(set) var tags: [String: [ChangeID: Tag]] = [:]
    /// Delete tokens and whether a restore has observed them.
    public private(set) var deleteTokens: [ChangeID: Bool] = [:]

    public init(collection: String) { self.collection = collection }

    public static func == (a: RecordState, b: RecordState) -> Bool {
        a.export(id: "").compact == b.export(id: "").compact && a.deleteTokens == b.deleteTokens
    }

    /// True while some delete token is not observed by a restore.
    public var isDeleted: Bool { deleteTokens.values.contains(false) }

    /// Delete tokens no restore has observed: what a restore issued now must name.
    public var liveDeleteTokens: [ChangeID] {
        deleteTokens.filter { !$0.value }.map(\.key).sorted()
    }

    /// Add tags of `element` in `field` that are present: what a remove issued now must name.
    public func liveTags(field: String, element: String) -> [ChangeID] {
        (tags[field] ?? [:]).filter { !$0.value.removed && $0.value.element.utf8.elementsEqual(element.utf8) }.map(\.key).sorted()
    }

    /// Folds one change in. Applying a change twice, or changes in any order, gives the same
    /// state.
    public mutating func apply(_ change: Change) {
        switch change.operation {
        case .set(let value):
            if let current = registers[change.field], current.stamp >= change.stamp { return }
            registers[change.field] = (value, change.stamp)
        case .add(let element), .append(let element):
            let isLog: Bool
            if case .append = change.operation { isLog = true } else { isLog = false }
            if tags[change.field, default: [:]][change.id] == nil {
                tags[change.field, default: [:]][change.id] = Tag(element: element, hlc: change.hlc, isLog: isLog, removed: false)
            }
        case .remove(let element, let observed):
            for tag in observed {
                if var existing = tags[change.field, default: [:]][tag] {
                    existing.removed = true
                    tags[change.field]![tag] = existing
                } else {
                    // The add has not arrived yet: remember that it is already removed.
                    // Its hlc and kind are filled from the add when it comes (see below).
                    tags[change.field, default: [:]][tag] = Tag(element: element, hlc: .zero, isLog: false, removed: true)
                }
            }
        case .delete:
            if deleteTokens[change.id] == nil { deleteTokens[change.id] = false }
        case .restore(let observed):
            for token in observed { deleteTokens[token] = true }
        case .signature, .roster, .unknown:
            break
        }
    }

    /// The present elements of a set field, sorted by UTF-8 bytes.
    ///
    /// Elements are distinct by their bytes, not by `String` equality (canonical equivalence),
    /// which would keep whichever of "caf\u{E9}" and "cafe\u{301}" came first.
    public func elements(_ field: String) -> [String] {
        let present = (tags[field] ?? [:]).values.filter { !$0.removed && !$0.isLog }.map(\.element)
            .sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        var distinct: [String] = []
        for element in present where !(distinct.last?.utf8.elementsEqual(element.utf8) ?? false) {
            distinct.append(element)
        }
        return distinct
    }

    /// The entries of a log field in `(hlc, replica, seq)` order.
    public func logEntries(_ field: String) -> [(id: ChangeID, hlc: HLC, text: String)] {
        (tags[field] ?? [:]).filter { $0.value.isLog && !$0.value.removed }
            .map { (id: $0.key, hlc: $0.value.hlc, text: $0.value.element) }
            .sorted { ($0.hlc, $0.id) < ($1.hlc, $1.id) }
    }

    /// The canonical export object of the record: `id`, then every field with a non-null
    /// register value, every non-empty set (sorted array) and every non-empty log (array of
    /// `{"at","by","text"}` in time order).
    public func export(id: String) -> JSON {
        var members: [String: JSON] = [:]
        for (field, register) in registers where !register.value.isNull {
            members[field] = register.value.json
        }
        for field in tags.keys {
            let elements = elements(field)
            if !elements.isEmpty { members[field] = .array(elements.map { .string($0) }) }
            let entries = logEntries(field)
            if !entries.isEmpty {
                members[field] = .array(entries.map { entry in
                    .object([
                        ("at", .int(entry.hlc.milliseconds)),
                        ("by", .string(entry.id.replica.hex)),
                        ("text", .string(entry.text)),
                    ])
                })
            }
        }
        members["id"] = .string(id)
        return .object(Array(members))
    }
}
