import Crypto
import Foundation
import QunCore

extension String {
    /// Message templates (话术, 欢迎语).
    public static let templateCollection = "template"
}

/// A message template: a named text with `{placeholders}` that `render` fills from a
/// member's fields and values the operator gives. qun cannot post into a chat; it prepares
/// the text, and the team shares one set of templates.
public struct MessageTemplate: Sendable, Equatable {
    public var id: String
    public var name: String
    /// The text, placeholders and all, as written.
    public var body: String
    public var deleted: Bool

    public enum Field: String, CaseIterable, Sendable {
        case name, body
    }

    /// The placeholders the text uses, in order of first use.
    public var placeholders: [String] { (try? TemplateText(body).placeholders) ?? [] }

    /// The record id of the template named `name`: a hash of the name, so that two laptops
    /// adding the welcome message offline make one template, not two that both answer to
    /// "欢迎语". (The text is a register: the later edit wins.)
    public static func id(forName name: String) -> String {
        var hasher = SHA256()
        hasher.update(data: Array("qun template v1\u{0}".utf8))
        hasher.update(data: Array(name.precomposedStringWithCanonicalMapping.utf8))
        return hasher.finalize().prefix(16).map { String(format: "%02x", $0) }.joined()
    }
}
