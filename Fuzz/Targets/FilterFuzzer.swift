// libFuzzer target: the filter parser and evaluator (RFC 7644 §3.4.2.2).
// Anything may be refused with a SCIMError; nothing may crash, hang or recurse without
// bound. What parses must print back to a filter that parses to the same tree.

private let sampleUser: JSONValue = [
    "userName": "bjensen@example.com", "active": true, "externalId": "00u1",
    "name": ["givenName": "Barbara", "familyName": "Jensen"],
    "emails": [["value": "bjensen@example.com", "type": "work", "primary": true]],
    "meta": ["created": "2011-05-13T04:42:34Z", "lastModified": "2011-05-13T04:42:34Z"],
    "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": ["department": "Tour Operations"],
]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzFilter(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let text = String(decoding: UnsafeRawBufferPointer(start: start, count: count), as: UTF8.self)
    for type in [ResourceType.user, nil] {
        guard let filter = try? FilterParser.parse(text, for: type) else { continue }
        _ = FilterMatcher(filter, for: type).matches(sampleUser)
        _ = filter.requiredEqualities(for: type)
        let printed = filter.description
        // Escaping can make the printed form longer than the parser accepts.
        guard printed.utf8.count <= FilterParser.maxLength else { continue }
        guard let reparsed = try? FilterParser.parse(printed, for: type) else {
            fatalError("printed filter does not parse: \(printed)")
        }
        precondition(reparsed == filter, "printed filter parses differently: \(printed)")
    }
    return 0
}
