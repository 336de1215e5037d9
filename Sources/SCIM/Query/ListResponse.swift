/// A ListResponse message (RFC 7644 §3.4.2): the body of every list and search answer.
///
/// Okta's import pages through `startIndex`/`count` until `totalResults`, and needs
/// integers for all three numbers and the same order on every page; `Resources` is always
/// present (an empty array when nothing matched) so clients can index it blindly.
public struct ListResponse: Sendable, Hashable {
    /// All matches, not just this page.
    public var totalResults: Int
    /// The 1-based index of the first resource of this page.
    public var startIndex: Int
    /// The resources of this page, already projected.
    public var resources: [JSONValue]

    public init(totalResults: Int, startIndex: Int, resources: [JSONValue]) {
        self.totalResults = totalResults
        self.startIndex = startIndex
        self.resources = resources
    }

    /// The number of resources in this page.
    public var itemsPerPage: Int { resources.count }

    public var json: JSONValue {
        .object([
            "schemas": .array([.string(SCIMSchemaURN.listResponse)]),
            "totalResults": .int(Int64(totalResults)),
            "startIndex": .int(Int64(startIndex)),
            "itemsPerPage": .int(Int64(itemsPerPage)),
            "Resources": .array(resources),
        ])
    }
}
