import SCIM

/// The decoded query string of a request.
///
/// Hummingbird's own query parser leaves `+` alone, but Okta sends
/// `filter=userName+eq+"x"` as often as `%20`: here `+` is a space (HTML form encoding, what
/// clients mean in a query) and `%XX` escapes are decoded to UTF-8. A malformed escape or
/// invalid UTF-8 is a `400` (`invalidFilter` when it is in `filter`). Names are looked up
/// case-insensitively; when a name repeats, the first value wins.
struct QueryParameters: Sendable {
    private(set) var pairs: [(name: String, value: String)] = []

    init(_ query: String?) throws(SCIMError) {
        guard let query, !query.isEmpty else { return }
        for part in query.split(separator: "&", omittingEmptySubsequences: true) {
            let name: Substring
            let value: Substring
            if let equals = part.firstIndex(of: "=") {
                name = part[..<equals]
                value = part[part.index(after: equals)...]
            } else {
                name = part
                value = ""
            }
            guard let decodedName = QueryParameters.decode(name) else {
                throw .invalidValue("the query string has a malformed parameter name")
            }
            guard let decodedValue = QueryParameters.decode(value) else {
                if decodedName.lowercased() == "filter" { throw .invalidFilter("the filter parameter is not correctly URL-encoded") }
                throw .invalidValue("the query parameter \"\(decodedName)\" is not correctly URL-encoded")
            }
            pairs.append((decodedName, decodedValue))
        }
    }

    /// The first value of `name`, compared case-insensitively.
    subscript(name: String) -> String? {
        let lowered = name.lowercased()
        return pairs.first { $0.name.lowercased() == lowered }?.value
    }

    /// One value per name (the first), for `SearchRequest(query:for:)`.
    var dictionary: [String: String] {
        var result: [String: String] = [:]
        for (name, value) in pairs where result[name] == nil { result[name] = value }
        return result
    }

    static func decode(_ text: Substring) -> String? {
        PercentDecoding.decode(text, plusAsSpace: true)
    }
}
