/// The `scimType` keywords of RFC 7644 §3.12 (Table 9).
///
/// They exist so that a client can tell *why* a 400 happened without parsing the
/// free-text `detail`: Okta and Entra both branch on them (`uniqueness` means "already
/// provisioned", `invalidFilter` means "stop retrying this query").
public enum SCIMType: String, Sendable, Hashable, CaseIterable {
    /// The filter syntax was invalid, or the attribute and comparison combination is not supported.
    case invalidFilter
    /// The filter yields more results than the server is willing to process.
    case tooMany
    /// One or more attribute values are already in use or reserved (HTTP 409).
    case uniqueness
    /// The modification is not compatible with the attribute's mutability or current state.
    case mutability
    /// The request body was not valid JSON or did not conform to the message schema.
    case invalidSyntax
    /// A PATCH `path` was invalid or malformed.
    case invalidPath
    /// A PATCH `path` did not yield an attribute or value that could be operated on.
    case noTarget
    /// A required value was missing, or a value was not compatible with the attribute's type.
    case invalidValue
    /// The SCIM protocol version is not supported.
    case invalidVers
    /// Sensitive information was passed in a request URI.
    case sensitive
    /// A `cursor` that this server did not issue for this query (RFC 9865 §2.1).
    case invalidCursor
    /// A `cursor` older than `cursorTimeout` (RFC 9865 §2.1).
    case expiredCursor
    /// A `count` that differs from the one the cursor's walk started with (RFC 9865 §2.1).
    case invalidCount
}
