import QunCore

extension Store {
    /// What an open store may change about itself after opening: kept together in one value
    /// behind one lock (`Store.settings`) because the server shares one `Store` between the
    /// tasks serving its peers, while the CLI sets the command description and an open may
    /// take a new identity.
    struct Settings: Sendable {
        /// This replica's identity, read at open.
        var identity: Identity
        /// Things the operator should be told about opening.
        var notices: [String] = []
        /// Opened without write access.
        var isReadOnly = false
        /// Recorded with the local changes of each write, for `undo`.
        var commandDescription: String?
        /// Which remote changes are too far in the future to apply.
        var skewPolicy: ClockSkewPolicy = .default
    }

    /// Adds a notice for the operator.
    func notify(_ notice: String) {
        settings.withLock { $0.notices.append(notice) }
    }
}
