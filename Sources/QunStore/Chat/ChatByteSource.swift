#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// The system calls by other names: `ChatByteSource` has a `read` and a `close` of its own.
private func systemOpen(_ path: String) -> Int32 { open(path, O_RDONLY) }
private func systemRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int { read(fd, buffer, count) }
private func systemClose(_ fd: Int32) -> Int32 { close(fd) }

/// The bytes of an export as UTF-8, a buffer at a time: exports reach hundreds of megabytes,
/// so the file is never held whole.
///
/// A UTF-8 byte order mark is dropped. Old QQ versions saved their text export as UTF-16
/// (with a byte order mark); such files are transcoded to UTF-8 here, so the readers above
/// only ever see UTF-8 (an unpaired surrogate becomes U+FFFD). Bytes that are not valid
/// UTF-8 are passed on untouched: the readers report them by line.
struct ChatByteSource {
    enum Encoding { case utf8, utf16LE, utf16BE }

    private enum Origin {
        case file(Int32)
        case bytes([UInt8], position: Int)
    }

    private var origin: Origin
    /// For error messages.
    let path: String
    private(set) var encoding: Encoding = .utf8
    private var started = false
    /// Raw bytes read ahead (the byte order mark test, an odd byte of UTF-16).
    private var pending: [UInt8] = []
    /// A UTF-16 high surrogate waiting for its low half.
    private var highSurrogate: UInt16?
    private var raw: [UInt8] = []

    /// Opens the file; the caller must `close()` it.
    init(path: String) throws {
        let fd = systemOpen(path)
        guard fd >= 0 else {
            let reason = errno == ENOENT ? "no such file" : String(cString: strerror(errno))
            throw ChatReadError.unreadable(path: path, reason: reason)
        }
        var info = stat()
        if fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR {
            _ = systemClose(fd)
            throw ChatReadError.unreadable(path: path, reason: "it is a directory")
        }
        origin = .file(fd)
        self.path = path
    }

    init(bytes: [UInt8]) {
        origin = .bytes(bytes, position: 0)
        path = "(bytes)"
    }

    mutating func close() {
        if case .file(let fd) = origin, fd >= 0 {
            _ = systemClose(fd)
            origin = .file(-1)
        }
    }

    /// Reads raw bytes into `buffer`; 0 at the end.
    private mutating func readRaw(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard buffer.count > 0 else { return 0 }
        switch origin {
        case .file(let fd):
            guard fd >= 0 else { return 0 }
            while true {
                let n = systemRead(fd, buffer.baseAddress, buffer.count)
                if n >= 0 { return n }
                if errno == EINTR { continue }
                throw ChatReadError.unreadable(path: path, reason: String(cString: strerror(errno)))
            }
        case .bytes(let bytes, let position):
            let n = min(buffer.count, bytes.count - position)
            if n > 0 {
                bytes.withUnsafeBytes { source in
                    buffer.baseAddress!.copyMemory(from: source.baseAddress! + position, byteCount: n)
                }
            }
            origin = .bytes(bytes, position: position + n)
            return n
        }
    }

    /// Raw bytes, the ones read ahead first.
    private mutating func readRawWithPending(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        if !pending.isEmpty {
            let n = min(buffer.count, pending.count)
            pending.withUnsafeBytes { buffer.baseAddress!.copyMemory(from: $0.baseAddress!, byteCount: n) }
            pending.removeFirst(n)
            return n
        }
        return try readRaw(into: buffer)
    }

    private mutating func start() throws {
        started = true
        var head = [UInt8](repeating: 0, count: 3)
        var have = 0
        while have < 3 {
            let n = try head.withUnsafeMutableBytes { try readRaw(into: UnsafeMutableRawBufferPointer(rebasing: $0[have...])) }
            if n == 0 { break }
            have += n
        }
        head.removeLast(3 - have)
        if head.starts(with: [0xEF, 0xBB, 0xBF]) {
            head.removeFirst(3)
        } else if head.starts(with: [0xFF, 0xFE]) {
            encoding = .utf16LE
            head.removeFirst(2)
        } else if head.starts(with: [0xFE, 0xFF]) {
            encoding = .utf16BE
            head.removeFirst(2)
        }
        pending = head
    }

    /// Fills `buffer` with UTF-8 bytes; returns how many, 0 at the end of the file.
    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        if !started { try start() }
        if encoding == .utf8 { return try readRawWithPending(into: buffer) }
        // UTF-16: up to three UTF-8 bytes per two raw bytes, so read at most 2/3 of the room.
        let room = buffer.count
        guard room >= 12 else { return 0 }
        while true {
            let want = max(2, (room - 8) / 3 * 2)
            // Out of `self` while it is filled, as reading mutates `self`.
            var scratch = raw
            raw = []
            defer { raw = scratch }
            if scratch.count < want { scratch = [UInt8](repeating: 0, count: want) }
            let carried = pending.count
            for (i, b) in pending.enumerated() { scratch[i] = b }
            pending.removeAll()
            let n = try scratch.withUnsafeMutableBytes {
                try readRaw(into: UnsafeMutableRawBufferPointer(rebasing: $0[carried..<want]))
            }
            let total = carried + n
            if total == 0 {
                if highSurrogate != nil {
                    highSurrogate = nil
                    return write(0xFFFD, to: buffer, at: 0)
                }
                return 0
            }
            if n == 0 && total == 1 {
                // A lone last byte: not a code unit.
                return write(0xFFFD, to: buffer, at: 0)
            }
            let usable = total & ~1
            if usable < total { pending = [scratch[usable]] }
            let out = transcode(scratch, count: usable, into: buffer)
            if out > 0 || n == 0 { return out }
        }
    }

    private mutating func transcode(_ raw: [UInt8], count: Int, into buffer: UnsafeMutableRawBufferPointer) -> Int {
        var out = 0
        var i = 0
        let bigEndian = encoding == .utf16BE
        while i < count {
            let unit = bigEndian ? UInt16(raw[i]) << 8 | UInt16(raw[i + 1]) : UInt16(raw[i + 1]) << 8 | UInt16(raw[i])
            i += 2
            if let high = highSurrogate {
                highSurrogate = nil
                if (0xDC00...0xDFFF).contains(unit) {
                    let scalar = 0x10000 + ((UInt32(high) - 0xD800) << 10) + (UInt32(unit) - 0xDC00)
                    out = write(scalar, to: buffer, at: out)
                    continue
                }
                out = write(0xFFFD, to: buffer, at: out)
            }
            if (0xD800...0xDBFF).contains(unit) {
                highSurrogate = unit
            } else if (0xDC00...0xDFFF).contains(unit) {
                out = write(0xFFFD, to: buffer, at: out)
            } else {
                out = write(UInt32(unit), to: buffer, at: out)
            }
        }
        return out
    }

    /// Writes one scalar as UTF-8; returns the new end.
    private func write(_ scalar: UInt32, to buffer: UnsafeMutableRawBufferPointer, at start: Int) -> Int {
        var at = start
        func put(_ byte: UInt32) { buffer[at] = UInt8(truncatingIfNeeded: byte); at += 1 }
        switch scalar {
        case 0..<0x80: put(scalar)
        case 0x80..<0x800: put(0xC0 | scalar >> 6); put(0x80 | scalar & 0x3F)
        case 0x800..<0x10000: put(0xE0 | scalar >> 12); put(0x80 | scalar >> 6 & 0x3F); put(0x80 | scalar & 0x3F)
        default:
            put(0xF0 | scalar >> 18); put(0x80 | scalar >> 12 & 0x3F)
            put(0x80 | scalar >> 6 & 0x3F); put(0x80 | scalar & 0x3F)
        }
        return at
    }
}
