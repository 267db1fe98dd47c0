import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A man in the middle on 127.0.0.1: a TCP proxy that forwards every connection to one
/// target and keeps every byte it forwards, per connection and per direction, in order.
///
/// It is what an eavesdropper on the network (a café Wi-Fi, a relay, a corporate proxy) gets
/// to see of a sync, so tests can look for data that must not be readable on the way, and
/// what a stranger who captured traffic can send again (`replay`). It parses nothing while
/// forwarding: the bytes are passed on unchanged, so the peers cannot tell it is there.
///
/// Plain POSIX sockets and one thread per direction of each connection, each polling with a
/// short timeout so that `stop()` ends every thread promptly without closing a socket another
/// thread still reads. Bytes are recorded before they are forwarded: once a client process has
/// exited, everything it sent or received is in the recording.
final class RecordingProxy: @unchecked Sendable {
    enum Direction: String, CaseIterable, Sendable {
        case clientToServer = "client->server"
        case serverToClient = "server->client"
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    let targetHost: String
    let targetPort: UInt16
    /// The port the proxy listens on (a free one, picked by the system).
    let port: UInt16
    /// What a client is given instead of the target's URL.
    var url: String { "http://127.0.0.1:\(port)" }

    private let listener: Int32
    private let lock = NSLock()
    private var stopped = false
    private var connections: [LiveConnection] = []
    /// When set, plays a man in the middle: called with every chunk before it is passed on,
    /// and with what that direction of that connection carried before it; may change the
    /// chunk. The recording keeps the bytes as received.
    var tamper: (@Sendable (_ direction: Direction, _ before: [UInt8], _ chunk: inout [UInt8]) -> Void)? {
        get { lock.lock(); defer { lock.unlock() }; return tamperHook }
        set { lock.lock(); tamperHook = newValue; lock.unlock() }
    }
    private var tamperHook: (@Sendable (Direction, [UInt8], inout [UInt8]) -> Void)?
    private let threads = DispatchGroup()

    /// Starts listening on 127.0.0.1 (a free port) and forwarding to `targetHost:targetPort`.
    init(targetHost: String = "127.0.0.1", targetPort: UInt16) throws {
        self.targetHost = targetHost
        self.targetPort = targetPort
        let socket = try Socket.makeListener(host: "127.0.0.1", port: 0)
        listener = socket.fd
        port = socket.port
        threads.enter()
        Thread { [self] in
            acceptLoop()
            threads.leave()
        }.start()
    }

    /// A proxy in front of `url` (`http://127.0.0.1:PORT`, as `qun serve` prints it).
    convenience init(inFrontOf url: String) throws {
        guard let port = Socket.port(of: url) else { throw Failure(description: "no port in \(url)") }
        try self.init(targetPort: port)
    }

    /// Stops accepting, ends every forwarding thread and closes every socket. The recording
    /// stays readable. Safe to call more than once.
    func stop() {
        lock.lock()
        let first = !stopped
        stopped = true
        lock.unlock()
        guard first else { return }
        // Every thread polls with a short timeout and sees `stopped` within it.
        if threads.wait(timeout: .now() + 10) == .timedOut { return }  // Leak rather than close in use.
        Socket.closeSocket(listener)
        lock.lock()
        for connection in connections {
            for index in connection.fds.indices where connection.fds[index] >= 0 {
                Socket.closeSocket(connection.fds[index])
                connection.fds[index] = -1
            }
        }
        lock.unlock()
    }

    /// Everything recorded so far, one entry per accepted connection, in the order accepted.
    func recording() -> [RecordedConnection] {
        lock.lock()
        defer { lock.unlock() }
        return connections.map {
            RecordedConnection(index: $0.index, clientToServer: $0.bytes[0], serverToClient: $0.bytes[1])
        }
    }

    /// Every request recorded on every connection, with the answer it got (if complete).
    func exchanges() -> [RecordedExchange] {
        recording().flatMap(\.exchanges)
    }

    /// Sends `request`'s bytes exactly as recorded on a fresh connection to the target host
    /// (on `port`, by default the target's), and returns the raw answer, parsed. This is what a stranger
    /// who captured the traffic can do without knowing any secret.
    func replay(_ request: HTTPMessage, toPort port: UInt16? = nil, timeout: TimeInterval = 20) throws -> HTTPMessage {
        try Self.send(request.raw, host: targetHost, port: port ?? targetPort, timeout: timeout)
    }

    /// Writes `bytes` to a new connection to `host:port` and reads one final HTTP answer
    /// (interim 1xx answers are skipped).
    static func send(_ bytes: [UInt8], host: String, port: UInt16, timeout: TimeInterval) throws -> HTTPMessage {
        let fd = try Socket.makeConnection(host: host, port: port)
        defer { Socket.closeSocket(fd) }
        guard Socket.sendAll(fd, bytes[...]) else { throw Failure(description: "could not send to \(host):\(port)") }
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            if let answer = HTTPMessage.messages(in: received, responses: true, closed: false).first(where: \.isFinal) {
                return answer
            }
            guard Date() < deadline else {
                throw Failure(description: "no complete answer from \(host):\(port) within \(Int(timeout)) s; got \(received.count) bytes")
            }
            guard Socket.waitReadable(fd, milliseconds: 50) else { continue }
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count > 0 {
                received += buffer[0..<count]
            } else if count == 0 || (errno != EINTR && errno != EAGAIN) {
                // Closed: an answer delimited by the end of the connection is complete now.
                if let answer = HTTPMessage.messages(in: received, responses: true, closed: true).first(where: \.isFinal) { return answer }
                throw Failure(description: "\(host):\(port) closed the connection after \(received.count) bytes without a complete answer")
            }
        }
    }

    // MARK: - Forwarding

    /// One accepted connection while it is forwarded: its two sockets (client, server) and
    /// the bytes of each direction. Only touched under the proxy's lock.
    private final class LiveConnection: @unchecked Sendable {
        let index: Int
        var fds: [Int32]
        var bytes: [[UInt8]] = [[], []]
        var pumpsRunning = 2

        init(index: Int, client: Int32, server: Int32) {
            self.index = index
            fds = [client, server]
        }
    }

    private var isStopped: Bool {
        lock.lock()
        defer { lock.unlock() }
        return stopped
    }

    private func acceptLoop() {
        while !isStopped {
            guard Socket.waitReadable(listener, milliseconds: 50) else { continue }
            let client = accept(listener, nil, nil)
            guard client >= 0 else { continue }
            Socket.noSignalOnWrite(client)
            guard let server = try? Socket.makeConnection(host: targetHost, port: targetPort) else {
                // The target is down: the client sees a closed connection, as it would without us.
                Socket.closeSocket(client)
                continue
            }
            lock.lock()
            let connection = LiveConnection(index: connections.count, client: client, server: server)
            connections.append(connection)
            lock.unlock()
            for direction in Direction.allCases {
                threads.enter()
                Thread { [self] in
                    pump(connection, direction)
                    threads.leave()
                }.start()
            }
        }
    }

    /// Copies one direction of a connection until its sender closes it (or the proxy stops),
    /// recording every chunk before passing it on; then passes the end of stream on.
    private func pump(_ connection: LiveConnection, _ direction: Direction) {
        let from = direction == .clientToServer ? 0 : 1
        let to = 1 - from
        lock.lock()
        let source = connection.fds[from], sink = connection.fds[to]
        lock.unlock()
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        var broken = false
        while !isStopped {
            guard Socket.waitReadable(source, milliseconds: 50) else { continue }
            let count = buffer.withUnsafeMutableBytes { recv(source, $0.baseAddress, $0.count, 0) }
            if count < 0, errno == EINTR || errno == EAGAIN { continue }
            if count <= 0 {
                broken = count < 0
                break
            }
            var chunk = Array(buffer[0..<count])
            lock.lock()
            let before = connection.bytes[from]
            let hook = tamperHook
            connection.bytes[from] += chunk
            lock.unlock()
            hook?(direction, before, &chunk)
            if !Socket.sendAll(sink, chunk[...]) {
                broken = true
                break
            }
        }
        if broken {
            // A reset or a dead receiver: end both directions, as a dropped line would.
            _ = shutdown(source, Int32(SHUT_RDWR))
            _ = shutdown(sink, Int32(SHUT_RDWR))
        } else {
            _ = shutdown(sink, Int32(SHUT_WR))
        }
        lock.lock()
        connection.pumpsRunning -= 1
        if connection.pumpsRunning == 0 {
            for index in connection.fds.indices where connection.fds[index] >= 0 {
                Socket.closeSocket(connection.fds[index])
                connection.fds[index] = -1
            }
        }
        lock.unlock()
    }
}

/// One connection as the proxy saw it.
struct RecordedConnection: Sendable {
    /// Its place in the order the proxy accepted connections (from 0).
    let index: Int
    let clientToServer: [UInt8]
    let serverToClient: [UInt8]

    func bytes(_ direction: RecordingProxy.Direction) -> [UInt8] {
        direction == .clientToServer ? clientToServer : serverToClient
    }

    /// The HTTP/1.1 requests of this connection in order (a client may send several on one
    /// connection), each with the answer that followed it, when complete.
    var exchanges: [RecordedExchange] {
        let requests = HTTPMessage.messages(in: clientToServer, responses: false, closed: true)
        let answers = HTTPMessage.messages(
            in: serverToClient, responses: true, closed: true, requestMethods: requests.compactMap(\.method))
            .filter(\.isFinal)
        return requests.enumerated().map { index, request in
            RecordedExchange(connection: self.index, request: request, response: index < answers.count ? answers[index] : nil)
        }
    }
}

/// A request and the answer it got, on one connection.
struct RecordedExchange: Sendable {
    let connection: Int
    let request: HTTPMessage
    let response: HTTPMessage?

    var description: String {
        "\(request.method ?? "?") \(request.path ?? "?") (connection \(connection), offset \(request.offset)) -> \(response?.status.map(String.init) ?? "no answer")"
    }
}

/// One HTTP/1.1 message cut out of a recorded byte stream: just enough parsing to find
/// message boundaries (Content-Length, chunked transfer encoding, or the end of the
/// connection) and to read the start line, the headers and the body.
struct HTTPMessage: Sendable {
    /// `POST /v1/pull HTTP/1.1` or `HTTP/1.1 200 OK`.
    let startLine: String
    let headers: [(name: String, value: String)]
    /// The body as the application sees it: de-chunked, but not decompressed.
    let body: [UInt8]
    /// The message exactly as it crossed the wire.
    let raw: [UInt8]
    /// Where `raw` starts in its direction's bytes.
    let offset: Int
    let isChunked: Bool

    private var startWords: [Substring] { startLine.split(separator: " ", maxSplits: 2) }

    /// For a request.
    var method: String? { startLine.hasPrefix("HTTP/") ? nil : startWords.first.map(String.init) }
    /// For a request, without any query.
    var path: String? {
        guard method != nil, startWords.count > 1 else { return nil }
        return String(startWords[1].split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)[0])
    }
    /// For an answer.
    var status: Int? {
        guard startLine.hasPrefix("HTTP/"), startWords.count > 1 else { return nil }
        return Int(startWords[1])
    }

    /// An answer that is not an interim 1xx one.
    var isFinal: Bool { (status ?? 0) >= 200 }

    func header(_ name: String) -> String? {
        headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }

    /// The complete messages at the start of `bytes`, in order; stops at the first one that is
    /// incomplete or not HTTP. `closed`: the connection has ended, so an answer without a
    /// length runs to the end. `requestMethods`: the methods of the requests the answers
    /// belong to (an answer to HEAD has no body).
    static func messages(
        in bytes: [UInt8], responses: Bool, closed: Bool, requestMethods: [String] = []
    ) -> [HTTPMessage] {
        var messages: [HTTPMessage] = []
        var offset = 0
        while offset < bytes.count {
            let method = messages.count < requestMethods.count ? requestMethods[messages.count] : nil
            guard let message = parse(bytes, at: offset, response: responses, closed: closed, requestMethod: method) else { break }
            messages.append(message)
            offset += message.raw.count
        }
        return messages
    }

    private static let crlf: [UInt8] = [13, 10]
    private static let headerEnd: [UInt8] = [13, 10, 13, 10]

    private static func parse(_ bytes: [UInt8], at start: Int, response: Bool, closed: Bool, requestMethod: String?) -> HTTPMessage? {
        guard let end = find(headerEnd, in: bytes, from: start) else { return nil }
        let lines = String(decoding: bytes[start..<end], as: UTF8.self).components(separatedBy: "\r\n")
        guard let startLine = lines.first, !startLine.isEmpty,
              response == startLine.hasPrefix("HTTP/") else { return nil }
        var headers: [(name: String, value: String)] = []
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { return nil }
            headers.append((String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
        }
        func header(_ name: String) -> String? {
            headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
        }
        let bodyStart = end + headerEnd.count
        var body: [UInt8] = []
        var messageEnd = bodyStart
        var chunked = false
        let status = response ? Int(startLine.split(separator: " ").dropFirst().first ?? "") : nil
        let bodiless = status.map { (100..<200).contains($0) || $0 == 204 || $0 == 304 } ?? false
            || requestMethod?.uppercased() == "HEAD"
        if bodiless {
            // No body whatever the headers say.
        } else if header("Transfer-Encoding")?.lowercased().contains("chunked") == true {
            chunked = true
            var position = bodyStart
            while true {
                guard let lineEnd = find(crlf, in: bytes, from: position) else { return nil }
                let sizeText = String(decoding: bytes[position..<lineEnd], as: UTF8.self)
                    .split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false)[0]
                    .trimmingCharacters(in: .whitespaces)
                guard let size = Int(sizeText, radix: 16), size >= 0 else { return nil }
                position = lineEnd + crlf.count
                if size == 0 {
                    // Trailers, then an empty line.
                    while true {
                        guard let trailerEnd = find(crlf, in: bytes, from: position) else { return nil }
                        let empty = trailerEnd == position
                        position = trailerEnd + crlf.count
                        if empty { break }
                    }
                    break
                }
                guard bytes.count >= position + size + crlf.count else { return nil }
                body += bytes[position..<(position + size)]
                position += size + crlf.count
            }
            messageEnd = position
        } else if let lengthText = header("Content-Length") {
            guard let length = Int(lengthText), length >= 0, bytes.count >= bodyStart + length else { return nil }
            body = Array(bytes[bodyStart..<(bodyStart + length)])
            messageEnd = bodyStart + length
        } else if response {
            // Delimited by the end of the connection.
            guard closed else { return nil }
            body = Array(bytes[bodyStart...])
            messageEnd = bytes.count
        }
        return HTTPMessage(
            startLine: startLine, headers: headers, body: body, raw: Array(bytes[start..<messageEnd]),
            offset: start, isChunked: chunked)
    }

    private static func find(_ needle: [UInt8], in bytes: [UInt8], from start: Int) -> Int? {
        guard needle.count <= bytes.count - start else { return nil }
        var index = start
        while index + needle.count <= bytes.count {
            if bytes[index] == needle[0], bytes[index..<(index + needle.count)].elementsEqual(needle) { return index }
            index += 1
        }
        return nil
    }
}

/// The few POSIX socket calls the tests that play the network need (the proxy, raw
/// clients), on IPv4 loopback.
enum Socket {
    #if canImport(Glibc)
    static let streamType = Int32(SOCK_STREAM.rawValue)
    static let sendFlags = Int32(MSG_NOSIGNAL)
    #else
    static let streamType = SOCK_STREAM
    static let sendFlags: Int32 = 0
    #endif

    static func address(host: String, port: UInt16) throws -> sockaddr_in {
        var address = sockaddr_in()
        #if canImport(Darwin)
        address.sin_len = UInt8(MemoryLayout<sockaddr_in>.size)
        #endif
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        guard inet_pton(AF_INET, host, &address.sin_addr) == 1 else {
            throw RecordingProxy.Failure(description: "not an IPv4 address: \(host)")
        }
        return address
    }

    static func port(of url: String) -> UInt16? {
        URLComponents(string: url)?.port.flatMap { UInt16(exactly: $0) }
    }

    /// A listening socket on `host:port` (0: a free port) and the port it got.
    static func makeListener(host: String, port: UInt16) throws -> (fd: Int32, port: UInt16) {
        let fd = socket(AF_INET, streamType, 0)
        guard fd >= 0 else { throw RecordingProxy.Failure(description: "socket: errno \(errno)") }
        var address = try address(host: host, port: port)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 64) == 0 else {
            let error = errno
            close(fd)
            throw RecordingProxy.Failure(description: "cannot listen on \(host):\(port): errno \(error)")
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard named == 0 else {
            close(fd)
            throw RecordingProxy.Failure(description: "getsockname: errno \(errno)")
        }
        return (fd, UInt16(bigEndian: address.sin_port))
    }

    /// A connected socket to `host:port`.
    static func makeConnection(host: String, port: UInt16) throws -> Int32 {
        let fd = socket(AF_INET, streamType, 0)
        guard fd >= 0 else { throw RecordingProxy.Failure(description: "socket: errno \(errno)") }
        var address = try address(host: host, port: port)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            let error = errno
            close(fd)
            throw RecordingProxy.Failure(description: "cannot connect to \(host):\(port): errno \(error)")
        }
        noSignalOnWrite(fd)
        return fd
    }

    /// A write to a peer that has gone must fail with EPIPE, not kill the test runner.
    static func noSignalOnWrite(_ fd: Int32) {
        #if canImport(Darwin)
        var on: Int32 = 1
        _ = setsockopt(fd, SOL_SOCKET, SO_NOSIGPIPE, &on, socklen_t(MemoryLayout<Int32>.size))
        #endif
    }

    static func sendAll(_ fd: Int32, _ bytes: ArraySlice<UInt8>) -> Bool {
        var remaining = bytes
        while !remaining.isEmpty {
            let sent = remaining.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, sendFlags) }
            if sent < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                return false
            }
            remaining = remaining.dropFirst(sent)
        }
        return true
    }

    /// Whether `fd` has something to read (data, end of stream or an error) within the time.
    static func waitReadable(_ fd: Int32, milliseconds: Int32) -> Bool {
        var entry = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        return poll(&entry, 1, milliseconds) > 0 && entry.revents != 0
    }

    static func closeSocket(_ fd: Int32) {
        #if canImport(Glibc)
        _ = Glibc.close(fd)
        #else
        _ = Darwin.close(fd)
        #endif
    }
}
