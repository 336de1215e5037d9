import Hummingbird
import SCIM

/// Reads a request body as a JSON object, within limits.
///
/// - A `Content-Length` above `maxBodySize` is refused with `413` before a byte of the body
///   is read; the response asks the client to close the connection.
/// - A body without `Content-Length` (chunked) is read chunk by chunk and refused as soon
///   as it passes `maxBodySize`, so at most `maxBodySize` bytes are ever held.
/// - The bytes must be one JSON object in UTF-8, nested at most `maxDepth` levels; anything
///   else (empty, truncated, invalid UTF-8, an array…) is `400 invalidSyntax`.
struct RequestBodyReader: Sendable {
    let maxBodySize: Int
    let maxDepth: Int

    func jsonObject(from request: Request) async throws -> JSONValue {
        let bytes = try await collect(request)
        guard !bytes.isEmpty else { throw SCIMError.invalidSyntax("the request body is empty; a JSON object is required") }
        let json = try JSONValue.parse(bytes, maxDepth: maxDepth)
        guard case .object = json else {
            throw SCIMError.invalidSyntax("the request body must be a JSON object, not \(json.typeName == "array" ? "an" : "a") \(json.typeName)")
        }
        return json
    }

    func collect(_ request: Request) async throws -> [UInt8] {
        if let declared = request.headers[.contentLength] {
            guard let length = Int(declared.trimmingASCIIWhitespace), length >= 0 else {
                throw SCIMError.badRequest("invalid Content-Length")
            }
            guard length <= maxBodySize else { throw tooLarge() }
        }
        var bytes: [UInt8] = []
        for try await chunk in request.body {
            guard bytes.count + chunk.readableBytes <= maxBodySize else { throw tooLarge() }
            bytes.append(contentsOf: chunk.readableBytesView)
        }
        return bytes
    }

    private func tooLarge() -> SCIMHTTPError {
        SCIMHTTPError(.payloadTooLarge("the request body is larger than \(maxBodySize) bytes"), headers: [.connection: "close"])
    }
}
