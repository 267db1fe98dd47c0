import QunStore

/// The command line's words for what the store refuses. The store says what is wrong without
/// knowing how it was asked (a REPL line, a script, the sync server); here the message gains
/// the commands and flags that put it right. An error not listed keeps the store's words.
enum ErrorWording {
    static func message(for error: any Error) -> String? {
        switch error {
        case let error as StoreError: return store(error)
        case let error as EventError: return event(error)
        case let error as TemplateError: return template(error)
        case let error as PostError: return post(error)
        case let error as ImportError: return importing(error)
        case InviteRefusal.expired: return "this invite has expired: ask an admin for a new one (`qun team invite --expires 24h`)"
        default: return nil
        }
    }

    private static func store(_ error: StoreError) -> String? {
        switch error {
        case .notFound(let noun, _):
            let list = CommandRecordKinds.all.first { $0.noun == noun }?.listCommand ?? (noun == "peer" ? "qun peer list" : nil)
            return list.map { "\(error.description) (see `\($0)`)" }
        case .notAStore(let path):
            return "no qun store at \(path): create one with `qun --store \(path) init --name YOUR_NAME`"
        case .alreadyExists(let path):
            return "a qun store already exists at \(path); use it, or pick another --store directory"
        case .corruptRow(let table, let detail):
            return "the store's \(table) table holds a damaged row (\(detail)): the store file may be damaged, and nothing was changed. Keep a copy of the store directory, then re-create the store with `qun init --join INVITE` (or `qun init`) and take your teammates' data back with `qun sync PEER` or `qun bundle import FILE` from a teammate's bundle"
        case .noTeam:
            return "this store belongs to no team: create it with `qun init --name NAME`, or join with `qun init --name NAME --join INVITE`"
        case .emptyEdit(let what):
            let flags: [String: String] = [
                "member": "give at least one of --name, --role, --city, --tag, --untag …",
                "task": "give at least one of --title, --assignee, --due, --priority, --tag, --untag …",
                "event": "give at least one of --title, --start, --end, --place, --city, …",
                "retrospective": "give --achieved, --missed or --keep lines, or --mark-reviewed",
                "template": "give --text or --name",
                "post": "give at least one of --title, --at, --channel, --owner, --template",
                "reward": "give --gift, --points or --note",
            ]
            return flags[what].map { "nothing to change: \($0)" }
        case .invalidValue("until", let value, _):
            return "invalid until '\(value)': expected no --until without --recur: only a recurring task has an end"
        default:
            return nil
        }
    }

    private static func event(_ error: EventError) -> String? {
        switch error {
        case .noStart(let id, _):
            return "\(error.description) with `qun event edit \(id.prefix(8)) --start YYYY-MM-DD`"
        case .endBeforeStart:
            return "\(error.description) (--end)"
        default:
            return nil
        }
    }

    private static func template(_ error: TemplateError) -> String? {
        switch error {
        case .unknownPlaceholder(let template, let placeholder, let known):
            return "template \(template) uses {\(placeholder)}, which is not a member field, a team setting or a value qun knows (\(known.map { "{\($0)}" }.joined(separator: " "))): set it for the team with `qun team set \(placeholder) VALUE`, or give it with --set \(placeholder)=VALUE (see `qun help templates`)"
        case .missingValue(let template, let placeholder, let member):
            return "template \(template) uses {\(placeholder)} but member \(member) has none: set it with `qun member edit`, or give --set \(placeholder)=VALUE"
        case .exists(let name, let id):
            return "template \(name) exists already (\(id.prefix(8))): change it with `qun template edit \(name) --text …`"
        default:
            return nil
        }
    }

    private static func post(_ error: PostError) -> String? {
        switch error {
        case .routineDone(let id, _):
            return "\(error.description): give today's by its title, or another day's by its id (`qun post list template:\(id.prefix(8))`)"
        case .untilWithoutRecur:
            return "--until needs --recur: only a recurring post has an end"
        case .untilBeforeFirst:
            return "\(error.description) (--until, --at)"
        case .needsTime:
            return "\(error.description): give --at DAYTHH:MM"
        default:
            return nil
        }
    }

    private static func importing(_ error: ImportError) -> String? {
        switch error {
        case .unknownColumns(let columns):
            let list = columns.map { "'\($0)'" }.joined(separator: ", ")
            let example = columns.first ?? "COLUMN"
            return "unknown column\(columns.count == 1 ? "" : "s") \(list); nothing was imported. Map each to a member field with --map '\(example)=FIELD' or ignore it with --map '\(example)=-' (fields: \(MemberColumns.fieldNames.joined(separator: ", ")))"
        case .duplicateField(let field, let columns):
            let list = columns.map { "'\($0)'" }.joined(separator: " and ")
            return "columns \(list) both hold \(field); nothing was imported. Ignore one with --map '\(columns.last ?? "COLUMN")=-'"
        case .noNameColumn(let columns):
            let list = columns.map { "'\($0)'" }.joined(separator: ", ")
            return "no column holds the member's name (columns: \(list)); nothing was imported. Name it name or 姓名, or give --map 'COLUMN=name'"
        case .invalidMapping(let reason):
            return "invalid --map: \(reason)"
        case .mappedColumnMissing(let column, let columns):
            let list = columns.map { "'\($0)'" }.joined(separator: ", ")
            return "--map names column '\(column)', which the header does not have (columns: \(list))"
        default:
            return nil
        }
    }
}
