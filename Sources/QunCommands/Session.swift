import Foundation
import QunStore

/// The state that outlives one command: the open store. Commands are values rebuilt for
/// every invocation (and every REPL line); the store they work on is kept here so that a
/// session opens it once.
public final class Session: @unchecked Sendable {
    public nonisolated(unsafe) static var current = Session()

    private var stores: [String: Store] = [:]
    private let lock = NSLock()

    /// The command line being run, without global options: recorded with its changes so
    /// that `undo` can say what it reverses.
    public var commandLine: String?

    public init() {}

    /// The wall clock behind new changes. `QUN_CLOCK_OFFSET_MS` shifts it, to rehearse what
    /// a laptop with a wrong clock does to its teammates (tests and demos only).
    public static let clock: @Sendable () -> Int64 = {
        let offset = ProcessInfo.processInfo.environment["QUN_CLOCK_OFFSET_MS"].flatMap { Int64($0) } ?? 0
        return { Store.systemClock() + offset }
    }()

    /// Opens (once) the store in `directory`, printing any notice it has (such as a new
    /// replica id after the store was copied) to stderr.
    public func store(at directory: URL) throws -> Store {
        lock.lock()
        defer { lock.unlock() }
        let key = directory.standardizedFileURL.path
        if let store = stores[key] { return store }
        let store = try Store.open(at: directory, now: Session.clock)
        for notice in store.notices { Console.note(notice) }
        stores[key] = store
        return store
    }

    /// Closes every store this session opened (see `Store.close`). A store that cannot close
    /// now (another process may be checkpointing) is left to the operating system: nothing
    /// is lost, the next command reads the log back.
    public func closeAll() {
        lock.lock()
        defer { lock.unlock() }
        for store in stores.values { do { try store.close() } catch { Console.detail("could not close the store: \(error)") } }
        stores.removeAll()
    }

    func register(_ store: Store) {
        lock.lock()
        defer { lock.unlock() }
        stores[store.directory.standardizedFileURL.path] = store
    }
}

extension GlobalOptions {
    /// The store this invocation works on.
    public func openStore() throws -> Store {
        let store = try Session.current.store(at: storeDirectory)
        store.commandDescription = Session.current.commandLine
        return store
    }
}
