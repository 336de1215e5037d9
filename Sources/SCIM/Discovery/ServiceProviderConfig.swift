/// What the server supports, as advertised at `/ServiceProviderConfig` (RFC 7643 §5).
///
/// A settings struct rather than fixed JSON so the HTTP layer can reflect its real
/// configuration (page size, ETags, bulk limits, auth schemes) and the output stays in
/// step with it.
public struct ServiceProviderSettings: Sendable, Hashable {
    public var documentationURI: String?
    public var patchSupported: Bool
    public var bulkSupported: Bool
    public var bulkMaxOperations: Int
    public var bulkMaxPayloadSize: Int
    public var filterSupported: Bool
    public var filterMaxResults: Int
    public var changePasswordSupported: Bool
    public var sortSupported: Bool
    public var etagSupported: Bool
    public var authenticationSchemes: [AuthenticationScheme]
    /// RFC 9865's `pagination` object; nil leaves it out (index paging only, as RFC 7644).
    public var pagination: PaginationSettings?

    public init(
        documentationURI: String? = nil,
        patchSupported: Bool = true,
        bulkSupported: Bool = false,
        bulkMaxOperations: Int = 0,
        bulkMaxPayloadSize: Int = 0,
        filterSupported: Bool = true,
        filterMaxResults: Int = 1000,
        changePasswordSupported: Bool = false,
        sortSupported: Bool = true,
        etagSupported: Bool = true,
        authenticationSchemes: [AuthenticationScheme] = [.oauthBearerToken]
    ) {
        self.documentationURI = documentationURI
        self.patchSupported = patchSupported
        self.bulkSupported = bulkSupported
        self.bulkMaxOperations = bulkMaxOperations
        self.bulkMaxPayloadSize = bulkMaxPayloadSize
        self.filterSupported = filterSupported
        self.filterMaxResults = filterMaxResults
        self.changePasswordSupported = changePasswordSupported
        self.sortSupported = sortSupported
        self.etagSupported = etagSupported
        self.authenticationSchemes = authenticationSchemes
    }
}

/// An authentication scheme entry of the ServiceProviderConfig (RFC 7643 §5).
public struct AuthenticationScheme: Sendable, Hashable {
    /// `oauth`, `oauth2`, `oauthbearertoken`, `httpbasic` or `httpdigest`.
    public var type: String
    public var name: String
    public var description: String
    public var specURI: String?
    public var documentationURI: String?
    public var primary: Bool

    public init(type: String, name: String, description: String, specURI: String? = nil, documentationURI: String? = nil, primary: Bool = false) {
        self.type = type
        self.name = name
        self.description = description
        self.specURI = specURI
        self.documentationURI = documentationURI
        self.primary = primary
    }

    /// Bearer tokens (RFC 6750), what Okta and Entra use.
    public static let oauthBearerToken = AuthenticationScheme(
        type: "oauthbearertoken", name: "OAuth Bearer Token",
        description: "Authentication scheme using the OAuth Bearer Token Standard",
        specURI: "http://www.rfc-editor.org/info/rfc6750", primary: true)

    var json: JSONValue {
        var object: [String: JSONValue] = [
            "type": .string(type), "name": .string(name), "description": .string(description), "primary": .bool(primary),
        ]
        if let specURI { object["specUri"] = .string(specURI) }
        if let documentationURI { object["documentationUri"] = .string(documentationURI) }
        return .object(object)
    }
}

/// How lists page (RFC 9865 §4): by `startIndex` (RFC 7644), by cursor, or both.
public struct PaginationSettings: Sendable, Hashable {
    public var cursor: Bool
    public var index: Bool
    /// `cursor` or `index`: what a request naming neither gets.
    public var defaultPaginationMethod: String
    public var defaultPageSize: Int
    public var maxPageSize: Int
    /// The least number of seconds a cursor stays valid between pages.
    public var cursorTimeout: Int

    public init(cursor: Bool, index: Bool = true, defaultPaginationMethod: String = "index", defaultPageSize: Int, maxPageSize: Int, cursorTimeout: Int) {
        self.cursor = cursor
        self.index = index
        self.defaultPaginationMethod = defaultPaginationMethod
        self.defaultPageSize = defaultPageSize
        self.maxPageSize = maxPageSize
        self.cursorTimeout = cursorTimeout
    }

    var json: JSONValue {
        .object([
            "cursor": .bool(cursor), "index": .bool(index), "defaultPaginationMethod": .string(defaultPaginationMethod),
            "defaultPageSize": .int(Int64(defaultPageSize)), "maxPageSize": .int(Int64(maxPageSize)), "cursorTimeout": .int(Int64(cursorTimeout)),
        ])
    }
}
