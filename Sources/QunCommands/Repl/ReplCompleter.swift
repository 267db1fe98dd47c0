import ArgumentParser
import Foundation
import QunStore

/// Tab completion for the REPL: command words from the ArgumentParser tree, the flags of the
/// command being typed, and from the store what the command names: members (names, numbers,
/// ids, tags, cities), tasks and events (titles, ids), templates (names, ids), posts (titles, ids) and operators.
struct ReplCompleter {
    /// Words the REPL itself understands at the start of a line.
    static let replWords = ["help", "quit", "exit"]

    /// Opens the store lazily, so that completion never fails the session.
    let store: () -> Store?

    func complete(before: String, word: String) -> [String] {
        let tokens = (try? ReplTokenizer.split(before)) ?? before.split(whereSeparator: \.isWhitespace).map(String.init)
        var type: ParsableCommand.Type = Qun.self
        var path: [String] = []
        var positionals = 0
        var sawWord = false
        var isHelp = false
        var skipNext = false
        for token in tokens {
            if skipNext { skipNext = false; continue }
            if token == "--store" { skipNext = true; continue }
            if token.hasPrefix("-") {
                if Self.options(of: type)[token] == true { skipNext = true }
                continue
            }
            defer { sawWord = true }
            if !sawWord && token == "help" { isHelp = true; continue }
            if positionals == 0, let sub = Self.subcommands(of: type)[token] {
                type = sub
                path.append(Self.name(of: sub))
            } else {
                positionals += 1
            }
        }
        let previous = tokens.last
        func matching(_ candidates: [String]) -> [String] {
            Array(Set(candidates.filter { $0.hasPrefix(word) }))
        }
        if previous == "--store" { return [] }
        if word.hasPrefix("-"), !word.hasPrefix("--") || !isHelp {
            if !word.hasPrefix("--"), word.count > 1 { return [] }  // -tag filters of `member list`
            return matching(Array(Self.options(of: type).keys) + ["--help"])
        }
        let subcommands = Self.subcommands(of: type)
        if !subcommands.isEmpty, positionals == 0 {
            return matching(Array(subcommands.keys) + (sawWord || isHelp ? [] : Self.replWords))
        }
        if isHelp { return [] }
        if let previous, previous.hasPrefix("--") {
            let name = previous.split(separator: "=").first.map(String.init) ?? previous
            if Self.options(of: type)[name] == true {
                if name.contains("tag") { return matching(tags()) }
                if name == "--city" { return matching(cities()) }
                if name == "--kol" || name == "--referrer" { return matching(memberReferences()) }
                if name == "--event" { return matching(eventReferences()) }
                if name == "--welcome" || name == "--template" { return matching(templateReferences()) }
                if name == "--assignee" || name == "--owner" { return matching(operators()) }
                return []
            }
        }
        if word.hasPrefix("+") { return matching(tags().map { "+" + $0 }) }
        switch path.first {
        case "task":
            return matching(taskReferences())
        case "event":
            // `event signup EVENT MEMBER...`: the event first, then members.
            return matching(positionals == 0 ? eventReferences() : memberReferences())
        case "template":
            // `template render TEMPLATE MEMBER...`: the template first, then members.
            return matching(positionals == 0 ? templateReferences() : memberReferences())
        case "post":
            return matching(postReferences())
        case "reward":
            // `reward add MEMBER`; every other reward command names rewards.
            return matching(path.dropFirst().first == "add" ? memberReferences() : rewardReferences())
        default:
            return matching(memberReferences())
        }
    }

    private func taskReferences() -> [String] {
        ((try? store()?.tasks()) ?? []).flatMap { [ReplTokenizer.escape($0.title), $0.shortID] }
    }

    private func eventReferences() -> [String] {
        ((try? store()?.events()) ?? []).flatMap { [ReplTokenizer.escape($0.title), $0.shortID] }
    }

    private func templateReferences() -> [String] {
        ((try? store()?.templates()) ?? []).flatMap { [ReplTokenizer.escape($0.name), $0.shortID] }
    }

    private func postReferences() -> [String] {
        ((try? store()?.posts()) ?? []).flatMap { [ReplTokenizer.escape($0.title), $0.shortID] }
    }

    private func rewardReferences() -> [String] {
        ((try? store()?.rewards()) ?? []).map(\.shortID)
    }

    private func operators() -> [String] {
        ((try? store()?.operatorNames()) ?? [:]).values.map(ReplTokenizer.escape)
    }

    private func members() -> [Member] {
        (try? store()?.members()) ?? []
    }

    private func memberReferences() -> [String] {
        members().flatMap { member in
            [ReplTokenizer.escape(member.name), member.shortID] + (member.number.map { [$0] } ?? [])
        }
    }

    private func tags() -> [String] {
        members().flatMap(\.tags).map(ReplTokenizer.escape)
    }

    private func cities() -> [String] {
        members().compactMap(\.city).map(ReplTokenizer.escape)
    }

    // MARK: The command tree

    nonisolated(unsafe) private static var optionCache: [ObjectIdentifier: [String: Bool]] = [:]

    static func name(of type: ParsableCommand.Type) -> String {
        type.configuration.commandName ?? type._commandName
    }

    static func subcommands(of type: ParsableCommand.Type) -> [String: ParsableCommand.Type] {
        var result: [String: ParsableCommand.Type] = [:]
        for sub in type.configuration.subcommands {
            result[name(of: sub)] = sub
            for alias in sub.configuration.aliases { result[alias] = sub }
        }
        return result
    }

    /// Every command path (`member add`, `peer list`, ...) below `type`.
    static func commandPaths(of type: ParsableCommand.Type = Qun.self, prefix: [String] = []) -> [[String]] {
        type.configuration.subcommands.flatMap { sub -> [[String]] in
            let path = prefix + [name(of: sub)]
            return [path] + commandPaths(of: sub, prefix: path)
        }
    }

    /// The `--long` options of a command and whether each takes a value, read from its help
    /// screen (ArgumentParser's public API has no list of a command's arguments).
    static func options(of type: ParsableCommand.Type) -> [String: Bool] {
        let key = ObjectIdentifier(type)
        if let cached = optionCache[key] { return cached }
        let help = type.helpMessage(includeHidden: false, columns: 10_000)
        var options: [String: Bool] = [:]
        let section = help.range(of: "OPTIONS:").map { help[$0.upperBound...] } ?? Substring(help)
        for line in section.split(separator: "\n") {
            let trimmed = line.drop { $0 == " " }
            // An option line starts with its names: `-s, --long <value>   help`.
            guard trimmed.hasPrefix("-") else { continue }
            let head = trimmed.components(separatedBy: "  ").first ?? ""
            let takesValue = head.contains("<")
            for piece in head.split(whereSeparator: { $0 == " " || $0 == "," }) where piece.hasPrefix("--") {
                options[String(piece)] = takesValue
            }
        }
        options["--help"] = nil
        optionCache[key] = options
        return options
    }
}
