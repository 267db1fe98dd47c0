#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One CSV record: its fields' bytes one after another in `bytes`, and where each ends.
/// Reused from record to record, so a million rows allocate almost nothing.
struct ChatCSVRecord {
    /// The line the record starts on.
    var line = 0
    var bytes: [UInt8] = []
    var ends: [Int] = []

    var count: Int { ends.count }

    mutating func reset(line: Int) {
        self.line = line
        bytes.removeAll(keepingCapacity: true)
        ends.removeAll(keepingCapacity: true)
    }

    /// True when every field is empty or spaces (a line of commas).
    var isEmpty: Bool { bytes.allSatisfy { $0 == 0x20 || $0 == 0x09 } }

    func withField<R>(_ index: Int, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        bytes.withUnsafeBufferPointer { all in
            guard index >= 0, index < ends.count else { return body(UnsafeBufferPointer(rebasing: all[0..<0])) }
            let start = index == 0 ? 0 : ends[index - 1]
            return body(UnsafeBufferPointer(rebasing: all[start..<ends[index]]))
        }
    }

    /// The field as text without surrounding spaces; "" for a column the record lacks (or no
    /// column), nil when its bytes are not UTF-8.
    func string(_ index: Int?) -> String? {
        guard let index else { return "" }
        return withField(index) { field in
            var lo = 0
            var hi = field.count
            while lo < hi, field[lo] == 0x20 || field[lo] == 0x09 { lo += 1 }
            while hi > lo, field[hi - 1] == 0x20 || field[hi - 1] == 0x09 { hi -= 1 }
            return UnsafeBufferPointer(rebasing: field[lo..<hi]).utf8String
        }
    }

    /// The field untrimmed (a message's own spacing is kept); nil when not UTF-8.
    func text(_ index: Int?) -> String? {
        guard let index else { return "" }
        return withField(index) { $0.utf8String }
    }
}

/// RFC 4180 CSV over the lines of `ChatTextLines`: quoted fields hold commas, `""` and line
/// breaks (kept as "\n"); each record says the line it starts on. Blank lines are no records.
///
/// A quote that never closes would swallow the rest of the file into one field — or, worse,
/// pair with the next quote some rows later and silently merge those rows into one message.
/// So a record still open at the end of the file, after `maxRecordLines` lines or
/// `maxRecordBytes` bytes, or when a line inside its quotes looks like the start of a new
/// record (exactly as many fields as the header, the first a time or a number, as chat
/// exports' first columns are), is reported as an unclosed quote on its first line and
/// dropped, and the lines after that first one are read again as records: one bad quote costs
/// one line, not the file. (A message line shaped exactly like a record of the file is the
/// price: it ends the message.) Only a record spanning several lines keeps a copy of its lines.
struct ChatCSVStream {
    static let maxRecordLines = 10_000
    static let maxRecordBytes = 1 << 20

    private(set) var problems: [ChatProblem] = []
    private var record = ChatCSVRecord()
    private var inQuotes = false
    private var atFieldStart = true
    /// The lines of the record in progress, once it spans more than one.
    private var heldLines: [[UInt8]] = []
    /// The header's field count, once the header is read.
    private var expectedFields: Int?

    mutating func feed(_ line: UnsafeBufferPointer<UInt8>, _ number: Int, emit: (ChatCSVRecord) throws -> Void) throws {
        while inQuotes, let expected = expectedFields, expected >= 2,
              ChatCSVStream.looksLikeRecordStart(line, fields: expected) {
            try giveUp(emit: emit)
        }
        if inQuotes {
            record.bytes.append(0x0A)
            heldLines.append(Array(line))
        } else {
            if line.isEmpty { return }
            record.reset(line: number)
            atFieldStart = true
        }
        parse(line)
        if inQuotes {
            if heldLines.isEmpty { heldLines.append(Array(line)) }
            if heldLines.count > ChatCSVStream.maxRecordLines || record.bytes.count > ChatCSVStream.maxRecordBytes {
                try giveUp(emit: emit)
            }
            return
        }
        heldLines.removeAll(keepingCapacity: false)
        if expectedFields == nil { expectedFields = record.count }
        try emit(record)
    }

    mutating func finish(emit: (ChatCSVRecord) throws -> Void) throws {
        while inQuotes { try giveUp(emit: emit) }
    }

    private mutating func giveUp(emit: (ChatCSVRecord) throws -> Void) throws {
        let first = record.line
        let again = heldLines.dropFirst()
        heldLines = []
        inQuotes = false
        problems.append(ChatProblem(line: first, reason: "a quoted field opens on this line and is never closed (a \" is missing); the line is skipped"))
        for (offset, line) in again.enumerated() {
            try line.withUnsafeBufferPointer { try feed($0, first + 1 + offset, emit: emit) }
        }
    }

    /// `fields` fields (quotes respected), the first a time or a number.
    static func looksLikeRecordStart(_ line: UnsafeBufferPointer<UInt8>, fields: Int) -> Bool {
        guard let first = line.first, first != 0x22 else { return false }
        var count = 1
        var quoted = false
        var atStart = true
        var firstEnd = line.count
        var i = 0
        while i < line.count {
            let b = line[i]
            i += 1
            if quoted {
                if b == 0x22 {
                    if i < line.count, line[i] == 0x22 { i += 1 } else { quoted = false }
                }
                continue
            }
            if b == 0x2C {
                if count == 1 { firstEnd = i - 1 }
                count += 1
                atStart = true
                continue
            }
            if b == 0x22 && atStart { quoted = true }
            atStart = false
        }
        guard !quoted, count == fields, firstEnd > 0 else { return false }
        let head = UnsafeBufferPointer(rebasing: line[..<firstEnd])
        if head.allSatisfy({ $0 &- 0x30 < 10 }) { return true }
        if let (_, end) = ChatTimeText.scan(head, requireSeconds: false) { return end >= head.count - 10 }
        return false
    }

    private mutating func parse(_ line: UnsafeBufferPointer<UInt8>) {
        let n = line.count
        var i = 0
        while i < n {
            if inQuotes {
                // Up to the next quote in one copy.
                let rest = n - i
                let found = memchr(line.baseAddress! + i, 0x22, rest)
                let stop = found.map { line.baseAddress!.distance(to: $0.assumingMemoryBound(to: UInt8.self)) } ?? n
                if stop > i { record.bytes.append(contentsOf: UnsafeBufferPointer(rebasing: line[i..<stop])) }
                i = stop
                guard i < n else { break }
                if i + 1 < n, line[i + 1] == 0x22 {
                    record.bytes.append(0x22)
                    i += 2
                } else {
                    inQuotes = false
                    i += 1
                }
                continue
            }
            let b = line[i]
            if b == 0x2C {
                record.ends.append(record.bytes.count)
                atFieldStart = true
                i += 1
            } else if b == 0x22 && atFieldStart {
                inQuotes = true
                atFieldStart = false
                i += 1
            } else {
                atFieldStart = false
                var stop = i + 1
                while stop < n, line[stop] != 0x2C, line[stop] != 0x22 { stop += 1 }
                record.bytes.append(contentsOf: UnsafeBufferPointer(rebasing: line[i..<stop]))
                i = stop
            }
        }
        if !inQuotes { record.ends.append(record.bytes.count) }
    }
}
