/// Who sent a request, as the commit it makes will record it, and the base URL the answer's
/// `meta.location` and `$ref` links are built from (never stored).
public struct Caller: Sendable {
    /// The API token's name: the commit author and the `SCIM-Client` trailer.
    public var client: String
    /// Correlates the request's log line with its commit (`SCIM-Request-Id` trailer).
    public var requestID: String
    /// The SCIM base URL as the client reached it, e.g. `https://idp.example.com/scim/v2`.
    public var baseURL: String
    /// Where a write sits in a `POST /Bulk` (`3 of 10 (bulkId qwerty)`): the
    /// `SCIM-Bulk-Operation` trailer of its commit. Nil for a request of its own.
    public var bulkOperation: String?

    public init(client: String, requestID: String, baseURL: String) {
        self.client = client
        self.requestID = requestID
        self.baseURL = baseURL
    }
}
