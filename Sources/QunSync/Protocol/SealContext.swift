import Foundation

/// The context strings an envelope is sealed for (its associated data, see
/// schema/bundle-format.md): what binds a sealed body to the one request, answer or bundle
/// it belongs to.
public enum SealContext {
    /// A request body: the very headers its MAC covers.
    public static func request(team: String, method: String, path: String, replica: String, time: String) -> String {
        "qun/2 request \(team) \(method.uppercased()) \(path) \(replica) \(time)"
    }

    /// A 200 answer body, bound to the request's MAC and, for pull pages, to the cursor the
    /// page continues after.
    public static func response(team: String, path: String, requestMAC: String, binding: String? = nil) -> String {
        var text = "qun/2 response \(team) \(path) \(requestMAC)"
        if let binding { text += " " + binding }
        return text
    }

    /// The binding of a pull page: ` after=HEX:SEQ`, or `after=-` for the first page.
    public static func pullBinding(after cursor: String?) -> String {
        "after=\(cursor ?? "-")"
    }

    public static func bundle(team: String) -> String {
        "qun/2 bundle \(team)"
    }
}
