import SCIM

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

    /// The ListResponse serialized compactly, each resource's bytes copied in as rendered
    /// (most are rendered straight from their files, never parsed).
    public var serializedListResponse: [UInt8] {
        ListResponse.serialized(totalResults: totalResults, startIndex: startIndex, renderedResources: resources.map(\.serialized))
    }
}
