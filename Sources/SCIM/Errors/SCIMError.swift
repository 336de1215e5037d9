/// The one error type of the SCIM module, shaped like RFC 7644 §3.12's Error message.
///
/// Every failure the protocol layer can report — a malformed body, a bad filter, a PATCH
/// that violates mutability, a uniqueness clash found by the store — is one of these, so the
/// HTTP layer needs exactly one mapping: `status` becomes the HTTP status and `body` the
/// response body (IdPs fail with "Unrecognized token" when an error body is not JSON).
public struct SCIMError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The HTTP status code (400, 404, 409, …).
    public var status: Int
    /// The RFC 7644 `scimType`, when the RFC defines one for this failure.
    public var scimType: SCIMType?
    /// Human-readable detail; says where the problem is (byte offset, attribute, operation).
    public var detail: String
    /// Seconds the client should wait before retrying (a 503 or 429 that will pass later):
    /// sent as an integer `Retry-After`, which Okta and Entra honour. Not part of the body.
    public var retryAfter: Int?

    public init(status: Int, scimType: SCIMType? = nil, detail: String, retryAfter: Int? = nil) {
        self.status = status
        self.scimType = scimType
        self.detail = detail
        self.retryAfter = retryAfter
    }

    /// The URN of the Error message schema.
    public static let schemaURN = "urn:ietf:params:scim:api:messages:2.0:Error"

    /// The RFC 7644 §3.12 error message:
    /// `{"schemas":[…Error],"status":"400","scimType":"invalidFilter","detail":"…"}`.
    /// `status` is a string, as the RFC's examples and schema require.
    public var body: JSONValue {
        var object: [String: JSONValue] = [
            "schemas": .array([.string(Self.schemaURN)]),
            "status": .string(String(status)),
            "detail": .string(detail),
        ]
        if let scimType { object["scimType"] = .string(scimType.rawValue) }
        return .object(object)
    }

    public var description: String {
        if let scimType { return "SCIMError(\(status) \(scimType.rawValue): \(detail))" }
        return "SCIMError(\(status): \(detail))"
    }

    /// Reads an Error message back (e.g. in end-to-end tests). Returns nil when `json` is not one.
    public init?(body json: JSONValue) {
        guard case .object(let object) = json,
              case .string(let statusText)? = object["status"], let status = Int(statusText)
        else { return nil }
        self.status = status
        if case .string(let type)? = object["scimType"] { self.scimType = SCIMType(rawValue: type) } else { self.scimType = nil }
        if case .string(let detail)? = object["detail"] { self.detail = detail } else { self.detail = "" }
        retryAfter = nil
    }
}

extension SCIMError {
    /// 400 `invalidFilter`: the filter could not be parsed or uses an unsupported combination.
    public static func invalidFilter(_ detail: String) -> SCIMError { SCIMError(status: 400, scimType: .invalidFilter, detail: detail) }
    /// 400 `tooMany`: the query would return more results than the server will process.
    public static func tooMany(_ detail: String) -> SCIMError { SCIMError(status: 400, scimType: .tooMany, detail: detail) }
    /// 409 `uniqueness`: a value that must be unique is already taken.
    public static func uniqueness(_ detail: String) -> SCIMError { SCIMError(status: 409, scimType: .uniqueness, detail: detail) }
    /// 400 `mutability`: the change is not allowed by the attribute's mutability.
    public static func mutability(_ detail: String) -> SCIMError { SCIMError(status: 400, scimType: .mutability, detail: detail) }
    /// 400 `invalidSyntax`: the body is not valid JSON or not a valid SCIM message.
    public static func invalidSyntax(_ detail: String) -> SCIMError { SCIMError(status: 400, scimType: .invalidSyntax, detail: detail) }
    /// 400 `invalidPath`: a PATCH path is malformed or names no attribute.
    public static func invalidPath(_ detail: String) -> SCIMError { SCIMError(status: 400, scimType: .invalidPath, detail: detail) }
    /// 400 `noTarget`: a PATCH path selected nothing to operate on.
    public static func noTarget(_ detail: String) -> SCIMError { SCIMError(status: 400, scimType: .noTarget, detail: detail) }
    /// 400 `invalidValue`: a value is missing or of the wrong type.
    public static func invalidValue(_ detail: String) -> SCIMError { SCIMError(status: 400, scimType: .invalidValue, detail: detail) }
    /// 400 `invalidVers`: unsupported SCIM protocol version.
    public static func invalidVers(_ detail: String) -> SCIMError { SCIMError(status: 400, scimType: .invalidVers, detail: detail) }
    /// 400 `sensitive`: sensitive data in a request URI (RFC 7644 §7.5.2; Table 9 lists it under 400).
    public static func sensitive(_ detail: String) -> SCIMError { SCIMError(status: 400, scimType: .sensitive, detail: detail) }
    /// 400 `invalidCursor` (RFC 9865): a forged, malformed or foreign cursor.
    public static func invalidCursor(_ detail: String) -> SCIMError { SCIMError(status: 400, scimType: .invalidCursor, detail: detail) }
    /// 400 `expiredCursor` (RFC 9865): older than the advertised `cursorTimeout`.
    public static func expiredCursor(_ detail: String) -> SCIMError { SCIMError(status: 400, scimType: .expiredCursor, detail: detail) }
    /// 400 `invalidCount` (RFC 9865): a walk's `count` changed between pages.
    public static func invalidCount(_ detail: String) -> SCIMError { SCIMError(status: 400, scimType: .invalidCount, detail: detail) }

    /// 400 without a `scimType` (for failures Table 9 has no keyword for).
    public static func badRequest(_ detail: String) -> SCIMError { SCIMError(status: 400, detail: detail) }
    /// 401: missing or wrong credentials.
    public static func unauthorized(_ detail: String) -> SCIMError { SCIMError(status: 401, detail: detail) }
    /// 403: authenticated but not allowed.
    public static func forbidden(_ detail: String) -> SCIMError { SCIMError(status: 403, detail: detail) }
    /// 404: no such resource or endpoint.
    public static func notFound(_ detail: String) -> SCIMError { SCIMError(status: 404, detail: detail) }
    /// 405: the endpoint does not support the method.
    public static func methodNotAllowed(_ detail: String) -> SCIMError { SCIMError(status: 405, detail: detail) }
    /// 409 without `scimType`: a version or state conflict that is not about uniqueness.
    public static func conflict(_ detail: String) -> SCIMError { SCIMError(status: 409, detail: detail) }
    /// 412: an `If-Match` precondition failed (RFC 7644 §3.14).
    public static func preconditionFailed(_ detail: String) -> SCIMError { SCIMError(status: 412, detail: detail) }
    /// 413: the request body is larger than the server accepts.
    public static func payloadTooLarge(_ detail: String) -> SCIMError { SCIMError(status: 413, detail: detail) }
    /// 429: rate limited.
    public static func tooManyRequests(_ detail: String) -> SCIMError { SCIMError(status: 429, detail: detail) }
    /// 500: an unexpected server failure.
    public static func internalError(_ detail: String) -> SCIMError { SCIMError(status: 500, detail: detail) }
    /// 501: the operation is not implemented (e.g. `/Bulk` when bulk is off).
    public static func notImplemented(_ detail: String) -> SCIMError { SCIMError(status: 501, detail: detail) }
}
