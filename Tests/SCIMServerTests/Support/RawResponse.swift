import Foundation

/// One HTTP/1.1 response as a `RawConnection` received it: status, headers (names
/// lowercased) and a body of `Content-Length` bytes.
struct RawResponse {
    var status: Int
    var headers: [String: String]
    var body: String
    /// How many bytes of the received text this response took.
    var length: Int

    /// Parses the response at the start of `text`; nil while it is incomplete.
    init?(_ text: String) {
        let bytes = Array(text.utf8)
        guard let end = bytes.firstRange(of: Array("\r\n\r\n".utf8)) else { return nil }
        let lines = String(decoding: bytes[..<end.lowerBound], as: UTF8.self).split(separator: "\r\n")
        guard let statusLine = lines.first, statusLine.hasPrefix("HTTP/1.1 "),
              let status = Int(statusLine.dropFirst("HTTP/1.1 ".count).prefix(3)) else { return nil }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        let bodyLength = headers["content-length"].flatMap { Int($0) } ?? 0
        guard bytes.count - end.upperBound >= bodyLength else { return nil }
        self.status = status
        self.headers = headers
        self.body = String(decoding: bytes[end.upperBound..<(end.upperBound + bodyLength)], as: UTF8.self)
        self.length = end.upperBound + bodyLength
    }
}
