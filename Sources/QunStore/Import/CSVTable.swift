import CSV
import Foundation

/// A CSV file read whole: the header and the records below it, each with the line of the
/// file it starts on (the header is line 1; a quoted field with line breaks makes a record
/// span several lines, and the next record's number accounts for them).
///
/// Files come from spreadsheet programs: a UTF-8 byte order mark, CRLF line endings,
/// quoted fields holding commas and line breaks, and blank lines at the end are all normal
/// and accepted. Fields are parsed by CSV.swift (RFC 4180). Before that, one pass over the
/// bytes checks what CSV.swift lets through silently — invalid UTF-8, a quote that never
/// closes (it would read to the end of the file as one field), text after a closing quote —
/// and finds where each record starts, which CSV.swift does not report.
public struct CSVTable: Sendable, Equatable {
    public struct Record: Sendable, Equatable {
        /// The line of the file the record starts on.
        public var line: Int
        public var fields: [String]

        public init(line: Int, fields: [String]) {
            self.line = line
            self.fields = fields
        }
    }

    public var header: [String]
    /// Data records, without blank lines (lines holding nothing, or only commas).
    public var records: [Record]

    public init(contentsOf url: URL) throws {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            let reason = FileManager.default.fileExists(atPath: url.path) ? "it cannot be read" : "no such file"
            throw ImportError.unreadable(path: url.path, reason: reason)
        }
        try self.init(data: data)
    }

    public init(data: Data) throws {
        var bytes = [UInt8](data)
        var skipped = 0
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            bytes.removeFirst(3)
            skipped = 3
        } else if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            throw ImportError.utf16
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            let offset = Self.firstInvalidUTF8(bytes)
            let line = 1 + bytes[..<offset].reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
            throw ImportError.notUTF8(offset: offset + skipped, line: line)
        }
        let lines = try Self.recordLines(bytes)
        let reader = try CSVReader(string: text, hasHeaderRow: false)
        var all: [Record] = []
        all.reserveCapacity(lines.count)
        while let fields = reader.next() {
            // The scan and the parser agree on where records start for every input the scan
            // accepts; the fallback keeps numbering monotonic should they ever differ.
            let line = all.count < lines.count ? lines[all.count] : (all.last?.line ?? 0) + 1
            all.append(Record(line: line, fields: fields))
        }
        let filled = all.filter { record in record.fields.contains { !$0.isEmpty } }
        guard let first = filled.first else { throw ImportError.empty }
        header = first.fields.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        records = Array(filled.dropFirst())
        if records.isEmpty { throw ImportError.headerOnly }
    }

    /// The line each record starts on, checking the quoting on the way.
    static func recordLines(_ bytes: [UInt8]) throws -> [Int] {
        let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ","), cr = UInt8(ascii: "\r"), lf = UInt8(ascii: "\n")
        var starts: [Int] = []
        var line = 1
        var index = 0
        let count = bytes.count
        var recordStart = true
        var fieldStart = true
        var quoted = false
        var quoteLine = 0
        while index < count {
            let byte = bytes[index]
            if recordStart {
                starts.append(line)
                recordStart = false
            }
            if quoted {
                if byte == quote {
                    if index + 1 < count, bytes[index + 1] == quote {
                        index += 2
                        continue
                    }
                    quoted = false
                    if index + 1 < count {
                        let next = bytes[index + 1]
                        if next != comma, next != cr, next != lf { throw ImportError.textAfterClosingQuote(line: line) }
                    }
                } else if byte == lf {
                    line += 1
                } else if byte == cr {
                    line += 1
                    if index + 1 < count, bytes[index + 1] == lf { index += 1 }
                }
                index += 1
                continue
            }
            switch byte {
            case quote where fieldStart:
                quoted = true
                quoteLine = line
                fieldStart = false
            case comma:
                fieldStart = true
            case cr, lf:
                line += 1
                if byte == cr, index + 1 < count, bytes[index + 1] == lf { index += 1 }
                recordStart = true
                fieldStart = true
            default:
                fieldStart = false
            }
            index += 1
        }
        if quoted { throw ImportError.unterminatedQuote(line: quoteLine) }
        return starts
    }

    /// The offset of the first byte that is not part of valid UTF-8.
    static func firstInvalidUTF8(_ bytes: [UInt8]) -> Int {
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes.makeIterator()
        var offset = 0
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let scalar): offset += scalar.count
            case .emptyInput: return offset
            case .error: return offset
            }
        }
    }
}
