import HTTPTypes
import Hummingbird

/// Header names HTTPTypes does not predefine.
extension HTTPField.Name {
    /// Correlates a request, its log line and its commit.
    static let xRequestID = HTTPField.Name("X-Request-Id")!
    /// The scheme the client used, as set by a reverse proxy.
    static let xForwardedProto = HTTPField.Name("X-Forwarded-Proto")!
    /// The host the client used, as set by a reverse proxy.
    static let xForwardedHost = HTTPField.Name("X-Forwarded-Host")!
    /// What the console's pages may load and where their forms may post.
    static let contentSecurityPolicy = HTTPField.Name("Content-Security-Policy")!
    static let xFrameOptions = HTTPField.Name("X-Frame-Options")!
    static let xContentTypeOptions = HTTPField.Name("X-Content-Type-Options")!
    static let referrerPolicy = HTTPField.Name("Referrer-Policy")!
    /// Reads as of a past point (RFC 7089 Memento): the time asked for, and the time of
    /// the commit answered from.
    static let acceptDatetime = HTTPField.Name("Accept-Datetime")!
    static let mementoDatetime = HTTPField.Name("Memento-Datetime")!
}
