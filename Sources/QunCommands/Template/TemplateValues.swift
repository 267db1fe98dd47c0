import ArgumentParser
import QunCore
import QunStore

/// `--set key=value`: values for a template's placeholders, given when it is rendered.
struct TemplateValues: ParsableArguments {
    @Option(name: .customLong("set"), help: ArgumentHelp("A placeholder's value, e.g. group=周末读书会 (repeatable).", valueName: "key=value"))
    var pairs: [String] = []

    func validate() throws {
        _ = try values()
    }

    /// The values by key; the last of one key wins.
    func values() throws -> [String: String] {
        var given: [String: String] = [:]
        for pair in pairs {
            guard let equals = pair.firstIndex(of: "="), equals != pair.startIndex else {
                throw ValidationError("--set takes key=value (e.g. --set group=周末读书会), not '\(pair)'")
            }
            given[String(pair[..<equals])] = String(pair[pair.index(after: equals)...])
        }
        return given
    }
}

/// Rendered messages, for pasting: one message as it is, several each under a line naming
/// the member; or `[{member, member_name, text}]` for `--json`.
enum RenderedMessages {
    static func print(_ renderings: [TemplateRendering]) {
        for (index, rendering) in renderings.enumerated() {
            if renderings.count > 1 {
                if index > 0 { Console.print("") }
                if let member = rendering.member { Console.print("# \(member.name) (\(member.shortID))") }
            }
            Console.print(rendering.text)
        }
    }

    static func json(_ renderings: [TemplateRendering]) -> JSON {
        .array(renderings.map { rendering in
            .object([
                ("member", rendering.member.map { .string($0.id) } ?? .null),
                ("member_name", rendering.member.map { .string($0.name) } ?? .null),
                ("text", .string(rendering.text)),
            ])
        })
    }
}
