/// What the template commands refuse beyond the store-wide `StoreError`s.
public enum TemplateError: Error, Equatable, CustomStringConvertible {
    /// A `{` with no `}` after it.
    case unclosedPlaceholder(text: String)
    /// A `}` that closes nothing (write `}}` for a brace).
    case strayBrace(text: String)
    /// `{}` or a key with spaces or braces.
    case badPlaceholder(String)
    /// A placeholder that is neither a member field, nor a value qun knows, nor given.
    case unknownPlaceholder(template: String, placeholder: String, known: [String])
    /// A member field the template uses that this member does not have.
    case missingValue(template: String, placeholder: String, member: String)
    /// A template using member fields rendered without a member.
    case needsMember(template: String, placeholders: [String])
    /// A template of this name is in the store already.
    case exists(name: String, id: String)

    public var description: String {
        switch self {
        case .unclosedPlaceholder:
            return "a '{' in the text is never closed: placeholders are written {name}; write {{ for a brace itself"
        case .strayBrace:
            return "a '}' in the text closes no placeholder: write }} for a brace itself"
        case .badPlaceholder(let key):
            return "invalid placeholder '{\(key)}': a placeholder is a word in braces without spaces, such as {name} or {群名}"
        case .unknownPlaceholder(let template, let placeholder, let known):
            return "template \(template) uses {\(placeholder)}, which is not a member field, a team setting or a value qun knows (\(known.map { "{\($0)}" }.joined(separator: " "))): give it a value when rendering (see `qun help templates`)"
        case .missingValue(let template, let placeholder, let member):
            return "template \(template) uses {\(placeholder)} but member \(member) has none: set it on the member, or give it a value when rendering"
        case .needsMember(let template, let placeholders):
            return "template \(template) uses member fields (\(placeholders.map { "{\($0)}" }.joined(separator: " "))): name the member(s) to render it for"
        case .exists(let name, let id):
            return "template \(name) exists already (\(id.prefix(8))): change its text instead (`qun template edit`)"
        }
    }
}
