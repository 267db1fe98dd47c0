import Foundation
import Hummingbird
import NIOCore

extension Response {
    /// A 200 answer with a JSON body (`application/json`).
    static func json(_ value: some Encodable) throws -> Response {
        Response(
            status: .ok, headers: [.contentType: SyncAPI.jsonMediaType],
            body: .init(byteBuffer: ByteBuffer(bytes: try JSONEncoder().encode(value))))
    }
}
