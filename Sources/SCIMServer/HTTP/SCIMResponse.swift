import Hummingbird
import SCIM

/// Builds the responses the handlers return: JSON serialised compactly, with the SCIM media
/// type (RFC 7644 §3.1). `SCIMErrorMiddleware` sets the media type and `Cache-Control` on
/// every response again, so nothing can leave without them.
enum SCIMResponse {
    static let mediaType = "application/scim+json"

    static func json(_ body: JSONValue, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        json(bytes: body.serialized(.compact), status: status, headers: headers)
    }

    /// JSON already serialized.
    static func json(bytes: [UInt8], status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var headers = headers
        headers[.contentType] = mediaType
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    static func empty(status: HTTPResponse.Status, headers: HTTPFields = [:]) -> Response {
        Response(status: status, headers: headers, body: ResponseBody())
    }

    /// An RFC 7644 §3.12 error response. A status outside 400–599 becomes 500.
    static func error(_ error: SCIMError, headers: HTTPFields = [:]) -> Response {
        var error = error
        if !(400...599).contains(error.status) { error.status = 500 }
        return json(error.body, status: HTTPResponse.Status(code: error.status), headers: headers)
    }
}
