import ArgumentParser
import Foundation

/// Options every command accepts; `--store` may come before or after the verb.
public struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The store directory.", valueName: "dir"))
    public var store: String?

    @Flag(name: .long, help: "Print no notes on stderr (results and errors still appear).")
    public var quiet = false

    @Flag(name: .long, help: "Print extra details on stderr.")
    public var verbose = false

    public init() {}

    /// ArgumentParser validates every option group it parses: the place to hand the
    /// verbosity flags to `Console` (reset by `QunMain` before each command line).
    public func validate() throws {
        if quiet && verbose { throw ValidationError("--quiet and --verbose contradict each other: give one") }
        if quiet { Console.quiet = true }
        if verbose { Console.verbose = true }
    }

    /// `--store`, else `$QUN_STORE`, else `$XDG_DATA_HOME/qun/default`, else
    /// `~/.local/share/qun/default`.
    public var storeDirectory: URL {
        let environment = ProcessInfo.processInfo.environment
        if let store, !store.isEmpty { return URL(fileURLWithPath: store) }
        if let path = environment["QUN_STORE"], !path.isEmpty { return URL(fileURLWithPath: path) }
        let base = environment["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : URL(fileURLWithPath: $0) }
            ?? FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".local/share")
        return base.appendingPathComponent("qun/default")
    }
}

/// `--json` for commands whose output scripts read.
public struct JSONOption: ParsableArguments {
    @Flag(name: .long, help: "Print JSON (stable keys, documented in the README) instead of text.")
    public var json = false

    public init() {}
}
