import Hummingbird
import SCIM

/// A `SCIMError` plus the headers its response needs (`WWW-Authenticate` on 401, `Allow`
/// on 405, `Retry-After` on 429, `Connection: close` on 413 and on broken framing, which
/// `ConnectionCloseHandler` acts on). Thrown by the HTTP layer's own checks;
/// `SCIMErrorMiddleware` turns it into the response.
struct SCIMHTTPError: Error, Sendable {
    var error: SCIMError
    var headers: HTTPFields

    init(_ error: SCIMError, headers: HTTPFields = [:]) {
        self.error = error
        self.headers = headers
    }
}
