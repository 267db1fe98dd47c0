#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The lines of an export, read through a buffer of `ChatTextLines.chunkSize` bytes: each
/// line is handed over as bytes (without its LF or CRLF) with its 1-based number, and is only
/// valid during the call. Memory stays at the buffer, plus the longest line if that is longer.
///
/// Only LF ends a line (a CR before it is dropped): QQ and the WeChat tools write CRLF or LF;
/// a lone CR (classic Mac OS) is kept as a character.
struct ChatTextLines {
    static let chunkSize = 1 << 20

    private var source: ChatByteSource

    init(source: ChatByteSource) {
        self.source = source
    }

    mutating func forEach(_ body: (UnsafeBufferPointer<UInt8>, Int) throws -> Void) throws {
        var capacity = ChatTextLines.chunkSize
        var buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: capacity, alignment: 16)
        defer { buffer.deallocate() }
        var start = 0
        var end = 0
        var number = 0

        func emit(_ from: Int, _ to: Int) throws {
            var stop = to
            if stop > from, buffer[stop - 1] == 0x0D { stop -= 1 }
            number += 1
            let bytes = UnsafeBufferPointer(start: buffer.baseAddress!.assumingMemoryBound(to: UInt8.self) + from,
                                            count: stop - from)
            try body(bytes, number)
        }

        while true {
            // Every complete line in the buffer.
            while start < end {
                guard let found = memchr(buffer.baseAddress! + start, 0x0A, end - start) else { break }
                let newline = buffer.baseAddress!.distance(to: UnsafeMutableRawPointer(found))
                try emit(start, newline)
                start = newline + 1
            }
            // Keep the unfinished line at the front; grow only for a line longer than the buffer.
            if start > 0 {
                let rest = end - start
                if rest > 0 { buffer.baseAddress!.copyMemory(from: buffer.baseAddress! + start, byteCount: rest) }
                start = 0
                end = rest
            } else if end == capacity {
                let bigger = UnsafeMutableRawBufferPointer.allocate(byteCount: capacity * 2, alignment: 16)
                bigger.baseAddress!.copyMemory(from: buffer.baseAddress!, byteCount: end)
                buffer.deallocate()
                buffer = bigger
                capacity *= 2
            }
            let n = try source.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[end..<capacity]))
            if n == 0 {
                if end > start { try emit(start, end) }
                return
            }
            end += n
        }
    }
}

extension UnsafeBufferPointer where Element == UInt8 {
    /// The bytes as a String, or nil when they are not valid UTF-8.
    var utf8String: String? { String(validating: self, as: UTF8.self) }

    /// Only spaces and tabs (or nothing).
    var isBlank: Bool { allSatisfy { $0 == 0x20 || $0 == 0x09 } }

    func hasPrefix(_ prefix: [UInt8]) -> Bool {
        count >= prefix.count && prefix.indices.allSatisfy { self[$0] == prefix[$0] }
    }
}
