import Hummingbird
import QunCore

/// What the sync server knows about one request while it is handled.
///
/// `maxUploadSize` is the protocol's body limit, not Hummingbird's 2 MiB default: a page of
/// a few thousand changes is well under it, anything bigger is refused with 413 before it is
/// read further. `peer` is set by `AuthenticationMiddleware` once the request's signature
/// checks out; handlers may rely on it.
struct SyncRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    /// The authenticated requesting replica (`X-Qun-Replica`).
    var peer: ReplicaID?

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        peer = nil
    }

    var maxUploadSize: Int { SyncAPI.maximumBodyBytes }
}
