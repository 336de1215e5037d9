import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A plain TCP connection, for what an HTTP client library will not do: send half a
/// request and wait, or watch the server close the socket.
final class RawConnection: @unchecked Sendable {
    private let descriptor: Int32

    /// Connects to `localhost:port` (IPv4 or IPv6, whichever the server listens on).
    init(port: Int) throws {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        #if canImport(Glibc)
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        #else
        hints.ai_socktype = SOCK_STREAM
        #endif
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo("localhost", String(port), &hints, &list) == 0, let first = list else {
            throw TestFailure("cannot resolve localhost")
        }
        defer { freeaddrinfo(list) }
        var candidate: UnsafeMutablePointer<addrinfo>? = first
        while let info = candidate {
            let fd = socket(info.pointee.ai_family, info.pointee.ai_socktype, info.pointee.ai_protocol)
            if fd >= 0 {
                if connect(fd, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0 {
                    descriptor = fd
                    return
                }
                close(fd)
            }
            candidate = info.pointee.ai_next
        }
        throw TestFailure("cannot connect to localhost:\(port)")
    }

    deinit {
        close(descriptor)
    }

    func transmit(_ text: String) throws {
        let bytes = Array(text.utf8)
        let sent = bytes.withUnsafeBytes { send(descriptor, $0.baseAddress, $0.count, 0) }
        guard sent == bytes.count else { throw TestFailure("send failed") }
    }

    /// Half-closes the connection: the server reads the end of the stream, and can still answer.
    func finishSending() {
        shutdown(descriptor, Int32(SHUT_WR))
    }

    /// Whether the server still holds the connection open (checked without waiting).
    var isOpen: Bool {
        var byte: UInt8 = 0
        let count = recv(descriptor, &byte, 1, Int32(MSG_PEEK | MSG_DONTWAIT))
        return count > 0 || (count < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
    }

    /// Whether the server has released its socket within `limit`: after the server's end of
    /// the stream, bytes sent to a socket it still holds are read and dropped, while bytes
    /// sent to a released one are answered with a reset (checked off the cooperative pool).
    func waitForRelease(limit: Duration) async -> Bool {
        let descriptor = self.descriptor
        return await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                var timeout = timeval(tv_sec: 0, tv_usec: 100_000)
                setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
                let deadline = ContinuousClock.now + limit
                var byte: UInt8 = 0x20
                var buffer = [UInt8](repeating: 0, count: 4096)
                while ContinuousClock.now < deadline {
                    let sent = send(descriptor, &byte, 1, Int32(MSG_NOSIGNAL))
                    if sent < 0 && (errno == EPIPE || errno == ECONNRESET) { return continuation.resume(returning: true) }
                    let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
                    if count < 0 && errno == ECONNRESET { return continuation.resume(returning: true) }
                    if count == 0 { Thread.sleep(forTimeInterval: 0.1) }
                }
                continuation.resume(returning: false)
            }
        }
    }

    /// Reads one response, leaving the connection open; nil if none came within `limit`
    /// (off the cooperative thread pool).
    func receiveResponse(limit: Duration) async -> RawResponse? {
        let outcome = await read(limit: limit) { RawResponse(String(decoding: $0, as: UTF8.self)) != nil }
        return RawResponse(outcome.received)
    }

    /// Reads until the server closes the connection (true) or `limit` passes (false), off
    /// the cooperative thread pool.
    func waitForClose(limit: Duration) async -> (closed: Bool, received: String) {
        await read(limit: limit) { _ in false }
    }

    /// Reads until `enough` says so (from what was received), the server closes or fails
    /// the connection (`closed`), or `limit` passes — on a thread of its own.
    private func read(limit: Duration, until enough: @escaping @Sendable ([UInt8]) -> Bool) async -> (closed: Bool, received: String) {
        let descriptor = self.descriptor
        return await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                var timeout = timeval(tv_sec: 0, tv_usec: 100_000)
                setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
                let deadline = ContinuousClock.now + limit
                var received: [UInt8] = []
                var buffer = [UInt8](repeating: 0, count: 4096)
                var closed = false
                while ContinuousClock.now < deadline, !enough(received) {
                    let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
                    if count > 0 { received += buffer[0..<count] }
                    if count == 0 || (count < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
                        closed = true
                        break
                    }
                }
                continuation.resume(returning: (closed, String(decoding: received, as: UTF8.self)))
            }
        }
    }
}
