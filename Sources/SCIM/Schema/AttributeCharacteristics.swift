/// The data type of an attribute (RFC 7643 §2.3).
public enum AttributeType: String, Sendable, Hashable, CaseIterable {
    case string, boolean, decimal, integer, dateTime, binary, reference, complex
}

/// Whether and when a client may change an attribute (RFC 7643 §2.2, §7 `mutability`).
public enum Mutability: String, Sendable, Hashable, CaseIterable {
    /// Set by the server only; values sent by clients on create/replace are ignored.
    case readOnly
    /// Freely changed by clients.
    case readWrite
    /// May be set once (create, or while unassigned); never changed afterwards.
    case immutable
    /// Accepted from clients, never returned (e.g. `password`).
    case writeOnly
}

/// When an attribute is returned in responses (RFC 7643 §2.2, §7 `returned`).
public enum Returned: String, Sendable, Hashable, CaseIterable {
    /// Always returned, whatever `attributes`/`excludedAttributes` say (e.g. `id`).
    case always
    /// Never returned (e.g. `password`).
    case never
    /// Returned unless excluded.
    case `default`
    /// Returned only when named in `attributes`.
    case request
}

/// How unique an attribute's value must be (RFC 7643 §2.2, §7 `uniqueness`).
public enum Uniqueness: String, Sendable, Hashable, CaseIterable {
    case none, server, global
}
