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
}
