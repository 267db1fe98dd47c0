/// The merged state of one record, built from its changes in any order.
///
/// This is the reference implementation of the merge rules: `QunStore` materialises the same
/// rules in SQL, and the tests check both against each other.
public struct RecordState: Sendable, Equatable {
    /// A tag: an add, append or delete change, or one a remove or restore observed before it
    /// arrived, and whether a remove or restore has observed it. The store keeps one
    /// `set_tag` row per tag with exactly these values.
    public struct Tag: Sendable, Equatable {
        public var element: String
        /// The time of the change that made the tag; `.zero` while only an observer has named it.
        public var hlc: HLC
        public var kind: TagKind
        public var removed: Bool

        public init(element: String, hlc: HLC, kind: TagKind, removed: Bool) {
            self.element = element
            self.hlc = hlc
            self.kind = kind
            self.removed = removed
        }

        public var isLog: Bool { kind == .logEntry }
    }

    public let collection: String
    public private(set) var registers: [String: (value: Value, stamp: Stamp)] = [:]
    /// Per field, every add/append tag ever seen (removed ones included, so that an add
    /// arriving after its remove stays removed).
    public private(set) var tags: [String: [ChangeID: Tag]] = [:]
    /// Delete tokens (kind `.deleteToken`, element `""`) and whether a restore has observed them.
    public private(set) var deleteTokens: [ChangeID: Tag] = [:]

    public init(collection: String) { self.collection = collection }

    public static func == (a: RecordState, b: RecordState) -> Bool {
        a.export(id: "").compact == b.export(id: "").compact && a.deleteTokens == b.deleteTokens
    }

    /// True while some delete token is not observed by a restore.
    public var isDeleted: Bool { deleteTokens.values.contains { !$0.removed } }

    /// Delete tokens no restore has observed: what a restore issued now must name.
    public var liveDeleteTokens: [ChangeID] {
        deleteTokens.filter { !$0.value.removed }.map(\.key).sorted()
    }

    /// Add tags of `element` in `field` that are present: what a remove issued now must name.
    public func liveTags(field: String, element: String) -> [ChangeID] {
        (tags[field] ?? [:]).filter { !$0.value.removed && $0.value.element.utf8.elementsEqual(element.utf8) }.map(\.key).sorted()
    }

    /// Folds one change in. Applying a change twice, or changes in any order, gives the same
    /// state.
    ///
    /// The rules (the store states the same ones in SQL, see `MergeRules` in QunStore):
    /// - a register keeps the value of the highest `(hlc, replica)` stamp;
    /// - an add, append or delete makes its tag: its kind, time and element are the change's
    ///   own, whatever an observer wrote there before it came, and its `removed` flag stays;
    /// - a remove or restore marks the tags it observed removed, making those not seen yet
    ///   (removed, time zero; `.unseen` for a remove, `.deleteToken` for a restore): removed
    ///   only grows, so the order the changes arrive in never shows.
    public mutating func apply(_ change: Change) {
        switch change.operation {
        case .set(let value):
            if let current = registers[change.field], current.stamp >= change.stamp { return }
            registers[change.field] = (value, change.stamp)
        case .add(let element), .append(let element):
            let kind = TagKind(madeBy: change.operation) ?? .setElement
            tags[change.field, default: [:]][change.id] = Tag(
                element: element, hlc: change.hlc, kind: kind, removed: tags[change.field]?[change.id]?.removed ?? false)
        case .delete:
            deleteTokens[change.id] = Tag(element: "", hlc: change.hlc, kind: .deleteToken,
                                          removed: deleteTokens[change.id]?.removed ?? false)
        case .remove(let element, let observed):
            for tag in observed {
                // The add may not have arrived yet: remember that it is already removed.
                tags[change.field, default: [:]][tag, default: Tag(element: element, hlc: .zero, kind: .unseen, removed: true)]
                    .removed = true
            }
        case .restore(let observed):
            for token in observed {
                deleteTokens[token, default: Tag(element: "", hlc: .zero, kind: .deleteToken, removed: true)].removed = true
            }
        case .signature, .roster, .unknown:
            break
        }
    }

    /// The present elements of a set field, sorted by UTF-8 bytes.
    ///
    /// Elements are distinct by their bytes, not by `String` equality (canonical equivalence),
    /// which would keep whichever of "caf\u{E9}" and "cafe\u{301}" came first.
    public func elements(_ field: String) -> [String] {
        let present = (tags[field] ?? [:]).values.filter { !$0.removed && $0.kind == .setElement }.map(\.element)
            .sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        var distinct: [String] = []
        for element in present where !(distinct.last?.utf8.elementsEqual(element.utf8) ?? false) {
            distinct.append(element)
        }
        return distinct
    }

    /// The entries of a log field in `(hlc, replica, seq)` order.
    public func logEntries(_ field: String) -> [(id: ChangeID, hlc: HLC, text: String)] {
        (tags[field] ?? [:]).filter { $0.value.kind == .logEntry && !$0.value.removed }
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
