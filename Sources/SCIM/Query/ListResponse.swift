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
        var members = ListResponse.members(totalResults: totalResults, startIndex: startIndex, itemsPerPage: itemsPerPage)
        members["Resources"] = .array(resources)
        return .object(members)
    }

    /// A ListResponse serialized compactly, its `Resources` the given resources already
    /// serialized as compact JSON (a `ResourceRecord`'s bytes rendered from the store),
    /// copied in as they are: the same bytes as `json.serialized(.compact)` of the parsed
    /// resources, without parsing any of them.
    public static func serialized(totalResults: Int, startIndex: Int, renderedResources: [[UInt8]]) -> [UInt8] {
        serialized(members(totalResults: totalResults, startIndex: startIndex, itemsPerPage: renderedResources.count), renderedResources)
    }

    /// A page of a cursor walk (RFC 9865): `nextCursor` unless it is the last page,
    /// `previousCursor` unless it is the first, and no `startIndex`.
    public static func serialized(totalResults: Int, nextCursor: String?, previousCursor: String?, renderedResources: [[UInt8]]) -> [UInt8] {
        var members = members(totalResults: totalResults, startIndex: 1, itemsPerPage: renderedResources.count)
        members["startIndex"] = nil
        if let nextCursor { members["nextCursor"] = .string(nextCursor) }
        if let previousCursor { members["previousCursor"] = .string(previousCursor) }
        return serialized(members, renderedResources)
    }

    private static func serialized(_ members: [String: JSONValue], _ renderedResources: [[UInt8]]) -> [UInt8] {
        var writer = JSONWriter(style: .compact, capacity: renderedResources.reduce(256) { $0 + $1.count + 1 })
        writer.writeCompact(members, adding: "Resources", renderedElements: renderedResources)
        return writer.output
    }

    /// Every member but `Resources`.
    private static func members(totalResults: Int, startIndex: Int, itemsPerPage: Int) -> [String: JSONValue] {
        [
            "schemas": .array([.string(SCIMSchemaURN.listResponse)]),
            "totalResults": .int(Int64(totalResults)),
            "startIndex": .int(Int64(startIndex)),
            "itemsPerPage": .int(Int64(itemsPerPage)),
        ]
    }
}
