import SCIM

/// A resource as the API answers with it: its stored attributes, the derived ones
/// (`User.groups`, `Group.members`), `meta` complete (`location` from the request's base
/// URL), the requested projection applied, and its version for `ETag`.
public struct ResourceRecord: Sendable {
    public var type: ResourceType
    public var id: String
    /// The entity tag (`W/"…"`), equal to `meta.version`.
    public var version: String
    /// The JSON to send, as a value (parsed on first use when the record was rendered
    /// straight to bytes).
    public var document: JSONValue {
        get { value ?? body.flatMap { try? JSONValue.parse($0) } ?? .null }
        set {
            value = newValue
            body = nil
        }
    }
    /// The JSON to send, serialized compactly, when it was rendered from the stored bytes
    /// without a parse (see `JSONCompactor`).
    public private(set) var body: [UInt8]?
    private var value: JSONValue?

    public init(type: ResourceType, id: String, version: String, document: JSONValue) {
        self.type = type
        self.id = id
        self.version = version
        self.value = document
    }

    init(type: ResourceType, id: String, version: String, body: [UInt8]) {
        self.type = type
        self.id = id
        self.version = version
        self.body = body
    }

    /// What goes on the wire: compact JSON.
    public var serialized: [UInt8] { body ?? document.serialized(.compact) }
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
