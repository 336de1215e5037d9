import SCIM

/// One page of a search, as a ListResponse needs it.
public struct SearchResult: Sendable {
    public var totalResults: Int
    public var startIndex: Int
    public var resources: [ResourceRecord]
    /// Set when the page is one of a cursor walk (RFC 9865).
    public var cursors: Cursors?

    public struct Cursors: Sendable {
        /// Nil on the last page.
        public var next: String?
        /// Nil on the first page.
        public var previous: String?

        public init(next: String?, previous: String?) {
            self.next = next
            self.previous = previous
        }
    }

    public init(totalResults: Int, startIndex: Int, resources: [ResourceRecord], cursors: Cursors? = nil) {
        self.totalResults = totalResults
        self.startIndex = startIndex
        self.resources = resources
        self.cursors = cursors
    }

    public var listResponse: ListResponse {
        ListResponse(totalResults: totalResults, startIndex: startIndex, resources: resources.map(\.document))
    }

    /// The ListResponse serialized compactly, each resource's bytes copied in as rendered
    /// (most are rendered straight from their files, never parsed).
    public var serializedListResponse: [UInt8] {
        if let cursors {
            return ListResponse.serialized(
                totalResults: totalResults, nextCursor: cursors.next, previousCursor: cursors.previous, renderedResources: resources.map(\.serialized))
        }
        return ListResponse.serialized(totalResults: totalResults, startIndex: startIndex, renderedResources: resources.map(\.serialized))
    }
}
