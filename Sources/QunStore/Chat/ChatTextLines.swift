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
    /// The bytes as a String, or nil when they are not valid UTF-8. Checked here rather than
    /// by `String(validating:as:)`, which is generic and unspecialised: it cost a fifth of the
    /// time of reading a million CSV rows.
    var utf8String: String? {
        isValidUTF8 ? String(decoding: self, as: UTF8.self) : nil
    }

    /// Well-formed UTF-8: no stray continuation bytes, truncated or overlong sequences,
    /// surrogates or scalars past U+10FFFF.
    var isValidUTF8: Bool {
        var i = 0
        let n = count
        while i < n {
            let b = self[i]
            if b < 0x80 {
                i += 1
                continue
            }
            func continuation(_ k: Int) -> Bool { i + k < n && self[i + k] & 0xC0 == 0x80 }
            if b < 0xC2 { return false }
            if b < 0xE0 {
                guard continuation(1) else { return false }
                i += 2
            } else if b < 0xF0 {
                guard continuation(1), continuation(2) else { return false }
                if b == 0xE0 && self[i + 1] < 0xA0 || b == 0xED && self[i + 1] >= 0xA0 { return false }
                i += 3
            } else if b < 0xF5 {
                guard continuation(1), continuation(2), continuation(3) else { return false }
                if b == 0xF0 && self[i + 1] < 0x90 || b == 0xF4 && self[i + 1] >= 0x90 { return false }
                i += 4
            } else {
                return false
            }
        }
        return true
    }

    /// Only spaces and tabs (or nothing).
    var isBlank: Bool { allSatisfy { $0 == 0x20 || $0 == 0x09 } }

    func hasPrefix(_ prefix: [UInt8]) -> Bool {
        count >= prefix.count && prefix.indices.allSatisfy { self[$0] == prefix[$0] }
    }
}
