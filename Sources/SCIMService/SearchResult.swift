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

    /// The ListResponse serialized compactly, each resource's bytes copied in as rendered.
    public var serializedListResponse: [UInt8] {
        guard case var .object(members) = ListResponse(totalResults: totalResults, startIndex: startIndex, resources: []).json else {
            return listResponse.json.serialized(.compact)
        }
        members["itemsPerPage"] = .int(Int64(resources.count))
        let empty = JSONValue.object(members).serialized(.compact)
        let marker = Array(#""Resources":[]"#.utf8)
        guard var at = SearchResult.firstRange(of: marker, in: empty) else { return listResponse.json.serialized(.compact) }
        at += marker.count - 1 // before the "]"
        var out: [UInt8] = []
        out.reserveCapacity(empty.count + resources.reduce(0) { $0 + ($1.body?.count ?? 1024) + 1 })
        out.append(contentsOf: empty[..<at])
        for (position, record) in resources.enumerated() {
            if position > 0 { out.append(UInt8(ascii: ",")) }
            out.append(contentsOf: record.serialized)
        }
        out.append(contentsOf: empty[at...])
        return out
    }

    private static func firstRange(of needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        for start in 0...(haystack.count - needle.count) where haystack[start..<(start + needle.count)].elementsEqual(needle) {
            return start
        }
        return nil
    }
}
