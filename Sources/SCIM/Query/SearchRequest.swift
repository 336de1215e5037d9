/// A list query — filter, projection, sort and paging together — parsed from URL query
/// parameters (`GET /Users?filter=…`) or from a `POST …/.search` body (RFC 7644 §3.4.3).
///
/// Both forms go through here so they accept the same things and fail the same way:
/// a bad filter is `400 invalidFilter`; a non-integer `startIndex`/`count`, a bad
/// `sortOrder`, `sortBy` or attribute name is `400 invalidValue`; a `.search` body that is
/// not a SearchRequest is `400 invalidSyntax`. Parameter names are matched
/// case-insensitively. An empty `filter` is `invalidFilter` (never an implicit match-all).
public struct SearchRequest: Sendable, Hashable {
    public var filter: Filter?
    public var projection: Projection
    public var sort: SortSpec?
    public var paging: Paging
    /// Cursor paging (RFC 9865): `""` starts a walk, a `nextCursor` continues one; nil pages
    /// by `startIndex`. The server decodes it: to this module it is an opaque string.
    public var cursor: String?

    public init(filter: Filter? = nil, projection: Projection = .default, sort: SortSpec? = nil, paging: Paging = Paging(), cursor: String? = nil) {
        self.filter = filter
        self.projection = projection
        self.sort = sort
        self.paging = paging
        self.cursor = cursor
    }

    /// `cursor` and `startIndex` name two ways of paging: one request uses one.
    static func checkOneMethod(cursor: String?, startIndex: Int?) throws(SCIMError) {
        if cursor != nil, startIndex != nil {
            throw .invalidValue("a request pages by cursor or by startIndex, not both (RFC 9865)")
        }
    }

    /// What must stay equal across the pages of one cursor walk (RFC 9865: the same
    /// query, only the cursor changes): the filter and the sort, which decide what the
    /// walk returns and in which order.
    public var walkFingerprint: String {
        "\(filter?.description ?? "")|\(sort.map { "\($0.path.description) \($0.order)" } ?? "")"
    }

    /// From decoded URL query parameters (`%20`/`+` already turned into spaces).
    public init(query: [String: String], for type: ResourceType?, limits: PagingLimits = PagingLimits()) throws(SCIMError) {
        func parameter(_ name: String) -> String? {
            if let value = query[name] { return value }
            return query.first { ASCII.equalsIgnoringCase($0.key, name) }?.value
        }
        func integer(_ name: String) throws(SCIMError) -> Int? {
            guard let text = parameter(name)?.trimmingWhitespace, !text.isEmpty else { return nil }
            guard let value = SearchRequest.parseInteger(text) else {
                throw .invalidValue("\(name) must be an integer, not \"\(text)\"")
            }
            return value
        }
        let filter = try parameter("filter").map { text throws(SCIMError) in try FilterParser.parse(text, for: type) }
        let projection = try Projection(attributes: parameter("attributes"), excludedAttributes: parameter("excludedAttributes"))
        var sort: SortSpec?
        if let sortBy = parameter("sortBy"), !sortBy.trimmingWhitespace.isEmpty {
            sort = try SortSpec(sortBy: sortBy, sortOrder: parameter("sortOrder"), for: type)
        }
        let startIndex = try integer("startIndex")
        let cursor = parameter("cursor")
        try SearchRequest.checkOneMethod(cursor: cursor, startIndex: startIndex)
        let paging = Paging(startIndex: startIndex, count: try integer("count"), limits: limits)
        self.init(filter: filter, projection: projection, sort: sort, paging: paging, cursor: cursor)
    }

    /// From a SearchRequest message body.
    public init(body: JSONValue, for type: ResourceType?, limits: PagingLimits = PagingLimits()) throws(SCIMError) {
        guard case .object(let object) = body else {
            throw .invalidSyntax("a .search body must be a JSON object (a SearchRequest message)")
        }
        if let schemas = object.value(forAttribute: "schemas"), !schemas.isNull {
            let listed = schemas.arrayValue ?? [schemas]
            guard listed.contains(where: { $0.stringValue.map { ASCII.equalsIgnoringCase($0, SCIMSchemaURN.searchRequest) } ?? false }) else {
                throw .invalidSyntax("\"schemas\" must contain \(SCIMSchemaURN.searchRequest)")
            }
        }
        func string(_ name: String) throws(SCIMError) -> String? {
            guard let value = object.value(forAttribute: name), !value.isNull else { return nil }
            guard case .string(let s) = value else { throw .invalidValue("\"\(name)\" must be a string") }
            return s
        }
        func names(_ name: String) throws(SCIMError) -> [String] {
            guard let value = object.value(forAttribute: name), !value.isNull else { return [] }
            switch value {
            case .string(let s): return Projection.split(s)
            case .array(let items):
                var result: [String] = []
                for item in items {
                    guard case .string(let s) = item else { throw .invalidValue("\"\(name)\" must be an array of attribute names") }
                    result.append(s)
                }
                return result
            default:
                throw .invalidValue("\"\(name)\" must be an array of attribute names")
            }
        }
        func integer(_ name: String) throws(SCIMError) -> Int? {
            guard let value = object.value(forAttribute: name), !value.isNull else { return nil }
            switch value {
            case .int(let i): return Int(clamping: i)
            case .decimal(let d) where d.rounded() == d && abs(d) < 1e18: return Int(d)
            case .string(let s):
                if let parsed = SearchRequest.parseInteger(s.trimmingWhitespace) { return parsed }
            default: break
            }
            throw .invalidValue("\"\(name)\" must be an integer, not \(value)")
        }
        let filter = try string("filter").map { text throws(SCIMError) in try FilterParser.parse(text, for: type) }
        let projection = try Projection(attributes: try names("attributes"), excludedAttributes: try names("excludedAttributes"))
        var sort: SortSpec?
        if let sortBy = try string("sortBy"), !sortBy.trimmingWhitespace.isEmpty {
            sort = try SortSpec(sortBy: sortBy, sortOrder: try string("sortOrder"), for: type)
        }
        let startIndex = try integer("startIndex")
        let cursor = try string("cursor")
        try SearchRequest.checkOneMethod(cursor: cursor, startIndex: startIndex)
        let paging = Paging(startIndex: startIndex, count: try integer("count"), limits: limits)
        self.init(filter: filter, projection: projection, sort: sort, paging: paging, cursor: cursor)
    }

    /// A decimal integer, optionally signed; values beyond `Int` saturate.
    static func parseInteger(_ text: String) -> Int? {
        if let value = Int(text) { return value }
        var digits = Substring(text)
        var negative = false
        if digits.first == "-" || digits.first == "+" {
            negative = digits.first == "-"
            digits = digits.dropFirst()
        }
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return negative ? Int.min : Int.max
    }
}
