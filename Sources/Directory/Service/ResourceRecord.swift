import SCIM

/// A resource as the API answers with it: its stored attributes, the derived ones
/// (`User.groups`, `Group.members`), `meta` complete (`location` from the request's base
/// URL), the requested projection applied, and its version for `ETag`.
public struct ResourceRecord: Sendable {
    public var type: ResourceType
    public var id: String
    /// The entity tag (`W/"…"`), equal to `meta.version`.
    public var version: String
    /// The JSON to send.
    public var document: JSONValue

    public init(type: ResourceType, id: String, version: String, document: JSONValue) {
        self.type = type
        self.id = id
        self.version = version
        self.document = document
    }
}

/// One page of a search, as a ListResponse needs it.
public struct SearchResult: Sendable {
    public var totalResults: Int
    public var startIndex: Int
    public var resources: [ResourceRecord]

    public init(totalResults: Int, startIndex: Int, resources: [ResourceRecord]) {
        self.totalResults = totalResults
        self.startIndex = startIndex
        self.resources = resources
    }

    public var listResponse: ListResponse {
        ListResponse(totalResults: totalResults, startIndex: startIndex, resources: resources.map(\.document))
    }
}
