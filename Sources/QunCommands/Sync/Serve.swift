import ArgumentParser

// Placeholder: replaced by the HTTP server work.
struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Serve sync for teammates over HTTP.")
    @OptionGroup var globals: GlobalOptions
}
